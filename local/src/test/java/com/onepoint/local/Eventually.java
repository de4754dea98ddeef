package com.onepoint.local;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Waits for what the runtime does after an answer (consumers, queues, read models), polling every 100 ms. */
final class Eventually {
    private Eventually() {
    }

    static void await(String what, Duration wait, BooleanSupplier condition) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
        assertTrue(condition.getAsBoolean(), "waited " + wait.toSeconds() + " s for " + what);
    }
}
