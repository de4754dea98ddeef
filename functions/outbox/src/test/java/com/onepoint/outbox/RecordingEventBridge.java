package com.onepoint.outbox;

import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntPredicate;

/**
 * Records what is put on the bus and fails the entries a test chooses: a failure EventBridge itself cannot be
 * made to produce on demand. {@code failEntry} is asked with the running index of every entry ever put.
 */
final class RecordingEventBridge implements EventBridgeClient {
    final List<PutEventsRequestEntry> accepted = new ArrayList<>();
    private final IntPredicate failEntry;
    private final boolean throwInstead;
    private int seen;

    RecordingEventBridge(IntPredicate failEntry, boolean throwInstead) {
        this.failEntry = failEntry;
        this.throwInstead = throwInstead;
    }

    static RecordingEventBridge healthy() {
        return new RecordingEventBridge(i -> false, false);
    }

    @Override
    public synchronized PutEventsResponse putEvents(PutEventsRequest request) {
        if (request.entries().size() > 10) {
            throw new IllegalArgumentException("PutEvents takes at most 10 entries");
        }
        List<PutEventsResultEntry> results = new ArrayList<>();
        int failed = 0;
        for (PutEventsRequestEntry entry : request.entries()) {
            if (failEntry.test(seen++)) {
                if (throwInstead) {
                    throw new IllegalStateException("EventBridge unavailable");
                }
                failed++;
                results.add(PutEventsResultEntry.builder().errorCode("InternalFailure").errorMessage("try again").build());
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
