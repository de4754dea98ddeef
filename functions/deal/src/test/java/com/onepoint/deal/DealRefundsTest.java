package com.onepoint.deal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.shared.domain.Refund;
import com.onepoint.shared.domain.Restoration;
import com.onepoint.shared.table.RefundsTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.Key;

import java.util.List;
import java.util.Map;

import static com.onepoint.deal.Ledger.uniqueId;
import static com.onepoint.devkit.ApiEvents.asMerchant;
import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.devkit.ApiEvents.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** SPEC §2 partial refunds, rule by rule, through DealHandler on the embedded engine. */
class DealRefundsTest {
    private static Ledger ledger;
    private static String merchant;

    @BeforeAll
    static void start() {
        ledger = new Ledger();
        merchant = ledger.merchant(uniqueId("shop"), null); // earn rate 0.01
    }

    @AfterAll
    static void stop() {
        ledger.close();
    }

    private static String earn(String member, long amount) {
        return body(expect(201, ledger.earn(member, merchant, amount))).get("dealId").asText();
    }

    private static String use(String member, long points) {
        return body(expect(201, ledger.use(member, merchant, points))).get("dealId").asText();
    }

    private static String code(APIGatewayProxyResponseEvent response) {
        return body(response).at("/error/code").asText();
    }

    private static Refund stored(String refundId) {
        return software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient.builder()
                .dynamoDbClient(ledger.dynamo.client()).build()
                .table(ledger.dealEnv.require(RefundsTable.ENV), RefundsTable.SCHEMA)
                .getItem(Key.builder().partitionValue(refundId).build());
    }

    @Test
    void anEarnsRefundsAreProratedCumulatively() {
        // the SPEC's example: an earn of 100 points on 10001 (rate 0.01 earns floor(100.01) = 100)
        String member = ledger.member(uniqueId("m"));
        String dealId = earn(member, 10001);
        long[] expected = {33, 33, 34};
        long[] refunds = {3333, 3334, 3334};
        for (int i = 0; i < 3; i++) {
            JsonNode refund = body(expect(201, ledger.refund(dealId, "amount", refunds[i])));
            assertEquals(expected[i], refund.get("points").asLong());
            assertEquals(refunds[i], refund.get("amount").asLong());
            assertFalse(refund.has("restoration"), "an earn's refund deducts at once; nothing is pending");
            assertNotNull(refund.get("createdAt"));
            Refund record = stored(refund.get("refundId").asText());
            assertEquals(dealId, record.dealId());
            assertEquals(member, record.memberId());
            assertEquals(merchant, record.merchantId());
        }
        assertEquals(0, ledger.balance(member), "all of the amount refunded: all 100 points deducted");
        JsonNode deal = body(expect(200, ledger.getDeal(dealId)));
        assertEquals(10001, deal.get("refundedAmount").asLong());
        assertEquals(100, deal.get("refundedPoints").asLong());
        assertEquals("SUCCESS", deal.get("status").asText(), "a refund is no cancellation");

        JsonNode over = body(expect(409, ledger.refund(dealId, "amount", 1))).get("error");
        assertEquals("NOT_REFUNDABLE", over.get("code").asText());
        assertEquals(0, over.at("/details/refundableAmount").asLong());
    }

    @Test
    void moreThanRemainsIsNotRefundableAndChangesNothing() {
        String member = ledger.member(uniqueId("m"));
        String dealId = earn(member, 30001);
        expect(201, ledger.refund(dealId, "amount", 30000));
        long before = ledger.balance(member);

        JsonNode error = body(expect(409, ledger.refund(dealId, "amount", 2))).get("error");

        assertEquals("NOT_REFUNDABLE", error.get("code").asText());
        assertEquals(1, error.at("/details/refundableAmount").asLong());
        assertEquals(before, ledger.balance(member));
        assertEquals(30000, body(ledger.getDeal(dealId)).get("refundedAmount").asLong());
    }

    @Test
    void anEarnsRefundNeedsTheBalanceToHoldItsPoints() {
        String member = ledger.member(uniqueId("m"));
        String dealId = earn(member, 100000); // 1000 points
        use(member, 900);

        JsonNode error = body(expect(409, ledger.refund(dealId, "amount", 50000))).get("error");

        assertEquals("INSUFFICIENT_POINTS", error.get("code").asText());
        assertEquals(500, error.at("/details/points").asLong());
        assertEquals(100, error.at("/details/balance").asLong());
        assertEquals(100, ledger.balance(member));
        assertEquals(0, body(ledger.getDeal(dealId)).get("refundedAmount").asLong(), "nothing written");
        assertEquals(201, ledger.refund(dealId, "amount", 10000).getStatusCode(), "100 points fit");
        assertEquals(0, ledger.balance(member));
    }

    @Test
    void failedAndCancelledDealsAreNotRefundable() {
        String member = ledger.member(uniqueId("m"));
        String failed = body(expect(409, ledger.use(member, merchant, 10))).at("/error/details/deal/dealId").asText();
        assertEquals("NOT_REFUNDABLE", code(ledger.refund(failed, "points", 1)));

        String cancelledEarn = earn(member, 10000);
        expect(200, ledger.cancel(cancelledEarn));
        assertEquals("NOT_REFUNDABLE", code(ledger.refund(cancelledEarn, "amount", 1)));

        earn(member, 100000);
        String cancelledUse = use(member, 100);
        expect(202, ledger.cancel(cancelledUse));
        assertEquals("NOT_REFUNDABLE", code(ledger.refund(cancelledUse, "points", 1)));
        assertEquals(404, ledger.refund("no-such-deal", "amount", 1).getStatusCode());
    }

    @Test
    void cancellingAfterRefundsReversesOnlyWhatRemains() {
        String member = ledger.member(uniqueId("m"));
        String earnId = earn(member, 30001); // 300
        expect(201, ledger.refund(earnId, "amount", 10000)); // -99
        assertEquals(201, ledger.balance(member));

        JsonNode cancelled = body(expect(200, ledger.cancel(earnId)));

        assertEquals("CANCELLED", cancelled.get("status").asText());
        assertEquals(0, ledger.balance(member), "the cancel deducted the 201 points the refund left");
        assertEquals(99, cancelled.get("refundedPoints").asLong());

        earn(member, 100000); // 1000
        String useId = use(member, 300); // 700
        expect(202, ledger.refund(useId, "points", 100));
        JsonNode cancelledUse = body(expect(202, ledger.cancel(useId)));
        assertEquals(100, cancelledUse.get("refundedPoints").asLong(), "the restore will give back 300 - 100");
        assertEquals("PENDING", cancelledUse.get("restoration").asText());
    }

    @Test
    void aUsesRefundsAreCountedInPointsAndPending() {
        String member = ledger.member(uniqueId("m"));
        earn(member, 100000);
        String useId = use(member, 500);

        JsonNode first = body(expect(202, ledger.refund(useId, "points", 200)));
        JsonNode second = body(expect(202, ledger.refund(useId, "points", 300)));

        assertEquals("PENDING", first.get("restoration").asText());
        assertFalse(first.has("amount"), "a use is refunded by points");
        assertEquals(Restoration.PENDING, stored(second.get("refundId").asText()).restoration());
        JsonNode deal = body(ledger.getDeal(useId));
        assertEquals(500, deal.get("refundedPoints").asLong());
        assertFalse(deal.has("refundedAmount"), "refundedAmount is an earn's");
        assertEquals(500, ledger.balance(member), "restored later by the restore queue, not here");
        JsonNode over = body(expect(409, ledger.refund(useId, "points", 1))).get("error");
        assertEquals("NOT_REFUNDABLE", over.get("code").asText());
        assertEquals(0, over.at("/details/refundablePoints").asLong());
    }

    @Test
    void theBodyIsValidatedByTheDealsType() {
        String member = ledger.member(uniqueId("m"));
        String earnId = earn(member, 10000);
        earn(member, 10000);
        String useId = use(member, 50);
        for (Object[] c : new Object[][]{
                {earnId, Map.of("points", 1), "points"}, {earnId, Map.of(), "amount"}, {earnId, Map.of("amount", 0), "amount"},
                {earnId, Map.of("amount", -5), "amount"}, {earnId, Map.of("amount", 1.5), "amount"},
                {earnId, Map.of("amount", "10"), "amount"}, {earnId, Map.of("amount", 1_000_000_000_001L), "amount"},
                {useId, Map.of("amount", 1), "amount"}, {useId, Map.of(), "points"}, {useId, Map.of("points", 0), "points"}}) {
            APIGatewayProxyResponseEvent response = ledger.deal(request("POST", "/deals/{dealId}/refunds",
                    Map.of("dealId", (String) c[0]), c[1]));
            JsonNode error = body(expect(400, response)).get("error");
            assertEquals("VALIDATION_FAILED", error.get("code").asText(), c[1].toString());
            assertEquals(c[2], error.at("/details/field").asText(), c[1].toString());
        }
        assertEquals(400, ledger.deal(request("POST", "/deals/{dealId}/refunds", Map.of("dealId", earnId), "{")).getStatusCode());
        assertEquals(0, body(ledger.getDeal(earnId)).get("refundedAmount").asLong(), "nothing written");
        assertEquals(0, body(ledger.getDeal(useId)).get("refundedPoints").asLong());
    }

    @Test
    void onlyTheDealsMerchantOrTheAdminRefunds() {
        String member = ledger.member(uniqueId("m"));
        String dealId = earn(member, 10000);
        String other = ledger.merchant(uniqueId("shop"), null);

        APIGatewayProxyResponseEvent foreign = ledger.deal(asMerchant(other, request("POST", "/deals/{dealId}/refunds",
                Map.of("dealId", dealId), Map.of("amount", 100))));
        assertEquals(403, foreign.getStatusCode());
        assertEquals("FORBIDDEN", code(foreign));
        APIGatewayProxyResponseEvent own = ledger.deal(asMerchant(merchant, request("POST", "/deals/{dealId}/refunds",
                Map.of("dealId", dealId), Map.of("amount", 100))));
        assertEquals(201, own.getStatusCode(), own.getBody());
        assertEquals(99, ledger.balance(member));
    }

    @Test
    void aRefundWithAnIdempotencyKeyIsMadeOnce() {
        String member = ledger.member(uniqueId("m"));
        String dealId = earn(member, 30001);
        String key = uniqueId("refund-key");

        APIGatewayProxyResponseEvent first = ledger.deal(DealIdempotencyTest.withKey(key, request("POST",
                "/deals/{dealId}/refunds", Map.of("dealId", dealId), Map.of("amount", 10000))));
        APIGatewayProxyResponseEvent replay = ledger.deal(DealIdempotencyTest.withKey(key, request("POST",
                "/deals/{dealId}/refunds", Map.of("dealId", dealId), Map.of("amount", 10000))));
        APIGatewayProxyResponseEvent reused = ledger.deal(DealIdempotencyTest.withKey(key, request("POST",
                "/deals/{dealId}/refunds", Map.of("dealId", dealId), Map.of("amount", 10001))));

        assertEquals(201, first.getStatusCode(), first.getBody());
        assertEquals(first.getBody(), replay.getBody(), "the replay is the first answer, refundId included");
        assertEquals(201, replay.getStatusCode());
        assertEquals(422, reused.getStatusCode());
        assertEquals("IDEMPOTENCY_KEY_REUSED", code(reused));
        assertEquals(201, ledger.balance(member), "one refund of 99 points, not two");
        assertEquals(10000, body(ledger.getDeal(dealId)).get("refundedAmount").asLong());
    }

    @Test
    void refundsOfDealsWrittenBeforeRefundsExistedReadTheAbsentFiguresAsZero() {
        String member = ledger.member(uniqueId("m"));
        String earnId = earn(member, 10001);
        earn(member, 100000);
        String useId = use(member, 100);
        for (String dealId : List.of(earnId, useId)) {
            ledger.dynamo.client().updateItem(b -> b.tableName(ledger.dealEnv.require(com.onepoint.shared.table.DealsTable.ENV))
                    .key(com.onepoint.shared.dynamo.Items.key("dealId", dealId))
                    .updateExpression("REMOVE refundedAmount, refundedPoints, restoredPoints"));
        }

        assertEquals(33, body(expect(201, ledger.refund(earnId, "amount", 3333))).get("points").asLong());
        expect(202, ledger.refund(useId, "points", 100));
        assertEquals("NOT_REFUNDABLE", code(ledger.refund(useId, "points", 1)));
        expect(200, ledger.cancel(earnId));
        assertEquals(1000 - 100, ledger.balance(member), "33 by the refund, 67 by the cancel");
    }
}
