package com.onepoint.outbox;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.json.Json;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.table.AdjustmentsTable;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.MembersTable;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OutboxPublisherFunction: members, deals and adjustments table streams → domain events on the OnePoint bus.
 * Records are published in stream order; the first record whose events cannot all be published is reported as the
 * batch item failure, so Lambda retries from there (bisecting on errors) and nothing after it is skipped.
 * A retry may publish an event twice; it carries the same eventId, and every consumer is idempotent on it.
 */
public class OutboxPublisher implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    /** PutEvents takes at most 10 entries per call. */
    private static final int MAX_ENTRIES = 10;
    private static final JsonLog LOG = JsonLog.of(OutboxPublisher.class);

    private final EventBridgeClient events;
    private final String busName;
    private final ChangeToEvents changeToEvents;

    public OutboxPublisher() {
        this(Env.system(), AwsClients.eventBridge(Env.system()));
    }

    public OutboxPublisher(Env env, EventBridgeClient events) {
        this.events = events;
        this.busName = env.require("EVENT_BUS_NAME");
        this.changeToEvents = new ChangeToEvents(env.require(MembersTable.ENV), env.require(DealsTable.ENV),
                env.require(AdjustmentsTable.ENV));
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<PutEventsRequestEntry> pending = new ArrayList<>();
        List<Integer> pendingRecord = new ArrayList<>(); // index of the record each pending entry came from
        int published = 0;
        try {
            for (int i = 0; i < records.size(); i++) {
                List<DomainEvent> derived;
                try {
                    derived = changeToEvents.eventsOf(records.get(i));
                } catch (RuntimeException e) {
                    published += flush(pending, pendingRecord); // what came before this record still goes out
                    return failAt(records, i, requestId, e.getClass().getSimpleName() + ": " + e.getMessage(), published);
                }
                if (pending.size() + derived.size() > MAX_ENTRIES) {
                    published += flush(pending, pendingRecord);
                }
                for (DomainEvent domainEvent : derived) {
                    pending.add(entry(domainEvent));
                    pendingRecord.add(i);
                }
            }
            published += flush(pending, pendingRecord);
        } catch (PublishFailed failed) {
            return failAt(records, failed.recordIndex, requestId, failed.getMessage(), published);
        }
        LOG.info(requestId, "published", Map.of("records", records.size(), "events", published));
        return new StreamsEventResponse(List.of());
    }

    private PutEventsRequestEntry entry(DomainEvent e) {
        return PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(e.type().source())
                .detailType(e.type().name())
                .time(e.occurredAt() == null ? null : Instant.parse(e.occurredAt()))
                .detail(Json.write(e.detail()))
                .build();
    }

    /** Publishes and clears the pending entries; throws naming the first record with an unpublished entry. */
    private int flush(List<PutEventsRequestEntry> pending, List<Integer> pendingRecord) {
        if (pending.isEmpty()) {
            return 0;
        }
        int count = pending.size();
        try {
            PutEventsResponse response = events.putEvents(b -> b.entries(pending));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                List<PutEventsResultEntry> results = response.entries();
                for (int k = 0; k < results.size(); k++) {
                    if (results.get(k).errorCode() != null) {
                        throw new PublishFailed(pendingRecord.get(k), results.get(k).errorCode() + ": " + results.get(k).errorMessage());
                    }
                }
                throw new PublishFailed(pendingRecord.get(0), response.failedEntryCount() + " entries failed");
            }
        } catch (PublishFailed e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PublishFailed(pendingRecord.get(0), e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            pending.clear();
            pendingRecord.clear();
        }
        return count;
    }

    private static StreamsEventResponse failAt(List<DynamodbEvent.DynamodbStreamRecord> records, int index,
                                               String requestId, String reason, int published) {
        String sequence = records.get(index).getDynamodb().getSequenceNumber();
        LOG.error(requestId, "publish failed; retrying from record", Map.of("sequenceNumber", sequence,
                "reason", reason, "publishedBefore", published));
        return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(sequence)));
    }

    private static final class PublishFailed extends RuntimeException {
        final int recordIndex;

        PublishFailed(int recordIndex, String message) {
            super(message, null, false, false);
            this.recordIndex = recordIndex;
        }
    }
}
