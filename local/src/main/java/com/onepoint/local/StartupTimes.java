package com.onepoint.local;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Milliseconds since startup began at which each startup step finished. Steps may finish on different threads
 * (the extensions boot beside the engine), so each is the time since the start, not a duration.
 */
public final class StartupTimes {
    /** One finished step. */
    public record Step(String name, long atMillis) {
    }

    private final long startedNanos = System.nanoTime();
    private final List<Step> steps = new ArrayList<>();

    synchronized void lap(String name) {
        steps.add(new Step(name, (System.nanoTime() - startedNanos) / 1_000_000));
    }

    public synchronized List<Step> steps() {
        return List.copyOf(steps);
    }

    /** e.g. "DynamoDB engine and tables at 210 ms, extensions prepared at 630 ms, ..." */
    @Override
    public synchronized String toString() {
        return steps.stream().map(s -> s.name() + " at " + s.atMillis() + " ms").collect(Collectors.joining(", "));
    }
}
