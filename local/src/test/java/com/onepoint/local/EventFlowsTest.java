package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.shared.domain.BusinessMonth;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.table.BillingTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The asynchronous half end to end over HTTP, on the whole runtime from template.yaml: outbox → bus → rule →
 * restore queue → consumer, the dashboard and billing read models, the DLQ and its redrive. Eventual consistency is
 * polled with a bounded wait. Failures no emulator produces (a consumer that is down, a function dying after its
 * write) are injected with the runtime's interceptor. The restore queue's visibility timeout is 1 s here.
 */
class EventFlowsTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final AtomicBoolean restoreDown = new AtomicBoolean();
    private static final AtomicBoolean dealFunctionDiesAfterWrite = new AtomicBoolean();
    private static LocalRuntime runtime;
    private static DevkitEventSources events;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        SamTemplate template = SamTemplate.load(Path.of("template.yaml"), Map.of("RestoreRetryDelaySeconds", "1"));
        events = new DevkitEventSources(Clock.systemUTC());
        runtime = LocalRuntime.start(template, 0, RuntimeOverrides.defaults().withExtension(events)
                .withInterceptor((function, event, proceed) -> {
                    if (function.equals("PointRestoreFunction") && restoreDown.get()) {
                        throw new IllegalStateException("restore consumer is down (injected by the test)");
                    }
                    Object result = proceed.call();
                    if (function.equals("DealFunction") && dealFunctionDiesAfterWrite.compareAndSet(true, false)) {
                        throw new IllegalStateException("died after its write (injected by the test)");
                    }
                    return result;
                }));
        api = new ApiClient(runtime);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void specStepsOneToSevenWithTheirFigures() {
        expect(201, api.post("/merchants", "{\"merchantId\":\"20\",\"name\":\"Merchant 20\"}"));
        join("0001");
        join("0002");
        String firstEarn = deal("0001", "20", "earn", 100000, null).get("dealId").asText();
        expect(200, api.post("/deals/" + firstEarn + "/cancel", null));
        assertEquals(0, balance("0001"));
        deal("0001", "20", "earn", 100000, null);
        deal("0001", "20", "use", 10000, 100L);
        ApiClient.Answer refused = api.post("/deals", dealBody("0001", "20", "use", 10000, 10000L));
        assertEquals("INSUFFICIENT_POINTS", expect(409, refused).errorCode());
        deal("0001", "20", "earn", 100000, null);
        assertEquals(1900, balance("0001"));
        deal("0002", "20", "earn", 100000, null);
        deal("0002", "20", "use", 20000, 200L);
        deal("0002", "20", "use", 20000, 200L);
        assertEquals(600, balance("0002"));

        // 6. the dashboard of 0002 lists its 3 deals and ACTIVE; it leaves with 600 forfeited; WITHDRAWN; 409 after
        await("dashboard of 0002 shows 3 deals", () -> {
            ApiClient.Answer d = api.get("/dashboard/members/0002");
            return d.status() == 200 && d.json().get("deals").size() == 3 && d.json().get("balance").asLong() == 600;
        });
        JsonNode dashboard = api.get("/dashboard/members/0002").json();
        assertEquals("ACTIVE", dashboard.get("status").asText());
        assertEquals("use", dashboard.get("deals").get(0).get("type").asText(), "newest first");
        JsonNode left = expect(200, api.delete("/members/0002")).json();
        assertEquals(600, left.get("forfeitedPoints").asLong());
        await("dashboard of 0002 shows WITHDRAWN",
                () -> "WITHDRAWN".equals(api.get("/dashboard/members/0002").json().get("status").asText()));
        assertEquals("MEMBER_NOT_ACTIVE", expect(409, api.post("/deals", dealBody("0002", "20", "earn", 1000, null))).errorCode());

        // 7. settle merchant 20 for the current month: usedPoints 500, settlementAmount 490 — once the billing view
        // has taken in every use (settling is final, so it must not run ahead of the stream)
        String month = BusinessMonth.of(Instant.now(), BusinessMonth.DEFAULT_ZONE);
        await("billing view of merchant 20 holds 3 uses", () -> grossUses("20", month) == 3);
        String body = "{\"merchantId\":\"20\",\"billingMonth\":\"" + month + "\"}";
        JsonNode settlement = expect(201, api.post("/billings", body)).json();
        assertEquals(500, settlement.get("usedPoints").asLong());
        assertEquals(3, settlement.get("useCount").asLong());
        assertEquals(490, settlement.get("settlementAmount").asLong());
        assertEquals("SETTLED", settlement.get("status").asText());
        ApiClient.Answer again = expect(200, api.post("/billings", body));
        assertEquals(settlement, again.json(), "settling twice gives the same settlement");
        assertEquals(settlement, expect(200, api.get("/billings/20/" + month)).json());
    }

    @Test
    void aCancelledUseIsRestoredOnceEvenWhenTheMessageArrivesAgain() throws Exception {
        String merchant = merchant();
        String member = join("m-" + shortId());
        deal(member, merchant, "earn", 100000, null);
        String use = deal(member, merchant, "use", 30000, 300L).get("dealId").asText();

        JsonNode cancelled = expect(202, api.post("/deals/" + use + "/cancel", null)).json();

        assertEquals("PENDING", cancelled.get("restoration").asText());
        awaitRestoration(use, "DONE");
        assertEquals(1000, balance(member));
        // the same cancellation delivered twice more, as SQS may
        String envelope = "{\"version\":\"0\",\"detail-type\":\"DealCancelled\",\"source\":\"onepoint.deal\","
                + "\"detail\":{\"dealId\":\"" + use + "\",\"type\":\"use\"}}";
        for (int i = 0; i < 2; i++) {
            events.sqs().client().sendMessage(b -> b.queueUrl(events.sqs().urlOf("RestoreQueue")).messageBody(envelope));
        }
        await("restore queue drained", () -> events.sqs().approximateCount("RestoreQueue") == 0);
        Thread.sleep(1500); // a redelivery would have been consumed by now
        assertEquals(1000, balance(member), "restored exactly once");
    }

    @Test
    void cancellationsAcceptedWhileTheRestoreConsumerFailsAreRestoredOnceItRecovers() throws Exception {
        String merchant = merchant();
        String member = join("m-" + shortId());
        deal(member, merchant, "earn", 100000, null);
        List<String> uses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            uses.add(deal(member, merchant, "use", 10000, 100L).get("dealId").asText());
        }
        restoreDown.set(true);
        try {
            for (String use : uses) {
                expect(202, api.post("/deals/" + use + "/cancel", null)); // accepted although restores fail
            }
            Thread.sleep(2500); // two or so failed receives each, fewer than the 5 that lead to the DLQ
            assertEquals(700, balance(member));
        } finally {
            restoreDown.set(false);
        }
        for (String use : uses) {
            awaitRestoration(use, "DONE");
        }
        assertEquals(1000, balance(member));
    }

    @Test
    void aMessageThatKeepsFailingReachesTheDlqAfterFiveReceivesAndRedriveBringsItBack() {
        String merchant = merchant();
        String member = join("m-" + shortId());
        deal(member, merchant, "earn", 100000, null);
        String use = deal(member, merchant, "use", 25000, 250L).get("dealId").asText();
        restoreDown.set(true);
        try {
            expect(202, api.post("/deals/" + use + "/cancel", null));
            await("message in the restore DLQ", () -> events.sqs().approximateCount("RestoreDeadLetterQueue") == 1);
            assertEquals(750, balance(member));
            assertEquals("PENDING", api.get("/deals/" + use).json().get("restoration").asText());
        } finally {
            restoreDown.set(false);
        }

        JsonNode redriven = expect(200, api.post("/admin/restore-dlq/redrive", null)).json();

        assertEquals(1, redriven.get("moved").asInt());
        awaitRestoration(use, "DONE");
        assertEquals(1000, balance(member));
        assertEquals(0, events.sqs().approximateCount("RestoreDeadLetterQueue"));
    }

    @Test
    void aFunctionDyingAfterItsWriteLosesNoEvent() {
        String merchant = merchant();
        String member = join("m-" + shortId());
        deal(member, merchant, "earn", 100000, null);
        String use = deal(member, merchant, "use", 40000, 400L).get("dealId").asText();
        dealFunctionDiesAfterWrite.set(true);

        ApiClient.Answer died = api.post("/deals/" + use + "/cancel", null);

        assertEquals(502, died.status(), "the POS sees a failure: " + died.body());
        // the write had committed; the table stream carries DealCancelled to the bus, the rule and the queue
        assertEquals("CANCELLED", api.get("/deals/" + use).json().get("status").asText());
        awaitRestoration(use, "DONE");
        assertEquals(1000, balance(member));
    }

    @Test
    void specStepNineReceiptAndRefundsOfAnEarn() {
        String merchant = merchant(); // defaults, like merchant 20
        String member = join("m-" + shortId());
        String receipt = "T1-" + shortId();
        String body = "{\"memberId\":\"" + member + "\",\"merchantId\":\"" + merchant
                + "\",\"type\":\"earn\",\"amount\":30001,\"receiptId\":\"" + receipt + "\"}";
        JsonNode earn = expect(201, api.post("/deals", body)).json();
        assertEquals(300, earn.get("points").asLong());
        assertEquals(receipt, earn.get("receiptId").asText());
        String dealId = earn.get("dealId").asText();

        ApiClient.Answer duplicate = expect(409, api.post("/deals", body));
        assertEquals("DUPLICATE_RECEIPT", duplicate.errorCode());
        assertEquals(dealId, duplicate.json().at("/error/details/dealId").asText());
        assertEquals(dealId, expect(200, api.get("/merchants/" + merchant + "/receipts/" + receipt)).json().get("dealId").asText());
        assertEquals("RECEIPT_NOT_FOUND", expect(404, api.get("/merchants/" + merchant + "/receipts/T9-none")).errorCode());

        long[] deducted = new long[3];
        long[] refunds = {10000, 10000, 10001};
        for (int i = 0; i < 3; i++) {
            JsonNode refund = expect(201, api.post("/deals/" + dealId + "/refunds", "{\"amount\":" + refunds[i] + "}")).json();
            assertEquals(dealId, refund.get("dealId").asText());
            deducted[i] = refund.get("points").asLong();
        }
        assertEquals(List.of(99L, 100L, 101L), List.of(deducted[0], deducted[1], deducted[2]));
        assertEquals("NOT_REFUNDABLE", expect(409, api.post("/deals/" + dealId + "/refunds", "{\"amount\":1}")).errorCode());
        assertEquals(0, balance(member));
        JsonNode deal = expect(200, api.get("/deals/" + dealId)).json();
        assertEquals(30001, deal.get("refundedAmount").asLong());
        assertEquals(300, deal.get("refundedPoints").asLong());
        await("dashboard shows the refunded deal", () -> {
            JsonNode d = api.get("/dashboard/members/" + member).json();
            return d.path("deals").size() == 1 && d.get("deals").get(0).path("refundedAmount").asLong() == 30001;
        });
    }

    @Test
    void aUsesRefundIsRestoredOnceThroughTheRestoreQueueAndLeavesTheBill() throws Exception {
        String merchant = merchant();
        String member = join("m-" + shortId());
        deal(member, merchant, "earn", 100000, null); // 1000
        String use = deal(member, merchant, "use", 30000, 300L).get("dealId").asText(); // 700

        JsonNode refund = expect(202, api.post("/deals/" + use + "/refunds", "{\"points\":100}")).json();

        assertEquals("PENDING", refund.get("restoration").asText());
        await("the refund's 100 points are back", () -> balance(member) == 800);
        String envelope = "{\"version\":\"0\",\"detail-type\":\"DealRefunded\",\"source\":\"onepoint.deal\","
                + "\"detail\":{\"dealId\":\"" + use + "\",\"type\":\"use\",\"refund\":{\"refundId\":\""
                + refund.get("refundId").asText() + "\",\"points\":100}}}";
        for (int i = 0; i < 2; i++) {
            events.sqs().client().sendMessage(b -> b.queueUrl(events.sqs().urlOf("RestoreQueue")).messageBody(envelope));
        }
        await("restore queue drained", () -> events.sqs().approximateCount("RestoreQueue") == 0);
        Thread.sleep(1500); // a redelivery would have been consumed by now
        assertEquals(800, balance(member), "restored exactly once");
        String month = BusinessMonth.of(Instant.now(), BusinessMonth.DEFAULT_ZONE);
        await("the billing view takes the refunded 100 off the month", () -> viewPoints(merchant, month) == 200);

        JsonNode cancelled = expect(202, api.post("/deals/" + use + "/cancel", null)).json();
        assertEquals(100, cancelled.get("refundedPoints").asLong());
        awaitRestoration(use, "DONE");
        assertEquals(1000, balance(member), "the cancel gave back the 200 the refund left, not 300");
        await("the cancel takes the rest off the month", () -> viewPoints(merchant, month) == 0);
        assertEquals("NOT_REFUNDABLE", expect(409, api.post("/deals/" + use + "/refunds", "{\"points\":1}")).errorCode());
    }

    /**
     * The manager's chart end to end: deals over HTTP, the outbox, the bus's rule, the merchant-days queue and its
     * function, then GET /merchants/{merchantId}/days; an event delivered again is not counted again.
     */
    @Test
    void merchantDaysFollowTheDealsAndCountARedeliveredEventOnce() throws Exception {
        String merchant = merchant();
        String member = join("m-" + shortId());
        JsonNode earn = deal(member, merchant, "earn", 100000, null);
        String use = deal(member, merchant, "use", 30000, 300L).get("dealId").asText();
        assertEquals("INSUFFICIENT_POINTS", expect(409, api.post("/deals", dealBody(member, merchant, "use", 1, 5000L))).errorCode());
        expect(202, api.post("/deals/" + use + "/cancel", null));
        String month = BusinessMonth.of(Instant.now(), BusinessMonth.DEFAULT_ZONE);
        String path = "/merchants/" + merchant + "/days?month=" + month;
        await("the month shows the earn, the use, its cancellation and the refusal", () -> {
            JsonNode t = api.get(path).json().get("totals");
            return t.get("earnCount").asLong() == 1 && t.get("useCount").asLong() == 1
                    && t.get("useCancelCount").asLong() == 1 && t.get("refusedCount").asLong() == 1;
        });
        JsonNode totals = expect(200, api.get(path)).json().get("totals");
        assertEquals(1000, totals.get("earnedPoints").asLong());
        assertEquals(300, totals.get("useCancelledPoints").asLong());
        assertEquals(0, totals.get("netUsedPoints").asLong());

        String recorded = "{\"version\":\"0\",\"detail-type\":\"DealRecorded\",\"source\":\"onepoint.deal\","
                + "\"detail\":{\"schemaVersion\":1,\"dealId\":\"" + earn.get("dealId").asText() + "\",\"merchantId\":\""
                + merchant + "\",\"type\":\"earn\",\"points\":1000,\"status\":\"SUCCESS\",\"dealOccurredAt\":\""
                + earn.get("occurredAt").asText() + "\"}}";
        events.sqs().client().sendMessage(b -> b.queueUrl(events.sqs().urlOf("MerchantDaysQueue")).messageBody(recorded));
        await("merchant-days queue drained", () -> events.sqs().approximateCount("MerchantDaysQueue") == 0);
        Thread.sleep(1500); // a second count would have landed by now
        assertEquals(totals, expect(200, api.get(path)).json().get("totals"), "the redelivered earn counted once");
    }

    // ---------------------------------------------------------------- helpers

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String merchant() {
        String id = "shop-" + shortId();
        expect(201, api.post("/merchants", "{\"merchantId\":\"" + id + "\",\"name\":\"Shop\"}"));
        return id;
    }

    private static String join(String memberId) {
        expect(201, api.post("/members", "{\"memberId\":\"" + memberId + "\",\"name\":\"Member\"}"));
        return memberId;
    }

    private static JsonNode deal(String memberId, String merchantId, String type, long amount, Long points) {
        return expect(201, api.post("/deals", dealBody(memberId, merchantId, type, amount, points))).json();
    }

    private static String dealBody(String memberId, String merchantId, String type, long amount, Long points) {
        return "{\"memberId\":\"" + memberId + "\",\"merchantId\":\"" + merchantId + "\",\"type\":\"" + type
                + "\",\"amount\":" + amount + (points == null ? "" : ",\"points\":" + points) + "}";
    }

    private static long balance(String memberId) {
        return expect(200, api.get("/points/" + memberId)).json().get("balance").asLong();
    }

    private static void awaitRestoration(String dealId, String expected) {
        await("restoration " + expected + " of " + dealId,
                () -> expected.equals(api.get("/deals/" + dealId).json().path("restoration").asText()));
    }

    /** Uses the billing view has counted for merchant-month (read from the billing table: the view has no API). */
    private static long grossUses(String merchantId, String month) {
        String table = runtime.dynamo().tableNames().get("BillingTable");
        Map<String, AttributeValue> item = runtime.dynamo().client().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(BillingTable.MERCHANT_ID, Items.s(merchantId), BillingTable.BILLING_MONTH, Items.s(month)))).item();
        Long count = item == null ? null : Items.numOrNull(item, BillingTable.GROSS_USE_COUNT);
        return count == null ? 0 : count;
    }

    /** The billing view's used points of a merchant-month: gross minus cancelled and refunded. */
    private static long viewPoints(String merchantId, String month) {
        String table = runtime.dynamo().tableNames().get("BillingTable");
        Map<String, AttributeValue> item = runtime.dynamo().client().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(BillingTable.MERCHANT_ID, Items.s(merchantId), BillingTable.BILLING_MONTH, Items.s(month)))).item();
        if (item == null || item.isEmpty()) {
            return -1;
        }
        return Items.num(item, BillingTable.GROSS_USED_POINTS) - Items.num(item, BillingTable.CANCELLED_POINTS);
    }

    private static ApiClient.Answer expect(int status, ApiClient.Answer answer) {
        assertEquals(status, answer.status(), answer.body());
        return answer;
    }

    private static void await(String what, BooleanSupplier condition) {
        Eventually.await(what, WAIT, condition);
    }
}
