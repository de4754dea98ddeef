package com.onepoint.deal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.deal.Ledger.uniqueId;
import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** SPEC §2 rules for deals, one by one, through DealHandler on the embedded engine. */
class DealRulesTest {
    /** Fixed, so occurredAt windows are exact; 2026-08-01T00:00Z is 09:00 on Aug 1st in Seoul. */
    static final Instant NOW = Instant.parse("2026-08-01T00:00:00Z");
    private static Ledger ledger;
    private static String merchant;

    @BeforeAll
    static void start() {
        ledger = new Ledger(Clock.fixed(NOW, ZoneOffset.UTC));
        merchant = ledger.merchant(uniqueId("shop"), null); // defaults: earn 0.01
    }

    @AfterAll
    static void stop() {
        ledger.close();
    }

    private static String activeMember() {
        return ledger.member(uniqueId("m"));
    }

    @ParameterizedTest(name = "earn on {0} at {1} gives {2} points")
    @CsvSource({"100000,, 1000", "12345,, 123", "99,, 0", "1,, 0", "12345, 0.0125, 154", "1000000000000, 0.01, 10000000000",
            "999, 1, 999", "100000, 0, 0"})
    void earnIsAmountTimesRateRoundedDown(long amount, String rate, long expectedPoints) {
        String shop = rate == null ? merchant : ledger.merchant(uniqueId("shop"), rate);
        String member = activeMember();

        JsonNode deal = body(expect(201, ledger.earn(member, shop, amount)));

        assertEquals("SUCCESS", deal.get("status").asText());
        assertEquals("earn", deal.get("type").asText());
        assertEquals(amount, deal.get("amount").asLong());
        assertEquals(expectedPoints, deal.get("points").asLong());
        assertEquals(expectedPoints, ledger.balance(member));
    }

    @Test
    void legacyTypeSaveIsAnEarn() {
        String member = activeMember();
        JsonNode deal = body(expect(201, ledger.deal(post("/deals",
                Map.of("memberId", member, "merchantId", merchant, "type", "save", "amount", 100000)))));
        assertEquals("earn", deal.get("type").asText());
        assertEquals(1000, ledger.balance(member));
    }

    @Test
    void useDeductsAndARefusedUseIsRecordedAsFailed() {
        String member = activeMember();
        expect(201, ledger.earn(member, merchant, 100000));
        JsonNode used = body(expect(201, ledger.use(member, merchant, 100)));
        assertEquals("SUCCESS", used.get("status").asText());
        assertEquals(900, ledger.balance(member));

        APIGatewayProxyResponseEvent refused = ledger.use(member, merchant, 10000);

        assertEquals(409, refused.getStatusCode());
        JsonNode error = body(refused).get("error");
        assertEquals("INSUFFICIENT_POINTS", error.get("code").asText());
        JsonNode failed = error.at("/details/deal");
        assertEquals("FAILED", failed.get("status").asText());
        assertEquals("INSUFFICIENT_POINTS", failed.get("failureReason").asText());
        assertEquals(10000, failed.get("points").asLong());
        JsonNode stored = body(expect(200, ledger.getDeal(failed.get("dealId").asText())));
        assertEquals("FAILED", stored.get("status").asText());
        assertEquals(900, ledger.balance(member));
    }

    @Test
    void useOfTheWholeBalanceLeavesZero() {
        String member = activeMember();
        expect(201, ledger.earn(member, merchant, 12345));
        expect(201, ledger.use(member, merchant, 123));
        assertEquals(0, ledger.balance(member));
        assertEquals(409, ledger.use(member, merchant, 1).getStatusCode());
    }

    @Test
    void aWithdrawnMemberCanNeitherEarnNorUseAndTheAttemptIsRecorded() {
        String member = activeMember();
        expect(201, ledger.earn(member, merchant, 100000));
        assertEquals(1000, ledger.leave(member).get("forfeitedPoints").asLong());

        for (APIGatewayProxyResponseEvent refused : new APIGatewayProxyResponseEvent[]{
                ledger.earn(member, merchant, 5000), ledger.use(member, merchant, 1)}) {
            assertEquals(409, refused.getStatusCode());
            JsonNode error = body(refused).get("error");
            assertEquals("MEMBER_NOT_ACTIVE", error.get("code").asText());
            JsonNode failed = error.at("/details/deal");
            assertEquals("FAILED", failed.get("status").asText());
            assertEquals("MEMBER_NOT_ACTIVE", failed.get("failureReason").asText());
            assertEquals("FAILED", body(ledger.getDeal(failed.get("dealId").asText())).get("status").asText());
        }
        assertEquals(0, ledger.balance(member));
    }

    @Test
    void unknownMemberOrMerchantIs404AndWritesNothing() {
        int before = ledger.dealCount();

        APIGatewayProxyResponseEvent noMember = ledger.earn("nobody-" + uniqueId("x"), merchant, 1000);
        APIGatewayProxyResponseEvent noMerchant = ledger.earn(activeMember(), "no-shop", 1000);

        assertEquals(404, noMember.getStatusCode());
        assertEquals("MEMBER_NOT_FOUND", body(noMember).at("/error/code").asText());
        assertEquals(404, noMerchant.getStatusCode());
        assertEquals("MERCHANT_NOT_FOUND", body(noMerchant).at("/error/code").asText());
        assertEquals(before, ledger.dealCount());
    }

    @Test
    void aMerchantRegisteredAfterARefusedDealIsFound() {
        String shop = uniqueId("late-shop");
        String member = activeMember();
        assertEquals("MERCHANT_NOT_FOUND", body(ledger.earn(member, shop, 1000)).at("/error/code").asText());

        ledger.merchant(shop, "0.05"); // the same DealHandler must not remember that the merchant was missing

        assertEquals(50, body(expect(201, ledger.earn(member, shop, 1000))).get("points").asLong());
        assertEquals(50, ledger.balance(member));
    }

    @Test
    void cancellingAnEarnDeductsItsPointsOnce() {
        String member = activeMember();
        String dealId = body(expect(201, ledger.earn(member, merchant, 100000))).get("dealId").asText();

        JsonNode cancelled = body(expect(200, ledger.cancel(dealId)));

        assertEquals("CANCELLED", cancelled.get("status").asText());
        assertNotNull(cancelled.get("cancelledAt"));
        assertEquals(0, ledger.balance(member));
        assertEquals("CANCELLED", body(ledger.getDeal(dealId)).get("status").asText());
        APIGatewayProxyResponseEvent again = ledger.cancel(dealId);
        assertEquals(409, again.getStatusCode());
        assertEquals("DEAL_NOT_CANCELLABLE", body(again).at("/error/code").asText());
        assertEquals(0, ledger.balance(member));
    }

    @Test
    void anEarnWhosePointsWereSpentCannotBeCancelled() {
        String member = activeMember();
        String dealId = body(expect(201, ledger.earn(member, merchant, 100000))).get("dealId").asText();
        expect(201, ledger.use(member, merchant, 500));

        APIGatewayProxyResponseEvent refused = ledger.cancel(dealId);

        assertEquals(409, refused.getStatusCode());
        assertEquals("INSUFFICIENT_POINTS", body(refused).at("/error/code").asText());
        assertEquals("SUCCESS", body(ledger.getDeal(dealId)).get("status").asText());
        assertEquals(500, ledger.balance(member));
    }

    @Test
    void failedAndUnknownDealsAreNotCancellable() {
        String member = activeMember();
        expect(201, ledger.earn(member, merchant, 100000));
        String failedId = body(ledger.use(member, merchant, 5000)).at("/error/details/deal/dealId").asText();

        APIGatewayProxyResponseEvent failed = ledger.cancel(failedId);
        APIGatewayProxyResponseEvent unknown = ledger.cancel("no-such-deal");

        assertEquals(409, failed.getStatusCode());
        assertEquals("DEAL_NOT_CANCELLABLE", body(failed).at("/error/code").asText());
        assertEquals("FAILED", body(ledger.getDeal(failedId)).get("status").asText());
        assertEquals(404, unknown.getStatusCode());
        assertEquals("DEAL_NOT_FOUND", body(unknown).at("/error/code").asText());
        assertEquals(1000, ledger.balance(member));
    }

    @Test
    void cancellingAUseIsAcceptedAtOnceAndLeavesTheRestoreToTheQueue() {
        String member = activeMember();
        expect(201, ledger.earn(member, merchant, 100000));
        String useId = body(expect(201, ledger.use(member, merchant, 100))).get("dealId").asText();

        JsonNode cancelled = body(expect(202, ledger.cancel(useId)));

        assertEquals("CANCELLED", cancelled.get("status").asText());
        assertEquals("PENDING", cancelled.get("restoration").asText());
        assertEquals(900, ledger.balance(member), "the points come back later, through the restore queue");
        JsonNode stored = body(ledger.getDeal(useId));
        assertEquals("CANCELLED", stored.get("status").asText());
        assertEquals("PENDING", stored.get("restoration").asText());
        APIGatewayProxyResponseEvent again = ledger.cancel(useId);
        assertEquals(409, again.getStatusCode());
        assertEquals("DEAL_NOT_CANCELLABLE", body(again).at("/error/code").asText());
    }

    @Test
    void occurredAtIsKeptAsAnInstantAndDefaultsToNow() {
        String member = activeMember();
        JsonNode given = body(expect(201, ledger.deal(post("/deals", Map.of("memberId", member, "merchantId", merchant,
                "type", "earn", "amount", 1000, "occurredAt", "2026-07-31T23:59:00+09:00")))));
        JsonNode defaulted = body(expect(201, ledger.earn(member, merchant, 1000)));

        assertEquals("2026-07-31T14:59:00Z", given.get("occurredAt").asText());
        assertEquals(NOW.toString(), defaulted.get("occurredAt").asText());
        assertEquals(NOW.toString(), defaulted.get("createdAt").asText());
    }

    @ParameterizedTest(name = "{0} → 400 on {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":1}|memberId",
            "{\"memberId\":\"a b\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":1}|memberId",
            "{\"memberId\":\"MEMBER\",\"type\":\"earn\",\"amount\":1}|merchantId",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M/1\",\"type\":\"earn\",\"amount\":1}|merchantId",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"amount\":1}|type",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"refund\",\"amount\":1}|type",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"EARN\",\"amount\":1}|type",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":1,\"amount\":1}|type",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\"}|amount",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":0}|amount",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":-5}|amount",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":1.5}|amount",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":100.0}|amount",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":\"100\"}|amount",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":1000000000001}|amount",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":100000000000000000000000}|amount",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":1e3}|amount",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":100,\"points\":5}|points",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"use\",\"amount\":100}|points",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"use\",\"amount\":100,\"points\":0}|points",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"use\",\"amount\":100,\"points\":-1}|points",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"use\",\"amount\":-1,\"points\":1}|amount",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"use\",\"points\":1}|amount",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":1,\"occurredAt\":\"yesterday\"}|occurredAt",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":1,\"occurredAt\":\"2026-08-01T01:00:00Z\"}|occurredAt",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":1,\"occurredAt\":\"2026-06-26T23:59:59Z\"}|occurredAt",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":1,\"occurredAt\":\"2026-07-31T10:00:00\"}|occurredAt",
            "{\"memberId\":\"MEMBER\",\"merchantId\":\"M\",\"type\":\"earn\",\"amount\":1}garbage|body",
            "not json|body",
            "\"a string\"|body"})
    void invalidDealIs400NamingTheFieldAndWritesNothing(String json, String field) {
        String member = activeMember();
        String body = json.replace("\"MEMBER\"", "\"" + member + "\"").replace("\"M\"", "\"" + merchant + "\"");
        int before = ledger.dealCount();

        APIGatewayProxyResponseEvent response = ledger.deal(post("/deals", body));

        assertEquals(400, response.getStatusCode(), response.getBody());
        JsonNode error = body(response).get("error");
        assertEquals("VALIDATION_FAILED", error.get("code").asText());
        assertEquals(field, error.at("/details/field").asText());
        assertFalse(error.get("message").asText().isBlank());
        assertEquals(before, ledger.dealCount());
        assertEquals(0, ledger.balance(member));
    }

    @Test
    void occurredAtAtTheEdgesOfTheWindowIsAccepted() {
        String member = activeMember();
        expect(201, ledger.deal(post("/deals", Map.of("memberId", member, "merchantId", merchant, "type", "earn",
                "amount", 100, "occurredAt", "2026-06-27T00:00:00Z")))); // exactly 35 days
        expect(201, ledger.deal(post("/deals", Map.of("memberId", member, "merchantId", merchant, "type", "earn",
                "amount", 100, "occurredAt", "2026-08-01T00:01:00Z")))); // within the POS clock skew
    }
}
