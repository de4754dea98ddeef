package com.onepoint.devkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local API's requests in flight in this JVM, which the stream and queue consumers yield to
 * ({@link PollingThread#yieldToApi}). On AWS the consumers run on Lambda instances of their own; here they share the
 * API's cores, and a consumer thread the scheduler lets run out its time slice delays the requests that wake up
 * meanwhile, however low its priority. One count per JVM, because the cores are the JVM's, not one runtime's.
 */
public final class ApiActivity {
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    private static final AtomicInteger WAITING = new AtomicInteger();
    private static final Object IDLE = new Object();

    private ApiActivity() {
    }

    /** A request arrived; pair with {@link #end()}. */
    public static void begin() {
        IN_FLIGHT.incrementAndGet();
    }

    /** A request was answered. */
    public static void end() {
        if (IN_FLIGHT.decrementAndGet() == 0 && WAITING.get() > 0) {
            synchronized (IDLE) {
                IDLE.notifyAll();
            }
        }
    }

    /** Whether a request is being served. */
    public static boolean busy() {
        return IN_FLIGHT.get() > 0;
    }

    /** Returns once no request is in flight, or after {@code max}. */
    public static void awaitIdle(Duration max) throws InterruptedException {
        if (!busy()) {
            return;
        }
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (IDLE) {
            WAITING.incrementAndGet(); // then look again: end() notifies only the waiters it can see
            try {
                long left;
                while (busy() && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(IDLE, left);
                }
            } finally {
                WAITING.decrementAndGet();
            }
        }
    }
}
