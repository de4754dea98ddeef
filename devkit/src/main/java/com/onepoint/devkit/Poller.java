package com.onepoint.devkit;

import java.time.Duration;

/** A polling event source on its own thread. Stopping is split in two so that many pollers stop in parallel. */
public interface Poller extends AutoCloseable {
    /** Asks the poller to stop after the batch in hand; returns at once. */
    void stop();

    /** Waits up to {@code timeout} for the poller's thread to end. */
    void awaitStopped(Duration timeout);

    @Override
    default void close() {
        stop();
        awaitStopped(Duration.ofSeconds(5));
    }
}
