package com.onepoint.dashboard;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.table.DashboardTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The projector fed with what the ledger's own writes put on the members, points and deals streams. */
class DashboardProjectionTest {
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

    private static DynamodbEvent only(DynamodbEvent batch, int... indexes) {
        List<DynamodbEvent.DynamodbStreamRecord> picked = new ArrayList<>();
        for (int i : indexes) {
            picked.add(batch.getRecords().get(i));
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(picked);
        return event;
    }

    private static String sequenceNumber(DynamodbEvent.DynamodbStreamRecord record) {
        return record.getDynamodb().getSequenceNumber();
    }

    private static List<String> failures(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void joinProjectsAnActiveProfileWithoutContactData() {
        String member = stack.join(DashboardStack.uniqueId("m"));

        stack.projectAll();

        Map<String, AttributeValue> profile = stack.dashboardItem(member, DashboardTable.PROFILE);
        assertEquals("ACTIVE", profile.get(DashboardTable.STATUS).s());
        assertEquals("Member " + member, profile.get(DashboardTable.NAME).s());
        assertEquals("1", profile.get(DashboardTable.VERSION).n());
        assertFalse(profile.containsKey("phone"), "the dashboard holds no phone number");
        assertFalse(profile.containsKey("email"), "the dashboard holds no e-mail address");
        JsonNode view = stack.view(member);
        assertEquals("ACTIVE", view.get("status").asText());
        assertEquals(0, view.get("balance").asLong());
        assertEquals(0, view.get("deals").size());
        assertFalse(view.has("nextToken"));
    }

    @Test
    void pointChangesProjectTheBalance() {
        String member = stack.join(DashboardStack.uniqueId("m"));
        stack.earn(member, merchant, 100_000);
        stack.use(member, merchant, 100);
        stack.refusedUse(member, merchant, 10_000);

        stack.projectAll();

        Map<String, AttributeValue> balance = stack.dashboardItem(member, DashboardTable.BALANCE);
        assertEquals(900, Items.num(balance, DashboardTable.BALANCE_POINTS));
        assertEquals("OPEN", balance.get(DashboardTable.ACCOUNT_STATUS).s());
        assertEquals("3", balance.get(DashboardTable.VERSION).n(), "opened, earned, used: the refused use changed nothing");
        assertEquals(900, stack.view(member).get("balance").asLong());
    }

    @Test
    void dealsAreListedNewestFirstInTheDealShape() {
        String member = stack.join(DashboardStack.uniqueId("m"));
        String first = stack.earn(member, merchant, 100_000);
        String second = stack.use(member, merchant, 100);
        String third = stack.refusedUse(member, merchant, 10_000);
        String fourth = stack.earn(member, merchant, 12_345);

        stack.projectAll();

        JsonNode deals = stack.view(member).get("deals");
        assertEquals(4, deals.size());
        assertEquals(List.of(fourth, third, second, first),
                List.of(deals.get(0).get("dealId").asText(), deals.get(1).get("dealId").asText(),
                        deals.get(2).get("dealId").asText(), deals.get(3).get("dealId").asText()));
        JsonNode refused = deals.get(1);
        assertEquals("FAILED", refused.get("status").asText());
        assertEquals("INSUFFICIENT_POINTS", refused.get("failureReason").asText());
        JsonNode earn = deals.get(0);
        assertEquals(member, earn.get("memberId").asText());
        assertEquals(merchant, earn.get("merchantId").asText());
        assertEquals("earn", earn.get("type").asText());
        assertEquals(12_345, earn.get("amount").asLong());
        assertEquals(123, earn.get("points").asLong());
        assertEquals("SUCCESS", earn.get("status").asText());
        assertTrue(earn.has("occurredAt") && earn.has("createdAt"));
        assertFalse(earn.has("version") || earn.has("sk"), "storage attributes stay out of the API");
    }

    @Test
    void aCancellationReplacesTheSuccessSnapshot() {
        String member = stack.join(DashboardStack.uniqueId("m"));
        String dealId = stack.earn(member, merchant, 50_000);
        stack.projectAll();
        assertEquals("SUCCESS", stack.view(member).get("deals").get(0).get("status").asText());

        stack.cancel(dealId);
        stack.projectAll();

        JsonNode deals = stack.view(member).get("deals");
        assertEquals(1, deals.size(), "the cancelled deal replaces its earlier snapshot, it is not listed twice");
        assertEquals(dealId, deals.get(0).get("dealId").asText());
        assertEquals("CANCELLED", deals.get(0).get("status").asText());
        assertTrue(deals.get(0).has("cancelledAt"));
        assertEquals(0, stack.view(member).get("balance").asLong());
    }

    @Test
    void withdrawalProjectsWithdrawnAndAClosedZeroBalance() {
        String member = stack.join(DashboardStack.uniqueId("m"));
        stack.earn(member, merchant, 60_000);
        stack.projectAll();

        stack.leave(member);
        stack.projectAll();

        JsonNode view = stack.view(member);
        assertEquals("WITHDRAWN", view.get("status").asText());
        assertEquals(0, view.get("balance").asLong());
        assertEquals(1, view.get("deals").size(), "the history stays after leaving");
        assertEquals("CLOSED", stack.dashboardItem(member, DashboardTable.BALANCE).get(DashboardTable.ACCOUNT_STATUS).s());
        assertTrue(stack.dashboardItem(member, DashboardTable.PROFILE).containsKey(DashboardTable.WITHDRAWN_AT));
    }

    @Test
    void replayingTheSameBatchTwiceChangesNothing() {
        stack.projectAll(); // what other tests left behind
        String member = stack.join(DashboardStack.uniqueId("m"));
        String dealId = stack.earn(member, merchant, 30_000);
        stack.cancel(dealId);
        List<DynamodbEvent> batches = List.of(stack.changes(DashboardStack.MEMBERS), stack.changes(DashboardStack.POINTS),
                stack.changes(DashboardStack.DEALS));
        for (DynamodbEvent batch : batches) {
            assertEquals(List.of(), failures(stack.project(batch)));
        }
        List<Map<String, AttributeValue>> once = stack.items(stack.dashboardTable());

        for (DynamodbEvent batch : batches) {
            assertEquals(List.of(), failures(stack.project(batch)), "a redelivered record is success, not an error");
        }

        assertEquals(once, stack.items(stack.dashboardTable()));
        assertEquals("CANCELLED", stack.view(member).get("deals").get(0).get("status").asText());
    }

    @Test
    void anOlderVersionArrivingAfterANewerOneIsIgnored() {
        stack.projectAll();
        String member = stack.join(DashboardStack.uniqueId("m"));
        String dealId = stack.earn(member, merchant, 40_000);
        stack.cancel(dealId);
        stack.leave(member);
        DynamodbEvent dealChanges = stack.changes(DashboardStack.DEALS);     // INSERT v1 (SUCCESS), MODIFY v2 (CANCELLED)
        DynamodbEvent memberChanges = stack.changes(DashboardStack.MEMBERS); // INSERT v1 (ACTIVE), MODIFY v2 (WITHDRAWN)
        DynamodbEvent pointChanges = stack.changes(DashboardStack.POINTS);   // v1 0, v2 400, v3 0, v4 CLOSED
        assertEquals(2, dealChanges.getRecords().size());
        assertEquals(2, memberChanges.getRecords().size());
        assertEquals(4, pointChanges.getRecords().size());

        assertEquals(List.of(), failures(stack.project(only(dealChanges, 1, 0))));
        assertEquals(List.of(), failures(stack.project(only(memberChanges, 1, 0))));
        assertEquals(List.of(), failures(stack.project(only(pointChanges, 3, 1, 0, 2))));

        JsonNode view = stack.view(member);
        assertEquals("WITHDRAWN", view.get("status").asText());
        assertEquals(0, view.get("balance").asLong());
        assertEquals("CANCELLED", view.get("deals").get(0).get("status").asText());
        assertEquals("2", stack.dashboardItem(member, DashboardTable.PROFILE).get(DashboardTable.VERSION).n());
        assertEquals("4", stack.dashboardItem(member, DashboardTable.BALANCE).get(DashboardTable.VERSION).n());
        assertEquals("CLOSED", stack.dashboardItem(member, DashboardTable.BALANCE).get(DashboardTable.ACCOUNT_STATUS).s());
    }

    @Test
    void aDeletedSourceItemLeavesTheDashboard() {
        String member = stack.join(DashboardStack.uniqueId("m"));
        String kept = stack.earn(member, merchant, 10_000);
        String deleted = stack.earn(member, merchant, 20_000);
        stack.projectAll();
        // the ledger deletes nothing; a deletion by hand (an erasure, say) must still reach the read model
        stack.dynamo.client().deleteItem(b -> b.tableName(stack.sourceTables().deals())
                .key(Map.of("dealId", AttributeValue.fromS(deleted))));

        stack.projectAll();

        JsonNode deals = stack.view(member).get("deals");
        assertEquals(1, deals.size());
        assertEquals(kept, deals.get(0).get("dealId").asText());
    }

    @Test
    void aRecordFromAnUnknownStreamIsTheReportedFailureAndTheBatchStopsThere() {
        stack.projectAll();
        String before = stack.join(DashboardStack.uniqueId("m"));
        String foreign = stack.join(DashboardStack.uniqueId("m"));
        String after = stack.join(DashboardStack.uniqueId("m"));
        DynamodbEvent batch = stack.changes(DashboardStack.MEMBERS);
        assertEquals(3, batch.getRecords().size());
        DynamodbEvent.DynamodbStreamRecord unknown = batch.getRecords().get(1);
        unknown.setEventSourceARN(unknown.getEventSourceARN().replace("-members/stream/", "-merchants/stream/"));

        StreamsEventResponse response = stack.project(batch);

        assertEquals(List.of(sequenceNumber(unknown)), failures(response));
        assertFalse(stack.dashboardItem(before, DashboardTable.PROFILE).isEmpty(), "records before the failure are applied");
        assertTrue(stack.dashboardItem(foreign, DashboardTable.PROFILE).isEmpty());
        assertTrue(stack.dashboardItem(after, DashboardTable.PROFILE).isEmpty(),
                "records after the failure wait: Lambda redelivers from the failed one");
    }

    @Test
    void aRecordWithoutAVersionIsAFailureNotAGuess() {
        stack.projectAll();
        String member = stack.join(DashboardStack.uniqueId("m"));
        DynamodbEvent batch = stack.changes(DashboardStack.MEMBERS);
        DynamodbEvent.DynamodbStreamRecord record = batch.getRecords().get(0);
        record.getDynamodb().getNewImage().remove(DashboardTable.VERSION);

        assertEquals(List.of(sequenceNumber(record)), failures(stack.project(batch)));
        assertTrue(stack.dashboardItem(member, DashboardTable.PROFILE).isEmpty());
    }

    @Test
    void aThrottledWriteIsReportedAndTheRetriedBatchCompletesIt() {
        stack.projectAll();
        String first = stack.join(DashboardStack.uniqueId("m"));
        String throttled = stack.join(DashboardStack.uniqueId("m"));
        DynamodbEvent batch = stack.changes(DashboardStack.MEMBERS);
        // a client that refuses writes of one member stands in for a throttled table
        DashboardProjector projector = new DashboardProjector(stack.projectorEnv,
                refusingPutsOf(stack.dynamo.client(), throttled));

        StreamsEventResponse response = projector.handleRequest(batch, null);

        assertEquals(List.of(sequenceNumber(batch.getRecords().get(1))), failures(response));
        assertFalse(stack.dashboardItem(first, DashboardTable.PROFILE).isEmpty());
        assertTrue(stack.dashboardItem(throttled, DashboardTable.PROFILE).isEmpty());

        // Lambda retries from the failed record; the first one comes again too and is already applied
        assertEquals(List.of(), failures(stack.project(batch)));
        assertEquals("ACTIVE", stack.view(throttled).get("status").asText());
    }

    /** A DynamoDbClient that throttles every PutItem for {@code memberId} and passes everything else through. */
    private static DynamoDbClient refusingPutsOf(DynamoDbClient real, String memberId) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[]{DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("putItem") && args != null && args.length == 1) {
                        PutItemRequest request = args[0] instanceof PutItemRequest r ? r
                                : consumerRequest(args[0]);
                        if (memberId.equals(request.item().get(DashboardTable.MEMBER_ID).s())) {
                            throw ProvisionedThroughputExceededException.builder().message("throttled (test)").build();
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @SuppressWarnings("unchecked")
    private static PutItemRequest consumerRequest(Object consumer) {
        PutItemRequest.Builder builder = PutItemRequest.builder();
        ((Consumer<PutItemRequest.Builder>) consumer).accept(builder);
        return builder.build();
    }
}
