package com.onepoint.point;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.Refund;
import com.onepoint.shared.domain.Restoration;
import com.onepoint.shared.domain.MovementKind;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.dynamo.LedgerMovement;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.PointsTable;
import com.onepoint.shared.table.RefundsTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The restore consumer on the embedded engine: exactly once per deal, however often the message arrives. */
class RestoreQueueConsumerTest {
    private static LocalDynamo dynamo;
    private static RestoreQueueConsumer consumer;
    private static String dealsTable;
    private static String pointsTable;
    private static String refundsTable;

    @BeforeAll
    static void start() {
        SamTemplate template = SamTemplate.load(Path.of("template.yaml"));
        dynamo = LocalDynamo.start(template);
        Env env = new Env(template.functionEnvironment("PointRestoreFunction", dynamo));
        dealsTable = env.require(DealsTable.ENV);
        pointsTable = env.require(PointsTable.ENV);
        refundsTable = env.require(RefundsTable.ENV);
        consumer = new RestoreQueueConsumer(env, dynamo.client(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    /** A member with {@code balance} and a use of {@code points} already cancelled, awaiting restoration. */
    private static String cancelledUse(String dealId, String memberId, long balance, long points, String accountStatus) {
        dynamo.client().putItem(b -> b.tableName(pointsTable).item(Map.of(PointsTable.MEMBER_ID, s(memberId),
                PointsTable.BALANCE, n(balance), PointsTable.STATUS, s(accountStatus), PointsTable.VERSION, n(1))));
        Deal deal = new Deal(dealId, memberId, "20", DealType.USE, points * 100, points, DealStatus.CANCELLED, null,
                Instant.parse("2026-11-25T02:00:00Z"), Instant.parse("2026-11-25T02:00:00Z"),
                Instant.parse("2026-11-25T03:00:00Z"), Restoration.PENDING, null, 2);
        dynamo.client().putItem(b -> b.tableName(dealsTable).item(DealsTable.SCHEMA.itemToMap(deal, true)));
        return dealId;
    }

    private static SQSEvent.SQSMessage message(String dealId) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(UUID.randomUUID().toString());
        m.setBody("{\"version\":\"0\",\"detail-type\":\"DealCancelled\",\"source\":\"onepoint.deal\",\"detail\":{\"dealId\":\""
                + dealId + "\",\"type\":\"use\"}}");
        m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        return m;
    }

    private static SQSEvent batch(SQSEvent.SQSMessage... messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(messages));
        return event;
    }

    private static long balance(String memberId) {
        return Items.num(dynamo.client().getItem(b -> b.tableName(pointsTable)
                .key(Items.key(PointsTable.MEMBER_ID, memberId)).consistentRead(true)).item(), PointsTable.BALANCE);
    }

    private static String restoration(String dealId) {
        return dynamo.client().getItem(b -> b.tableName(dealsTable).key(Items.key(DealsTable.DEAL_ID, dealId))
                .consistentRead(true)).item().get(DealsTable.RESTORATION).s();
    }

    @ParameterizedTest
    @Event(value = "events/restore-queue.json", type = SQSEvent.class)
    void fixtureRestoresThePointsOfTheCancelledUse(SQSEvent event) {
        String dealId = RestoreQueueConsumer.dealIdOf(event.getRecords().get(0).getBody());
        cancelledUse(dealId, "0001", 900, 100, "OPEN");

        SQSBatchResponse response = consumer.handleRequest(event, null);

        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals(1000, balance("0001"));
        assertEquals("DONE", restoration(dealId));
    }

    @Test
    void aMessageDeliveredTwiceRestoresOnce() {
        String member = "m-" + UUID.randomUUID();
        String dealId = cancelledUse(UUID.randomUUID().toString(), member, 900, 100, "OPEN");

        SQSBatchResponse first = consumer.handleRequest(batch(message(dealId), message(dealId)), null);
        SQSBatchResponse again = consumer.handleRequest(batch(message(dealId)), null);

        assertTrue(first.getBatchItemFailures().isEmpty());
        assertTrue(again.getBatchItemFailures().isEmpty(), "a redelivery is a success that changes nothing");
        assertEquals(1000, balance(member));
        assertEquals("DONE", restoration(dealId));
        Map<String, AttributeValue> deal = dynamo.client().getItem(b -> b.tableName(dealsTable)
                .key(Items.key(DealsTable.DEAL_ID, dealId)).consistentRead(true)).item();
        assertEquals(100, Items.num(deal, DealsTable.RESTORED_POINTS), "what the audit credits the use with, once");
        Map<String, AttributeValue> account = dynamo.client().getItem(b -> b.tableName(pointsTable)
                .key(Items.key(PointsTable.MEMBER_ID, member)).consistentRead(true)).item();
        LedgerMovement movement = LedgerMovement.of(account);
        assertEquals(MovementKind.USE_RESTORE, movement.kind());
        assertEquals(100, movement.points());
        assertEquals(dealId, movement.dealId());
        assertEquals(2, Items.num(account, PointsTable.VERSION), "one balance write");
    }

    @Test
    void twentyConcurrentDeliveriesRestoreOnce() throws Exception {
        String member = "m-" + UUID.randomUUID();
        String dealId = cancelledUse(UUID.randomUUID().toString(), member, 0, 250, "OPEN");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<SQSBatchResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(pool.submit(() -> {
                gate.await();
                return consumer.handleRequest(batch(message(dealId)), null);
            }));
        }
        gate.countDown();
        for (Future<SQSBatchResponse> f : futures) {
            assertTrue(f.get(60, TimeUnit.SECONDS).getBatchItemFailures().isEmpty());
        }
        pool.shutdown();
        assertEquals(250, balance(member));
    }

    @Test
    void onlyThePoisonMessageIsReportedAsFailed() {
        String member = "m-" + UUID.randomUUID();
        String dealId = cancelledUse(UUID.randomUUID().toString(), member, 0, 40, "OPEN");
        SQSEvent.SQSMessage poison = message("no-such-deal");
        SQSEvent.SQSMessage garbage = message(dealId);
        garbage.setBody("not json at all");
        SQSEvent.SQSMessage good = message(dealId);

        SQSBatchResponse response = consumer.handleRequest(batch(poison, good, garbage), null);

        List<String> failed = response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
        assertEquals(List.of(poison.getMessageId(), garbage.getMessageId()), failed);
        assertEquals(40, balance(member));
    }

    @Test
    void aMemberWhoLeftBeforeTheRestoreForfeitsThePoints() {
        String member = "m-" + UUID.randomUUID();
        String dealId = cancelledUse(UUID.randomUUID().toString(), member, 0, 100, "CLOSED");

        SQSBatchResponse response = consumer.handleRequest(batch(message(dealId)), null);

        assertTrue(response.getBatchItemFailures().isEmpty(), "nothing to retry: the account is closed for good");
        assertEquals(0, balance(member));
        assertEquals("FORFEITED", restoration(dealId));
    }

    /** A use of {@code points} with {@code refunded} of them refunded by one refund, awaiting its restoration. */
    private static String refundedUse(String refundId, String dealId, String memberId, long balance, long points,
                                      long refunded, String accountStatus) {
        dynamo.client().putItem(b -> b.tableName(pointsTable).item(Map.of(PointsTable.MEMBER_ID, s(memberId),
                PointsTable.BALANCE, n(balance), PointsTable.STATUS, s(accountStatus), PointsTable.VERSION, n(1))));
        Instant at = Instant.parse("2026-11-25T02:00:00Z");
        Deal deal = new Deal(dealId, memberId, "20", DealType.USE, points * 100, points, DealStatus.SUCCESS, null,
                at, at, null, null, null, 2, null, 0, refunded, 0, refundId);
        dynamo.client().putItem(b -> b.tableName(dealsTable).item(DealsTable.SCHEMA.itemToMap(deal, true)));
        Refund refund = Refund.ofUse(refundId, deal, refunded, at.plusSeconds(60));
        dynamo.client().putItem(b -> b.tableName(refundsTable).item(RefundsTable.SCHEMA.itemToMap(refund, true)));
        return refundId;
    }

    private static SQSEvent.SQSMessage refundMessage(String dealId, String refundId) {
        SQSEvent.SQSMessage m = message(dealId);
        m.setBody("{\"version\":\"0\",\"detail-type\":\"DealRefunded\",\"source\":\"onepoint.deal\",\"detail\":{\"dealId\":\""
                + dealId + "\",\"type\":\"use\",\"refund\":{\"refundId\":\"" + refundId + "\",\"points\":1}}}");
        return m;
    }

    private static Deal deal(String dealId) {
        return DealsTable.SCHEMA.mapToItem(dynamo.client().getItem(b -> b.tableName(dealsTable)
                .key(Items.key(DealsTable.DEAL_ID, dealId)).consistentRead(true)).item());
    }

    private static Refund refund(String refundId) {
        return RefundsTable.SCHEMA.mapToItem(dynamo.client().getItem(b -> b.tableName(refundsTable)
                .key(Items.key(RefundsTable.REFUND_ID, refundId)).consistentRead(true)).item());
    }

    @ParameterizedTest
    @Event(value = "events/restore-queue-refund.json", type = SQSEvent.class)
    void refundFixtureRestoresTheRefundsPoints(SQSEvent event) {
        RestoreQueueConsumer.Restore restore = RestoreQueueConsumer.restoreOf(event.getRecords().get(0).getBody());
        refundedUse(restore.refundId(), restore.dealId(), "0002", 900, 100, 40, "OPEN");

        SQSBatchResponse response = consumer.handleRequest(event, null);

        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals(940, balance("0002"));
        assertEquals(Restoration.DONE, refund(restore.refundId()).restoration());
        assertEquals(40, deal(restore.dealId()).restoredPoints(), "the deal counts what was credited back");
    }

    @Test
    void eachRefundIsRestoredOnceHoweverOftenItIsDelivered() throws Exception {
        String member = "m-" + UUID.randomUUID();
        String dealId = UUID.randomUUID().toString();
        String first = refundedUse(UUID.randomUUID().toString(), dealId, member, 0, 300, 100, "OPEN");
        String second = UUID.randomUUID().toString();
        Refund secondRefund = Refund.ofUse(second, deal(dealId), 50, Instant.now());
        dynamo.client().putItem(b -> b.tableName(refundsTable).item(RefundsTable.SCHEMA.itemToMap(secondRefund, true)));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<SQSBatchResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String refundId = i % 2 == 0 ? first : second;
            futures.add(pool.submit(() -> {
                gate.await();
                return consumer.handleRequest(batch(refundMessage(dealId, refundId)), null);
            }));
        }
        gate.countDown();
        for (Future<SQSBatchResponse> f : futures) {
            assertTrue(f.get(60, TimeUnit.SECONDS).getBatchItemFailures().isEmpty());
        }
        pool.shutdown();

        assertEquals(150, balance(member), "100 + 50, each refund once");
        assertEquals(150, deal(dealId).restoredPoints());
    }

    @Test
    void aCancellationAfterRefundsRestoresOnlyWhatTheyLeft() {
        String member = "m-" + UUID.randomUUID();
        String dealId = UUID.randomUUID().toString();
        String refundId = refundedUse(UUID.randomUUID().toString(), dealId, member, 0, 300, 100, "OPEN");
        consumer.handleRequest(batch(refundMessage(dealId, refundId)), null);
        dynamo.client().updateItem(b -> b.tableName(dealsTable).key(Items.key(DealsTable.DEAL_ID, dealId))
                .updateExpression("SET #s = :c, restoration = :p").expressionAttributeNames(Map.of("#s", DealsTable.STATUS))
                .expressionAttributeValues(Map.of(":c", s("CANCELLED"), ":p", s("PENDING"))));

        consumer.handleRequest(batch(message(dealId), message(dealId)), null);

        assertEquals(300, balance(member), "100 by the refund, 200 by the cancellation: the deal's 300, not 400");
        assertEquals(300, deal(dealId).restoredPoints());
        assertEquals(Restoration.DONE, deal(dealId).restoration());
    }

    @Test
    void aRefundOfAMemberWhoLeftIsForfeitedAndAnUnknownRefundIsPoison() {
        String member = "m-" + UUID.randomUUID();
        String dealId = UUID.randomUUID().toString();
        String refundId = refundedUse(UUID.randomUUID().toString(), dealId, member, 0, 100, 30, "CLOSED");
        SQSEvent.SQSMessage unknown = refundMessage(dealId, "no-such-refund");

        SQSBatchResponse response = consumer.handleRequest(batch(refundMessage(dealId, refundId), unknown), null);

        assertEquals(List.of(unknown.getMessageId()), response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals(0, balance(member));
        assertEquals(Restoration.FORFEITED, refund(refundId).restoration());
        assertEquals(0, deal(dealId).restoredPoints());
    }
}
