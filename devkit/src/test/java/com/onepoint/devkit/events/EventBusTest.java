package com.onepoint.devkit.events;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.SharedCloud;
import com.onepoint.devkit.TestTemplates;
import com.onepoint.devkit.sqs.LocalSqs;
import com.onepoint.devkit.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(SharedCloud.class)
class EventBusTest {
    private static final String BUS = "onepoint-test";

    private static LocalEventBus bus() {
        return SharedCloud.cloud().bus();
    }

    private static LocalSqs sqs() {
        return SharedCloud.cloud().sqs();
    }

    private static PutEventsRequestEntry deal(String type, long points) {
        return PutEventsRequestEntry.builder().eventBusName(BUS).source("onepoint.deal").detailType(type)
                .detail("{\"dealId\":\"d-" + points + "\",\"points\":" + points + ",\"schemaVersion\":1}")
                .resources("arn:aws:dynamodb:ap-northeast-2:000000000000:table/deals").build();
    }

    private static List<Message> drain(String queue) {
        List<Message> all = new ArrayList<>();
        List<Message> got;
        do {
            got = sqs().client().receiveMessage(b -> b.queueUrl(sqs().urlOf(queue)).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            for (Message m : got) {
                all.add(m);
                sqs().client().deleteMessage(b -> b.queueUrl(sqs().urlOf(queue)).receiptHandle(m.receiptHandle()));
            }
        } while (!got.isEmpty());
        return all;
    }

    @Test
    void sdkPutEventsRoutesByPatternToQueueAndFunctionTargets() throws Exception {
        EventBridgeClient client = bus().client();
        Instant time = Instant.parse("2024-05-01T10:15:30.123Z");
        PutEventsResponse response = client.putEvents(b -> b.entries(
                deal("DealRecorded", 500).toBuilder().time(time).build(),
                deal("DealRecorded", 50), // points not > 100: no rule matches
                deal("DealRecorded", 700).toBuilder().eventBusName("default").build())); // another bus
        assertEquals(0, response.failedEntryCount());
        assertEquals(3, response.entries().size());
        String id = response.entries().get(0).eventId();
        assertTrue(id.matches("[0-9a-f-]{36}"), id);
        assertTrue(bus().awaitIdle(Duration.ofSeconds(5)));

        List<Message> delivered = drain("DealEventsQueue");
        assertEquals(1, delivered.size(), "only the 500-point deal on the OnePoint bus matches; the disabled rule sends nothing");
        JsonNode envelope = Json.read(delivered.get(0).body());
        assertEquals(List.of("version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"),
                iterable(envelope.fieldNames()));
        assertEquals("0", envelope.get("version").asText());
        assertEquals(id, envelope.get("id").asText());
        assertEquals("DealRecorded", envelope.get("detail-type").asText());
        assertEquals("onepoint.deal", envelope.get("source").asText());
        assertEquals("000000000000", envelope.get("account").asText());
        assertEquals("2024-05-01T10:15:30Z", envelope.get("time").asText());
        assertEquals("ap-northeast-2", envelope.get("region").asText());
        assertEquals("arn:aws:dynamodb:ap-northeast-2:000000000000:table/deals", envelope.get("resources").get(0).asText());
        assertEquals(500, envelope.get("detail").get("points").asLong());

        // InputPath $.detail: the function gets the detail object, not the envelope
        List<Object> notified = SharedCloud.invoker().events("NotifyFunction");
        assertEquals(Map.of("dealId", "d-500", "points", 500, "schemaVersion", 1), notified.get(notified.size() - 1));
    }

    @Test
    void functionEventBridgeRuleGetsTheEnvelopeAsAScheduledEvent() throws Exception {
        int before = SharedCloud.invoker().count("AuditFunction");
        bus().client().putEvents(b -> b.entries(deal("DealCancelled", 300),
                PutEventsRequestEntry.builder().eventBusName(BUS).source("onepoint.member").detailType("MemberJoined")
                        .detail("{\"memberId\":\"0001\"}").build(),
                PutEventsRequestEntry.builder().eventBusName(BUS).source("onepoint.member").detailType("MemberWithdrawn")
                        .detail("{\"memberId\":\"0001\"}").build()));
        assertTrue(bus().awaitIdle(Duration.ofSeconds(5)));
        List<Object> events = SharedCloud.invoker().events("AuditFunction");
        assertEquals(before + 2, events.size(), "MemberWithdrawn matches no rule");
        ScheduledEvent cancelled = (ScheduledEvent) events.stream().filter(e -> e instanceof ScheduledEvent).reduce((a, b) -> b).orElseThrow();
        assertEquals("DealCancelled", cancelled.getDetailType());
        assertEquals("onepoint.deal", cancelled.getSource());
        assertEquals("ap-northeast-2", cancelled.getRegion());
        assertEquals(300, ((Number) cancelled.getDetail().get("points")).intValue());
        Map<String, Object> wire = EventEnvelope.toWireMap(cancelled);
        assertEquals("DealCancelled", wire.get("detail-type"));
        assertEquals(Map.of("memberId", "0001"), events.get(events.size() - 1).equals(cancelled)
                ? events.get(events.size() - 2) : events.get(events.size() - 1));
    }

    @Test
    void aFailingFunctionTargetIsRetriedThenTheEventGoesToTheTargetsDlq() {
        SharedCloud.invoker().answer("NotifyFunction", event -> {
            throw new IllegalStateException("notify down");
        });
        try {
            int before = SharedCloud.invoker().count("NotifyFunction");
            bus().put(deal("DealRecorded", 900));
            assertTrue(bus().awaitIdle(Duration.ofSeconds(5)));
            assertEquals(before + 2, SharedCloud.invoker().count("NotifyFunction"), "first attempt + 1 retry (RetryPolicy)");
            TestTemplates.await(Duration.ofSeconds(5), "dead letter", () -> sqs().approximateCount("NotifyDlq") == 1);
            Message dead = sqs().client().receiveMessage(b -> b.queueUrl(sqs().urlOf("NotifyDlq")).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages().get(0);
            assertEquals("{\"dealId\":\"d-900\",\"points\":900,\"schemaVersion\":1}", dead.body());
            assertEquals(bus().getAtt("BigDealsRule", "Arn"), dead.messageAttributes().get("RULE_ARN").stringValue());
            assertEquals("notify down", dead.messageAttributes().get("ERROR_MESSAGE").stringValue());
            sqs().client().deleteMessage(b -> b.queueUrl(sqs().urlOf("NotifyDlq")).receiptHandle(dead.receiptHandle()));
            drain("DealEventsQueue");
        } finally {
            SharedCloud.invoker().answer("NotifyFunction", event -> null);
        }
    }

    @Test
    void invalidEntriesAreReportedPerEntryAsPutEventsDoes() {
        PutEventsResponse response = bus().put(
                PutEventsRequestEntry.builder().eventBusName(BUS).source("onepoint.deal").detailType("X").detail("[1]").build(),
                PutEventsRequestEntry.builder().eventBusName(BUS).source("onepoint.deal").detailType("X").detail("{oops").build(),
                PutEventsRequestEntry.builder().eventBusName("nope").source("s").detailType("X").detail("{}").build(),
                PutEventsRequestEntry.builder().eventBusName(BUS).detailType("X").detail("{}").build(),
                PutEventsRequestEntry.builder().eventBusName("arn:aws:events:ap-northeast-2:000000000000:event-bus/" + BUS)
                        .source("s").detailType("X").detail("{}").build());
        assertEquals(4, response.failedEntryCount());
        assertEquals("MalformedDetail", response.entries().get(0).errorCode());
        assertEquals("MalformedDetail", response.entries().get(1).errorCode());
        assertEquals("ResourceNotFoundException", response.entries().get(2).errorCode());
        assertEquals("InvalidArgument", response.entries().get(3).errorCode());
        assertNull(response.entries().get(4).errorCode(), "a bus named by ARN");
        assertTrue(response.entries().get(4).eventId() != null);
        EventBridgeException tooMany = assertThrows(EventBridgeException.class,
                () -> bus().put(new PutEventsRequestEntry[11]));
        assertEquals("ValidationException", tooMany.awsErrorDetails().errorCode());
        assertThrows(UnsupportedOperationException.class, () -> bus().client().listRules(b -> b.eventBusName(BUS)));
    }

    @Test
    void refsOfBusesAndRules() {
        assertEquals(BUS, bus().ref("OnePointBus"));
        assertEquals("arn:aws:events:ap-northeast-2:000000000000:event-bus/onepoint-test", bus().getAtt("OnePointBus", "Arn"));
        assertEquals("arn:aws:events:ap-northeast-2:000000000000:rule/onepoint-test/onepoint-test-BigDealsRule",
                bus().getAtt("BigDealsRule", "Arn"));
        assertEquals("onepoint-test|onepoint-test-BigDealsRule", bus().ref("BigDealsRule"));
        assertEquals("arn:aws:events:ap-northeast-2:000000000000:rule/onepoint-test/onepoint-test-AuditFunctionCancelled",
                bus().getAtt("AuditFunctionCancelled", "Arn"));
        assertEquals(Set.of("default", BUS), bus().buses());
        assertEquals(2, bus().rulesOf("AuditFunction").size());
        assertNull(bus().ref("TickRule"), "a schedule rule belongs to the schedules");
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
