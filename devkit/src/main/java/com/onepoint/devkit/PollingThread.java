package com.onepoint.devkit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The thread and stop signal every poller shares: one daemon thread running {@link #poll()} until {@link #stop()},
 * and a {@link #pause} that wakes early when stopped, so closing the runtime never waits out a poll interval.
 */
public abstract class PollingThread implements Poller {
    /** The longest a consumer defers its next batch to the API's requests ({@link #yieldToApi}). */
    public static final Duration MAX_YIELD = Duration.ofSeconds(5);
    private static final Duration YIELD_STEP = Duration.ofMillis(100);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    protected PollingThread(String threadName) {
        this.thread = new Thread(this::poll, threadName);
        this.thread.setDaemon(true);
        // the consumers of streams and queues yield the cores to the API's requests; a JVM maps this to the OS
        // only with -XX:ThreadPriorityPolicy=1 (local/jvm.options), and ignores it otherwise
        this.thread.setPriority(Thread.MIN_PRIORITY);
    }

    /** The polling loop; it runs while {@link #running()}. */
    protected abstract void poll();

    protected final void startThread() {
        thread.start();
    }

    protected final boolean running() {
        return stopped.getCount() > 0;
    }

    /**
     * Called before each batch: while the local API serves a request, waits for a moment it serves none, for
     * {@link #MAX_YIELD} at most. So under a load that keeps the API busy a consumer takes one batch every five seconds
     * and the read models fall behind, catching up as soon as the load stops; otherwise nothing waits.
     */
    protected final void yieldToApi() {
        long deadline = System.nanoTime() + MAX_YIELD.toNanos();
        try {
            while (running() && ApiActivity.busy() && System.nanoTime() < deadline) {
                ApiActivity.awaitIdle(YIELD_STEP); // in steps, so that stop() is not kept waiting
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    protected final void pause(Duration d) {
        try {
            stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public final void stop() {
        stopped.countDown();
    }

    @Override
    public final void awaitStopped(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
