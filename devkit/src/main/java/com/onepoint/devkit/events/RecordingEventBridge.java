package com.onepoint.devkit.events;

import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * For tests of publishers: records what is put, and fails the entries a test chooses, the way EventBridge reports a
 * failed entry (or by throwing, as an unreachable EventBridge does) — failures EventBridge cannot be made to produce
 * on demand. {@code failEntry} is asked with the running index of every entry ever put; {@link #failNext} fails the
 * next that-many entries.
 */
public final class RecordingEventBridge implements EventBridgeClient {
    public final List<PutEventsRequestEntry> accepted = Collections.synchronizedList(new ArrayList<>());
    public final AtomicInteger failNext = new AtomicInteger();
    public final AtomicInteger calls = new AtomicInteger();
    private final IntPredicate failEntry;
    private final boolean throwInstead;
    private int seen;

    public RecordingEventBridge(IntPredicate failEntry, boolean throwInstead) {
        this.failEntry = failEntry;
        this.throwInstead = throwInstead;
    }

    public RecordingEventBridge() {
        this(i -> false, false);
    }

    public static RecordingEventBridge healthy() {
        return new RecordingEventBridge();
    }

    @Override
    public synchronized PutEventsResponse putEvents(PutEventsRequest request) {
        calls.incrementAndGet();
        if (request.entries().size() > 10) {
            throw new IllegalArgumentException("PutEvents takes at most 10 entries, got " + request.entries().size());
        }
        List<PutEventsResultEntry> results = new ArrayList<>();
        int failed = 0;
        for (PutEventsRequestEntry entry : request.entries()) {
            boolean fail = failEntry.test(seen++) | failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            if (fail && throwInstead) {
                throw new IllegalStateException("EventBridge unavailable");
            }
            if (fail) {
                failed++;
                results.add(PutEventsResultEntry.builder().errorCode("InternalFailure").errorMessage("injected").build());
            } else {
                accepted.add(entry);
                results.add(PutEventsResultEntry.builder().eventId(UUID.randomUUID().toString()).build());
            }
        }
        return PutEventsResponse.builder().failedEntryCount(failed).entries(results).build();
    }

    @Override
    public String serviceName() {
        return "events";
    }

    @Override
    public void close() {
    }
}
