package com.onepoint.deal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static com.onepoint.deal.Ledger.uniqueId;
import static com.onepoint.devkit.ApiEvents.asMerchant;
import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.devkit.ApiEvents.post;
import static com.onepoint.devkit.ApiEvents.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** SPEC §2 receipts: a receiptId is unique per merchant among SUCCESS deals, through DealHandler on the engine. */
class DealReceiptsTest {
    private static Ledger ledger;
    private static String merchant;

    @BeforeAll
    static void start() {
        ledger = new Ledger();
        merchant = ledger.merchant(uniqueId("shop"), null);
    }

    @AfterAll
    static void stop() {
        ledger.close();
    }

    private static String code(APIGatewayProxyResponseEvent response) {
        return body(response).at("/error/code").asText();
    }

    @Test
    void aSecondDealWithTheReceiptIsRefusedNamingTheFirstAndWritesNothing() {
        String member = ledger.member(uniqueId("m"));
        String receipt = uniqueId("T1");
        JsonNode first = body(expect(201, ledger.earn(member, merchant, 30001, receipt)));
        int deals = ledger.dealCount();

        JsonNode error = body(expect(409, ledger.earn(member, merchant, 5000, receipt))).get("error");

        assertEquals("DUPLICATE_RECEIPT", error.get("code").asText());
        assertEquals(first.get("dealId").asText(), error.at("/details/dealId").asText());
        assertEquals(receipt, error.at("/details/receiptId").asText());
        assertEquals(300, ledger.balance(member));
        assertEquals(deals, ledger.dealCount(), "the refused deal is not recorded");
        assertEquals("DUPLICATE_RECEIPT", code(ledger.use(member, merchant, 10, receipt)), "a use neither");
    }

    @Test
    void theSameReceiptAtAnotherMerchantIsAnotherReceipt() {
        String member = ledger.member(uniqueId("m"));
        String other = ledger.merchant(uniqueId("shop"), null);
        String receipt = uniqueId("T1");
        String here = body(expect(201, ledger.earn(member, merchant, 1000, receipt))).get("dealId").asText();
        String there = body(expect(201, ledger.earn(member, other, 2000, receipt))).get("dealId").asText();

        assertEquals(here, body(expect(200, ledger.receipt(merchant, receipt))).get("dealId").asText());
        assertEquals(there, body(expect(200, ledger.receipt(other, receipt))).get("dealId").asText());
    }

    @Test
    void aFailedDealRecordsItsReceiptButDoesNotHoldIt() {
        String member = ledger.member(uniqueId("m"));
        String receipt = uniqueId("T2");
        JsonNode failed = body(expect(409, ledger.use(member, merchant, 50, receipt))).at("/error/details/deal");
        assertEquals("FAILED", failed.get("status").asText());
        assertEquals(receipt, failed.get("receiptId").asText());
        assertEquals(receipt, body(ledger.getDeal(failed.get("dealId").asText())).get("receiptId").asText());
        assertEquals("RECEIPT_NOT_FOUND", code(ledger.receipt(merchant, receipt)));

        expect(201, ledger.earn(member, merchant, 10000));
        JsonNode retried = body(expect(201, ledger.use(member, merchant, 50, receipt)));

        assertEquals(retried.get("dealId").asText(), body(expect(200, ledger.receipt(merchant, receipt))).get("dealId").asText());
    }

    @Test
    void aCancelledDealKeepsItsReceipt() {
        String member = ledger.member(uniqueId("m"));
        String receipt = uniqueId("T3");
        String dealId = body(expect(201, ledger.earn(member, merchant, 10000, receipt))).get("dealId").asText();
        expect(200, ledger.cancel(dealId));

        assertEquals("CANCELLED", body(expect(200, ledger.receipt(merchant, receipt))).get("status").asText());
        JsonNode error = body(expect(409, ledger.earn(member, merchant, 10000, receipt))).get("error");
        assertEquals(dealId, error.at("/details/dealId").asText(), "the receipt was used; the POS issues a new one");
    }

    @Test
    void aReceiptIsReadByItsOwnMerchantOrTheAdminOnly() {
        String member = ledger.member(uniqueId("m"));
        String receipt = uniqueId("T4");
        expect(201, ledger.earn(member, merchant, 10000, receipt));
        String other = ledger.merchant(uniqueId("shop"), null);
        String path = "/merchants/{merchantId}/receipts/{receiptId}";

        assertEquals(200, ledger.deal(asMerchant(merchant, request("GET", path,
                Map.of("merchantId", merchant, "receiptId", receipt), null))).getStatusCode());
        APIGatewayProxyResponseEvent foreign = ledger.deal(asMerchant(other, request("GET", path,
                Map.of("merchantId", merchant, "receiptId", receipt), null)));
        assertEquals(403, foreign.getStatusCode());
        assertEquals("FORBIDDEN", code(foreign));
        assertEquals(403, ledger.deal(asMerchant(other, request("GET", path,
                Map.of("merchantId", merchant, "receiptId", "no-such"), null))).getStatusCode(),
                "refused before reading: another merchant learns nothing of which receipts exist");
        assertEquals("RECEIPT_NOT_FOUND", code(ledger.receipt(merchant, "no-such")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "T1/0001", "T1 0001", "영수증", "T1#1", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12345"})
    void aMalformedReceiptIdIsAValidationFailure(String receiptId) {
        String member = ledger.member(uniqueId("m"));
        int deals = ledger.dealCount();
        JsonNode error = body(expect(400, ledger.deal(post("/deals", Map.of("memberId", member, "merchantId", merchant,
                "type", "earn", "amount", 1000, "receiptId", receiptId))))).get("error");
        assertEquals("VALIDATION_FAILED", error.get("code").asText());
        assertEquals("receiptId", error.at("/details/field").asText());
        assertEquals(deals, ledger.dealCount());
        if (!receiptId.isBlank()) {
            JsonNode read = body(expect(400, ledger.receipt(merchant, receiptId))).get("error");
            assertEquals("receiptId", read.at("/details/field").asText());
        }
    }

    @Test
    void everyCharacterTheRuleAllowsIsAccepted() {
        String member = ledger.member(uniqueId("m"));
        String receipt = "A-z_0.9:" + uniqueId("x");
        expect(201, ledger.earn(member, merchant, 1000, receipt));
        assertEquals(receipt, body(expect(200, ledger.receipt(merchant, receipt))).get("receiptId").asText());
        expect(201, ledger.deal(post("/deals", Map.of("memberId", member, "merchantId", merchant, "type", "earn",
                "amount", 1000, "receiptId", "r".repeat(64)))));
        expect(400, ledger.deal(post("/deals", Map.of("memberId", member, "merchantId", merchant, "type", "earn",
                "amount", 1000, "receiptId", 12345))));
    }

    @Test
    void anIdempotentReplayReturnsTheFirstAnswerNotADuplicate() {
        String member = ledger.member(uniqueId("m"));
        String receipt = uniqueId("T5");
        String key = uniqueId("key");
        Map<String, Object> body = Map.of("memberId", member, "merchantId", merchant, "type", "earn", "amount", 10000,
                "receiptId", receipt);

        APIGatewayProxyResponseEvent first = ledger.deal(DealIdempotencyTest.withKey(key, post("/deals", body)));
        APIGatewayProxyResponseEvent replay = ledger.deal(DealIdempotencyTest.withKey(key, post("/deals", body)));

        assertEquals(201, first.getStatusCode(), first.getBody());
        assertEquals(201, replay.getStatusCode(), replay.getBody());
        assertEquals(first.getBody(), replay.getBody());
        assertEquals("DUPLICATE_RECEIPT", code(ledger.deal(post("/deals", body))), "without the key it is a second deal");
        assertEquals(100, ledger.balance(member));
    }
}
