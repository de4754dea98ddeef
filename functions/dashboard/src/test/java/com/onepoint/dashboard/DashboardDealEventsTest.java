package com.onepoint.dashboard;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onepoint.devkit.json.Json;
import com.onepoint.shared.table.DashboardTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.devkit.ApiEvents.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deals reach the dashboard as template.yaml wires them: deals stream → outbox → bus → queue →
 * DashboardDealEventsConsumer. SQS may deliver a message twice and in any order; the dashboard must end as the deals
 * table says either way.
 */
class DashboardDealEventsTest {
    private static DashboardStack stack;
    private static String merchant;

    @BeforeAll
    static void start() {
        stack = new DashboardStack();
        merchant = stack.merchant(DashboardStack.uniqueId("shop"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static List<String> failures(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    /** What the POS reads for the deal: the dashboard must show exactly this. */
    private static JsonNode dealAsTheLedgerHasIt(String dealId) {
        return body(expect(200, stack.deals.handleRequest(get("/deals/{dealId}", Map.of("dealId", dealId)), null)));
    }

    private static List<String> dealIds(JsonNode deals) {
        List<String> ids = new ArrayList<>();
        deals.forEach(d -> ids.add(d.get("dealId").asText()));
        return ids;
    }

    @Test
    void everyDealOfTheLedgerShowsOnTheDashboardAsTheDealsTableHoldsIt() {
        stack.deliverAsTheTemplateWires(); // what other tests left behind
        String member = stack.join(DashboardStack.uniqueId("m"));
        String earn = stack.earn(member, merchant, 100_000);
        String use = stack.use(member, merchant, 100);
        String refused = stack.refusedUse(member, merchant, 10_000);
        String cancelledEarn = stack.earn(member, merchant, 20_000);
        stack.cancel(cancelledEarn);

        stack.deliverAsTheTemplateWires();

        JsonNode view = stack.view(member);
        assertEquals(List.of(cancelledEarn, refused, use, earn), dealIds(view.get("deals")), "newest first");
        for (JsonNode deal : view.get("deals")) {
            assertEquals(dealAsTheLedgerHasIt(deal.get("dealId").asText()), deal);
        }
        assertEquals(900, view.get("balance").asLong());
        assertEquals("2", stack.dashboardItem(member, DashboardTable.dealSortKey(
                java.time.Instant.parse(view.get("deals").get(0).get("createdAt").asText()), cancelledEarn)).get(DashboardTable.VERSION).n());
    }

    @Test
    void eventsDeliveredTwiceChangeNothing() {
        stack.deliverAsTheTemplateWires();
        String member = stack.join(DashboardStack.uniqueId("m"));
        String dealId = stack.earn(member, merchant, 30_000);
        stack.cancel(dealId);
        stack.projectMembersAndPoints();
        List<SQSEvent.SQSMessage> messages = stack.dealEventMessages();
        assertEquals(2, messages.size(), "DealRecorded, DealCancelled");
        assertEquals(List.of(), failures(stack.consume(messages)));
        List<Map<String, AttributeValue>> once = stack.items(stack.dashboardTable());

        List<SQSEvent.SQSMessage> twice = new ArrayList<>(messages);
        twice.addAll(messages);
        assertEquals(List.of(), failures(stack.consume(twice)), "a duplicate is success, not an error");

        assertEquals(once, stack.items(stack.dashboardTable()));
        assertEquals(dealAsTheLedgerHasIt(dealId), stack.view(member).get("deals").get(0));
    }

    @Test
    void anOldVersionArrivingAfterTheNewOneIsIgnored() {
        stack.deliverAsTheTemplateWires();
        String member = stack.join(DashboardStack.uniqueId("m"));
        String dealId = stack.earn(member, merchant, 40_000);
        stack.cancel(dealId);
        stack.projectMembersAndPoints();
        List<SQSEvent.SQSMessage> messages = stack.dealEventMessages(); // v1 SUCCESS, v2 CANCELLED

        assertEquals(List.of(), failures(stack.consume(List.of(messages.get(1)))));
        assertEquals(List.of(), failures(stack.consume(List.of(messages.get(0)))), "the stale event is not an error");

        JsonNode shown = stack.view(member).get("deals").get(0);
        assertEquals("CANCELLED", shown.get("status").asText());
        assertEquals(dealAsTheLedgerHasIt(dealId), shown);
    }

    @Test
    void manyDealsInAnyOrderEndAsTheDealsTableSays() {
        stack.deliverAsTheTemplateWires();
        String member = stack.join(DashboardStack.uniqueId("m"));
        stack.earn(member, merchant, 500_000);
        List<String> dealIds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String dealId = i % 2 == 0 ? stack.earn(member, merchant, 10_000 + i) : stack.use(member, merchant, 10 + i);
            dealIds.add(dealId);
            if (i == 0) {
                stack.cancel(dealId);
            } else if (i == 3) {
                stack.cancelUse(dealId);
            }
        }
        stack.projectMembersAndPoints();
        List<SQSEvent.SQSMessage> messages = stack.dealEventMessages();
        Collections.reverse(messages); // every cancellation before the deal's own recording
        List<SQSEvent.SQSMessage> withDuplicates = new ArrayList<>(messages);
        withDuplicates.addAll(messages.subList(0, 3));

        for (int from = 0; from < withDuplicates.size(); from += 4) { // batches of 4, as a poller might hand them over
            assertEquals(List.of(), failures(stack.consume(withDuplicates.subList(from, Math.min(withDuplicates.size(), from + 4)))));
        }

        JsonNode deals = stack.view(member).get("deals");
        assertEquals(7, deals.size());
        for (JsonNode deal : deals) {
            assertEquals(dealAsTheLedgerHasIt(deal.get("dealId").asText()), deal);
        }
    }

    @Test
    void aMessageThatIsNoDealEventIsReportedAloneAndTheOthersApply() throws Exception {
        stack.deliverAsTheTemplateWires();
        String member = stack.join(DashboardStack.uniqueId("m"));
        String dealId = stack.earn(member, merchant, 10_000);
        stack.projectMembersAndPoints();
        SQSEvent.SQSMessage good = stack.dealEventMessages().get(0);
        ObjectNode unversioned = (ObjectNode) Json.read(good.getBody());
        ((ObjectNode) unversioned.get("detail")).remove("version");
        ObjectNode memberEvent = (ObjectNode) Json.read(good.getBody());
        memberEvent.put("detail-type", "MemberJoined");
        SQSEvent.SQSMessage notJson = stack.message("{not json");
        SQSEvent.SQSMessage noVersion = stack.message(Json.write(unversioned));
        SQSEvent.SQSMessage notADeal = stack.message(Json.write(memberEvent));

        SQSBatchResponse response = stack.consume(List.of(notJson, good, noVersion, notADeal));

        assertEquals(List.of(notJson.getMessageId(), noVersion.getMessageId(), notADeal.getMessageId()), failures(response));
        assertEquals(dealAsTheLedgerHasIt(dealId), stack.view(member).get("deals").get(0));
    }

    @Test
    void aThrottledWriteIsReportedAndItsRedeliveryCompletesIt() {
        stack.deliverAsTheTemplateWires();
        String member = stack.join(DashboardStack.uniqueId("m"));
        String first = stack.earn(member, merchant, 10_000);
        String second = stack.earn(member, merchant, 20_000);
        stack.projectMembersAndPoints();
        List<SQSEvent.SQSMessage> messages = stack.dealEventMessages();
        // the engine does not throttle on its own: a client refusing the first PutItem stands in for it
        AtomicInteger refusals = new AtomicInteger(1);
        DashboardDealEventsConsumer throttled = new DashboardDealEventsConsumer(
                new com.onepoint.shared.aws.Env(stack.template.functionEnvironment("DashboardDealEventsFunction", stack.dynamo)),
                refusingFirstPuts(stack.dynamo.client(), refusals));
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);

        SQSBatchResponse response = throttled.handleRequest(event, null);

        assertEquals(List.of(messages.get(0).getMessageId()), failures(response));
        assertEquals(List.of(second), dealIds(stack.view(member).get("deals")));
        assertEquals(List.of(), failures(stack.consume(List.of(messages.get(0)))), "SQS delivers the failed one again");
        assertEquals(List.of(second, first), dealIds(stack.view(member).get("deals")));
    }

    @ParameterizedTest
    @Event(value = "events/dashboard-deal-events.json", type = SQSEvent.class)
    void dealEventsFixture(SQSEvent event) {
        // restored (v3), recorded (v1), cancelled (v2): the newest arrives first
        assertEquals(List.of(), failures(stack.dealEvents.handleRequest(event, null)));
        assertEquals(List.of(), failures(stack.dealEvents.handleRequest(event, null)), "a redelivery is harmless");

        Map<String, AttributeValue> deal = stack.dashboardItem("0001",
                DashboardTable.dealSortKey(java.time.Instant.parse("2026-11-25T02:00:00Z"), "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"));
        assertFalse(deal.isEmpty());
        assertEquals("3", deal.get(DashboardTable.VERSION).n());
        assertEquals("CANCELLED", deal.get("status").s());
        assertEquals("DONE", deal.get("restoration").s());
        assertTrue(deal.containsKey("cancelledAt"));
    }

    /** A DynamoDbClient whose first {@code refusals} PutItem calls are throttled; everything else passes through. */
    private static DynamoDbClient refusingFirstPuts(DynamoDbClient real, AtomicInteger refusals) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[]{DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("putItem") && refusals.getAndDecrement() > 0) {
                        throw ProvisionedThroughputExceededException.builder().message("throttled (test)").build();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
