package com.onepoint.billing;

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

/** An EventBridge that records what is put; {@link #failEntries} makes the next entries fail as AWS reports it. */
final class RecordingEventBridge implements EventBridgeClient {
    final List<PutEventsRequestEntry> published = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger failEntries = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public PutEventsResponse putEvents(PutEventsRequest request) {
        calls.incrementAndGet();
        if (request.entries().size() > 10) {
            throw new IllegalArgumentException("PutEvents takes at most 10 entries, got " + request.entries().size());
        }
        List<PutEventsResultEntry> results = new ArrayList<>();
        int failed = 0;
        for (PutEventsRequestEntry entry : request.entries()) {
            if (failEntries.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                failed++;
                results.add(PutEventsResultEntry.builder().errorCode("InternalFailure").errorMessage("injected").build());
            } else {
                published.add(entry);
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
