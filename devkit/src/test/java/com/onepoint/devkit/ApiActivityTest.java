package com.onepoint.devkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiActivityTest {
    @Test
    void anIdleApiKeepsNobodyWaiting() throws Exception {
        long t = System.nanoTime();
        ApiActivity.awaitIdle(Duration.ofSeconds(5));
        assertTrue(System.nanoTime() - t < TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void aWaiterIsReleasedWhenTheLastRequestEndsAndNotBefore() throws Exception {
        ApiActivity.begin();
        ApiActivity.begin();
        CompletableFuture<Long> releasedAt = CompletableFuture.supplyAsync(() -> {
            try {
                ApiActivity.awaitIdle(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return System.nanoTime();
        });
        Thread.sleep(200);
        ApiActivity.end();
        Thread.sleep(200);
        assertFalse(releasedAt.isDone(), "one request is still in flight");
        long lastEnd = System.nanoTime();
        ApiActivity.end();
        // Released by the last end(), well before its own 10 s maximum.
        long released = releasedAt.get(2, TimeUnit.SECONDS);
        assertTrue(released >= lastEnd, "released before the last request ended");
        assertFalse(ApiActivity.busy());
    }

    @Test
    void aWaiterGivesUpAfterItsMaximum() throws Exception {
        ApiActivity.begin();
        try {
            long t = System.nanoTime();
            ApiActivity.awaitIdle(Duration.ofMillis(300));
            long nanos = System.nanoTime() - t;
            assertTrue(nanos >= TimeUnit.MILLISECONDS.toNanos(300) && nanos < TimeUnit.SECONDS.toNanos(2), nanos + " ns");
        } finally {
            ApiActivity.end();
        }
    }
}
