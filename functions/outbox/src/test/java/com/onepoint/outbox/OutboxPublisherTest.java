package com.onepoint.outbox;

import com.onepoint.devkit.events.RecordingEventBridge;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.shared.aws.Env;
import com.onepoint.devkit.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxPublisherTest {
    private static final Env ENV = new Env(Map.of("EVENT_BUS_NAME", "onepoint-dev",
            "MEMBERS_TABLE", "onepoint-dev-members", "DEALS_TABLE", "onepoint-dev-deals",
            "ADJUSTMENTS_TABLE", "onepoint-dev-adjustments"));

    private static JsonNode detail(PutEventsRequestEntry entry) throws Exception {
        return Json.read(entry.detail());
    }

    private static List<String> types(List<PutEventsRequestEntry> entries) {
        return entries.stream().map(PutEventsRequestEntry::detailType).toList();
    }

    @ParameterizedTest
    @Event(value = "events/outbox-deals-stream.json", type = DynamodbEvent.class)
    void dealChangesBecomeDealEvents(DynamodbEvent event) throws Exception {
        RecordingEventBridge bus = RecordingEventBridge.healthy();

        StreamsEventResponse response = new OutboxPublisher(ENV, bus).handleRequest(event, null);

        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals(List.of("DealRecorded", "DealCancelled", "PointsRestored"), types(bus.accepted));
        assertEquals(List.of("onepoint.deal", "onepoint.deal", "onepoint.point"),
                bus.accepted.stream().map(PutEventsRequestEntry::source).toList());
        bus.accepted.forEach(e -> assertEquals("onepoint-dev", e.eventBusName()));
        JsonNode cancelled = detail(bus.accepted.get(1));
        assertEquals("c81e728d9d4c2f636f067f89cc14862c:DealCancelled", cancelled.get("eventId").asText());
        assertEquals("2026-11-25T03:00:00Z", cancelled.get("occurredAt").asText());
        assertEquals(1, cancelled.get("schemaVersion").asInt());
        assertEquals("use", cancelled.get("type").asText());
        assertEquals(100, cancelled.get("points").asLong());
        assertEquals("0001", cancelled.get("memberId").asText());
        assertEquals("PENDING", cancelled.get("restoration").asText());
        assertEquals("2026-11-25T03:00:05Z", detail(bus.accepted.get(2)).get("occurredAt").asText());
    }

    @ParameterizedTest
    @Event(value = "events/outbox-deals-stream.json", type = DynamodbEvent.class)
    void everyDealEventCarriesTheItemVersionAndTheWholeDeal(DynamodbEvent event) throws Exception {
        RecordingEventBridge bus = RecordingEventBridge.healthy();

        new OutboxPublisher(ENV, bus).handleRequest(event, null);

        List<Long> versions = new ArrayList<>();
        for (PutEventsRequestEntry e : bus.accepted) {
            JsonNode detail = detail(e);
            versions.add(detail.get("version").asLong());
            assertEquals("2026-11-25T02:00:00Z", detail.get("createdAt").asText(), "the dashboard sorts deals by it");
            assertEquals("2026-11-25T02:00:00Z", detail.get("dealOccurredAt").asText());
        }
        assertEquals(List.of(1L, 2L, 3L), versions);
    }

    @ParameterizedTest
    @Event(value = "events/outbox-deals-stream.json", type = DynamodbEvent.class)
    void aRestorationForfeitedBecauseTheMemberLeftIsAnEventToo(DynamodbEvent event) throws Exception {
        // the restore found the account closed: restoration PENDING -> FORFEITED, which the dashboard must also see
        event.getRecords().get(2).getDynamodb().getNewImage().get("restoration").setS("FORFEITED");
        RecordingEventBridge bus = RecordingEventBridge.healthy();

        new OutboxPublisher(ENV, bus).handleRequest(event, null);

        assertEquals(List.of("DealRecorded", "DealCancelled", "RestorationForfeited"), types(bus.accepted));
        JsonNode forfeited = detail(bus.accepted.get(2));
        assertEquals("onepoint.point", bus.accepted.get(2).source());
        assertEquals("FORFEITED", forfeited.get("restoration").asText());
        assertEquals(3, forfeited.get("version").asLong());
    }

    @ParameterizedTest
    @Event(value = "events/outbox-adjustments-stream.json", type = DynamodbEvent.class)
    void anAdjustmentBecomesPointsAdjustedOnceWithoutItsReason(DynamodbEvent event) throws Exception {
        RecordingEventBridge bus = RecordingEventBridge.healthy();

        new OutboxPublisher(ENV, bus).handleRequest(event, null);
        new OutboxPublisher(ENV, bus).handleRequest(event, null); // a redelivery carries the same eventId

        assertEquals(List.of("PointsAdjusted", "PointsAdjusted"), types(bus.accepted));
        assertEquals("onepoint.point", bus.accepted.get(0).source());
        JsonNode detail = detail(bus.accepted.get(0));
        assertEquals(detail, detail(bus.accepted.get(1)));
        assertEquals("0003", detail.get("memberId").asText());
        assertEquals("5d1e9a7b-2c44-4f0e-9a3b-7e6f5d4c3b02", detail.get("adjustmentId").asText());
        assertEquals(500, detail.get("points").asLong());
        assertEquals("2026-11-25T01:10:00Z", detail.get("occurredAt").asText());
        assertEquals(1, detail.get("schemaVersion").asInt());
        assertEquals(null, detail.get("reason"), "free text stays off the bus");
    }

    @ParameterizedTest
    @Event(value = "events/outbox-deals-stream.json", type = DynamodbEvent.class)
    void aRefundIsDealRefundedNamingTheRefundAndItsRestoreIsPointsRestored(DynamodbEvent event) throws Exception {
        // record 0 inserts a use of 100 points; make record 1 its refund of 40 instead of its cancellation
        DynamodbEvent.DynamodbStreamRecord refund = event.getRecords().get(1);
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image = refund.getDynamodb().getNewImage();
        image.put("status", new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue().withS("SUCCESS"));
        image.remove("restoration");
        image.remove("cancelledAt");
        image.put("refundedPoints", new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue().withN("40"));
        image.put("lastRefundId", new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue().withS("r-1"));
        refund.getDynamodb().setApproximateCreationDateTime(java.util.Date.from(java.time.Instant.parse("2026-11-25T03:30:00Z")));
        // and record 2 the restore of that refund: restoredPoints 0 -> 40, the deal's own restoration untouched
        DynamodbEvent.DynamodbStreamRecord restore = event.getRecords().get(2);
        restore.getDynamodb().setOldImage(new java.util.HashMap<>(image));
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> restored = new java.util.HashMap<>(image);
        restored.put("restoredPoints", new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue().withN("40"));
        restored.put("version", new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue().withN("3"));
        restore.getDynamodb().setNewImage(restored);
        RecordingEventBridge bus = RecordingEventBridge.healthy();

        new OutboxPublisher(ENV, bus).handleRequest(event, null);

        assertEquals(List.of("DealRecorded", "DealRefunded", "PointsRestored"), types(bus.accepted));
        assertEquals("onepoint.deal", bus.accepted.get(1).source());
        JsonNode refunded = detail(bus.accepted.get(1));
        assertEquals(1, refunded.get("schemaVersion").asInt());
        assertEquals("r-1", refunded.at("/refund/refundId").asText());
        assertEquals(40, refunded.at("/refund/points").asLong());
        assertTrue(refunded.at("/refund/amount").isMissingNode(), "a use is refunded by points");
        assertEquals(40, refunded.get("refundedPoints").asLong());
        assertEquals("use", refunded.get("type").asText(), "the restore rule matches on it");
        assertEquals("2026-11-25T03:30:00Z", refunded.get("occurredAt").asText());
        assertEquals(40, detail(bus.accepted.get(2)).get("restoredPoints").asLong());
    }

    @ParameterizedTest
    @Event(value = "events/outbox-members-stream.json", type = DynamodbEvent.class)
    void memberChangesBecomeMemberAndForfeitEvents(DynamodbEvent event) throws Exception {
        RecordingEventBridge bus = RecordingEventBridge.healthy();

        new OutboxPublisher(ENV, bus).handleRequest(event, null);

        assertEquals(List.of("MemberJoined", "MemberWithdrawn", "PointsForfeited"), types(bus.accepted));
        JsonNode forfeited = detail(bus.accepted.get(2));
        assertEquals("0002", forfeited.get("memberId").asText());
        assertEquals(600, forfeited.get("forfeitedPoints").asLong());
        assertEquals("onepoint.point", bus.accepted.get(2).source());
        // the stream images carry the member's name; no event does (events outlive the erasure on leave)
        for (PutEventsRequestEntry e : bus.accepted) {
            JsonNode detail = detail(e);
            assertFalse(detail.has("name") || detail.has("phone") || detail.has("email"), e.detail());
            assertFalse(e.detail().contains("Lee Jun"), e.detail());
        }
    }

    @ParameterizedTest
    @Event(value = "events/outbox-deals-stream.json", type = DynamodbEvent.class)
    void aFailedPublishIsRetriedFromItsRecordAndLosesNothing(DynamodbEvent event) throws Exception {
        List<String> expectedIds = new ArrayList<>();
        RecordingEventBridge reference = RecordingEventBridge.healthy();
        new OutboxPublisher(ENV, reference).handleRequest(event, null);
        for (PutEventsRequestEntry e : reference.accepted) {
            expectedIds.add(detail(e).get("eventId").asText());
        }

        // EventBridge refuses the second entry once (the DealCancelled of record 2)
        RecordingEventBridge flaky = new RecordingEventBridge(i -> i == 1, false);
        OutboxPublisher publisher = new OutboxPublisher(ENV, flaky);
        StreamsEventResponse first = publisher.handleRequest(event, null);

        assertEquals(1, first.getBatchItemFailures().size());
        String failedAt = first.getBatchItemFailures().get(0).getItemIdentifier();
        assertEquals(event.getRecords().get(1).getDynamodb().getSequenceNumber(), failedAt);

        // Lambda retries from the failed record on: what it then publishes completes the set, same ids
        DynamodbEvent retry = new DynamodbEvent();
        retry.setRecords(event.getRecords().subList(1, event.getRecords().size()));
        assertTrue(publisher.handleRequest(retry, null).getBatchItemFailures().isEmpty());
        List<String> published = new ArrayList<>();
        for (PutEventsRequestEntry e : flaky.accepted) {
            published.add(detail(e).get("eventId").asText());
        }
        assertTrue(published.containsAll(expectedIds), "every event published at least once: " + published);
        // EventBridge promises no order; what matters is that a re-published event keeps its id
        assertEquals(expectedIds.stream().sorted().toList(), published.stream().distinct().sorted().toList());
    }

    @ParameterizedTest
    @Event(value = "events/outbox-members-stream.json", type = DynamodbEvent.class)
    void anUnavailableBusFailsTheBatchFromTheFirstRecord(DynamodbEvent event) {
        RecordingEventBridge down = new RecordingEventBridge(i -> true, true);

        StreamsEventResponse response = new OutboxPublisher(ENV, down).handleRequest(event, null);

        assertEquals(List.of(event.getRecords().get(0).getDynamodb().getSequenceNumber()),
                response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList());
    }

    @ParameterizedTest
    @Event(value = "events/outbox-deals-stream.json", type = DynamodbEvent.class)
    void aRecordFromAnotherTableStopsTheBatchThereAfterPublishingWhatCameBefore(DynamodbEvent event) {
        event.getRecords().get(2).setEventSourceARN("arn:aws:dynamodb:ap-northeast-2:1:table/somebody-else/stream/x");
        RecordingEventBridge bus = RecordingEventBridge.healthy();

        StreamsEventResponse response = new OutboxPublisher(ENV, bus).handleRequest(event, null);

        assertEquals(List.of("DealRecorded", "DealCancelled"), types(bus.accepted));
        assertEquals(event.getRecords().get(2).getDynamodb().getSequenceNumber(),
                response.getBatchItemFailures().get(0).getItemIdentifier());
    }

    @Test
    void tableNameComesFromTheStreamArn() {
        assertEquals("onepoint-dev-deals",
                ChangeToEvents.tableOf("arn:aws:dynamodb:ap-northeast-2:1:table/onepoint-dev-deals/stream/2026-11-25T00:00:00.000"));
        assertEquals("", ChangeToEvents.tableOf(null));
    }
}
