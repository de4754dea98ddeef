package com.onepoint.dashboard;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.shared.domain.BusinessMonth;
import com.onepoint.shared.table.MerchantDaysTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.onepoint.devkit.ApiEvents.asMerchant;
import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.devkit.ApiEvents.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The per-merchant daily aggregates (the manager's chart): deal events from the bus's queue, ADDed to the deal's own
 * day in Asia/Seoul, each change once however often it arrives; and GET /merchants/{merchantId}/days over them.
 */
class MerchantDaysTest {
    private static DashboardStack stack;

    @BeforeAll
    static void start() {
        stack = new DashboardStack();
        stack.merchant("20"); // the fixtures' merchant
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static List<String> failures(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private static JsonNode month(String merchantId, String month) {
        return body(expect(200, stack.dashboard.handleRequest(daysRequest(merchantId, month), null)));
    }

    private static APIGatewayProxyRequestEvent daysRequest(String merchantId, String month) {
        APIGatewayProxyRequestEvent event = request("GET", "/merchants/{merchantId}/days", Map.of("merchantId", merchantId), null);
        if (month != null) {
            event.setQueryStringParameters(Map.of("month", month));
        }
        return event;
    }

    private static JsonNode day(JsonNode month, String day) {
        for (JsonNode d : month.get("days")) {
            if (d.get("day").asText().equals(day)) {
                return d;
            }
        }
        throw new AssertionError("no " + day + " in " + month);
    }

    private static List<Map<String, AttributeValue>> daysItems() {
        String table = new com.onepoint.shared.aws.Env(stack.template.functionEnvironment("MerchantDaysFunction", stack.dynamo))
                .require(MerchantDaysTable.ENV);
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        stack.dynamo.client().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(item -> {
            Map<String, AttributeValue> copy = new java.util.TreeMap<>(item);
            copy.remove(MerchantDaysTable.UPDATED_AT);
            all.add(copy);
        });
        all.sort(java.util.Comparator.comparing(Object::toString));
        return all;
    }

    /**
     * The fixture: an earn on Nov 25th (11:00 in Seoul) refunded in part and then cancelled on later days, a use at
     * 00:30 on Nov 26th in Seoul (still the 25th in UTC) refunded in part, a refused use, a PointsRestored (nothing to
     * count) and the first event delivered a second time. Then the whole batch again, as a redrive would.
     */
    @ParameterizedTest
    @Event(value = "events/merchant-days-events.json", type = SQSEvent.class)
    void fixtureCountsEachChangeOnTheDealsOwnDayOnce(SQSEvent event) {
        assertEquals(List.of(), failures(stack.merchantDays.handleRequest(event, null)));
        List<Map<String, AttributeValue>> once = daysItems();
        assertEquals(List.of(), failures(stack.merchantDays.handleRequest(event, null)));
        assertEquals(once, daysItems(), "a replayed batch changes nothing");

        JsonNode november = month("20", "202611");
        assertEquals(30, november.get("days").size());
        assertEquals("Asia/Seoul", november.get("timeZone").asText());
        JsonNode the25th = day(november, "2026-11-25");
        assertEquals(1, the25th.get("earnCount").asLong());
        assertEquals(1000, the25th.get("earnedPoints").asLong());
        assertEquals(1, the25th.get("refusedCount").asLong());
        // the refund (made on the 26th) and the cancellation (the 27th) net out the earn on its own day
        assertEquals(100, the25th.get("earnRefundedPoints").asLong());
        assertEquals(1, the25th.get("earnCancelCount").asLong());
        assertEquals(900, the25th.get("earnCancelledPoints").asLong(), "what the refund had left");
        assertEquals(0, the25th.get("netEarnedPoints").asLong());
        assertEquals(0, the25th.get("useCount").asLong());
        JsonNode the26th = day(november, "2026-11-26");
        assertEquals(1, the26th.get("useCount").asLong());
        assertEquals(100, the26th.get("usedPoints").asLong());
        assertEquals(40, the26th.get("useRefundedPoints").asLong());
        assertEquals(60, the26th.get("netUsedPoints").asLong());
        assertEquals(0, day(november, "2026-11-27").get("cancelCount").asLong(), "a cancellation counts on its deal's day");
        JsonNode totals = november.get("totals");
        assertNull(totals.get("day"));
        assertEquals(1, totals.get("earnCount").asLong());
        assertEquals(1, totals.get("useCount").asLong());
        assertEquals(1, totals.get("cancelCount").asLong());
        assertEquals(2, totals.get("refundCount").asLong());
        assertEquals(60, totals.get("netUsedPoints").asLong());
    }

    @ParameterizedTest
    @Event(value = "events/merchant-days-get.json", type = APIGatewayProxyRequestEvent.class)
    void getFixtureAnswersTheMonth(APIGatewayProxyRequestEvent event) {
        JsonNode body = body(expect(200, stack.dashboard.handleRequest(event, null)));
        assertEquals("20", body.get("merchantId").asText());
        assertEquals("202611", body.get("month").asText());
        assertEquals("2026-11-01", body.get("days").get(0).get("day").asText());
        assertEquals("2026-11-30", body.get("days").get(29).get("day").asText());
    }

    /** Deals through their own handler, the deals stream through the real outbox, its events through the queue. */
    @Test
    void theLedgersDealsAddUpPerDayAndARedeliveryCountsNothing() {
        String merchant2 = stack.merchant(DashboardStack.uniqueId("days"));
        String member = stack.join(DashboardStack.uniqueId("m"));
        String earn2 = stack.earn(member, merchant2, 100000); // 1000 points
        String use2 = stack.use(member, merchant2, 300);
        stack.refusedUse(member, merchant2, 1_000_000);
        expect(201, stack.deals.handleRequest(request("POST", "/deals/{dealId}/refunds", Map.of("dealId", earn2),
                Map.of("amount", 10000)), null));             // 100 points back
        stack.cancelUse(use2);
        List<SQSEvent.SQSMessage> messages = stack.dealEventMessages();

        assertEquals(List.of(), failures(stack.countDays(messages)));
        List<SQSEvent.SQSMessage> again = new ArrayList<>();
        messages.forEach(m -> again.add(stack.message(m.getBody()))); // redelivered under new message ids
        assertEquals(List.of(), failures(stack.countDays(again)));

        String thisMonth = BusinessMonth.of(Instant.now(), BusinessMonth.DEFAULT_ZONE);
        JsonNode totals = month(merchant2, thisMonth).get("totals");
        assertEquals(1, totals.get("earnCount").asLong());
        assertEquals(1000, totals.get("earnedPoints").asLong());
        assertEquals(100, totals.get("earnRefundedPoints").asLong());
        assertEquals(900, totals.get("netEarnedPoints").asLong());
        assertEquals(1, totals.get("useCount").asLong());
        assertEquals(300, totals.get("usedPoints").asLong());
        assertEquals(1, totals.get("useCancelCount").asLong());
        assertEquals(300, totals.get("useCancelledPoints").asLong());
        assertEquals(0, totals.get("netUsedPoints").asLong());
        assertEquals(1, totals.get("refusedCount").asLong());
        String today = LocalDate.now(BusinessMonth.DEFAULT_ZONE).toString();
        assertEquals(1000, day(month(merchant2, thisMonth), today).get("earnedPoints").asLong());
    }

    /** The same messages handed to four consumers at once, as overlapping deliveries would: each change counts once. */
    @Test
    void concurrentDeliveriesOfTheSameEventsCountEachChangeOnce() throws Exception {
        String merchant = stack.merchant(DashboardStack.uniqueId("days"));
        String member = stack.join(DashboardStack.uniqueId("m"));
        for (int i = 1; i <= 5; i++) {
            stack.earn(member, merchant, i * 10000L);
        }
        stack.use(member, merchant, 100);
        List<SQSEvent.SQSMessage> messages = stack.dealEventMessages();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<SQSBatchResponse>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                List<SQSEvent.SQSMessage> copy = new ArrayList<>();
                messages.forEach(m -> copy.add(stack.message(m.getBody())));
                runs.add(pool.submit(() -> {
                    go.await();
                    return stack.countDays(copy);
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<SQSBatchResponse> run : runs) {
                assertEquals(List.of(), failures(run.get()));
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode totals = month(merchant, BusinessMonth.of(Instant.now(), BusinessMonth.DEFAULT_ZONE)).get("totals");
        assertEquals(5, totals.get("earnCount").asLong());
        assertEquals(100 + 200 + 300 + 400 + 500, totals.get("earnedPoints").asLong());
        assertEquals(1, totals.get("useCount").asLong());
        assertEquals(100, totals.get("usedPoints").asLong());
    }

    @Test
    void aBrokenMessageFailsAloneAndTheRestIsCounted() {
        String merchant = stack.merchant(DashboardStack.uniqueId("days"));
        String member = stack.join(DashboardStack.uniqueId("m"));
        stack.earn(member, merchant, 20000);
        List<SQSEvent.SQSMessage> messages = new ArrayList<>(stack.dealEventMessages());
        SQSEvent.SQSMessage broken = stack.message("{\"detail-type\":\"DealRecorded\",\"detail\":{\"schemaVersion\":1}}");
        SQSEvent.SQSMessage notJson = stack.message("not json");
        messages.add(0, broken);
        messages.add(notJson);

        assertEquals(List.of(broken.getMessageId(), notJson.getMessageId()), failures(stack.countDays(messages)));
        String thisMonth = BusinessMonth.of(Instant.now(), BusinessMonth.DEFAULT_ZONE);
        assertEquals(200, month(merchant, thisMonth).get("totals").get("earnedPoints").asLong());
    }

    @Test
    void theRouteIsTheAdminsOrThatMerchantsAndRefusesWhatItCannotAnswer() {
        String merchant = stack.merchant(DashboardStack.uniqueId("days"));
        expect(200, stack.dashboard.handleRequest(asMerchant(merchant, daysRequest(merchant, "202611")), null));
        JsonNode forbidden = body(expect(403, stack.dashboard.handleRequest(asMerchant("other", daysRequest(merchant, "202611")), null)));
        assertEquals("FORBIDDEN", forbidden.get("error").get("code").asText());
        JsonNode badMonth = body(expect(400, stack.dashboard.handleRequest(daysRequest(merchant, "2026-11"), null)));
        assertEquals("month", badMonth.get("error").get("details").get("field").asText());
        JsonNode unknown = body(expect(404, stack.dashboard.handleRequest(daysRequest("no-such-shop", "202611"), null)));
        assertEquals("MERCHANT_NOT_FOUND", unknown.get("error").get("code").asText());
        // no month: the current one in the business zone
        assertEquals(BusinessMonth.of(Instant.now(), BusinessMonth.DEFAULT_ZONE), month(merchant, null).get("month").asText());
        assertEquals(29, month(merchant, "202802").get("days").size(), "2028 is a leap year");
    }
}
