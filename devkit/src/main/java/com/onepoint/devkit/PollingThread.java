package com.onepoint.devkit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The thread and stop signal every poller shares: one daemon thread running {@link #poll()} until {@link #stop()},
 * and a {@link #pause} that wakes early when stopped, so closing the runtime never waits out a poll interval.
 */
public abstract class PollingThread implements Poller {
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
