package com.onepoint.deal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.table.DealsTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.deal.Ledger.uniqueId;
import static com.onepoint.devkit.ApiEvents.asMerchant;
import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.post;
import static com.onepoint.devkit.ApiEvents.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §3 "POS requests retry": POST /deals and POST /deals/{dealId}/cancel with an Idempotency-Key, on the embedded engine
 * with the IdempotencyTable of template.yaml. Every test uses its own members and keys, so none depends on another.
 */
class DealIdempotencyTest {
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

    static APIGatewayProxyRequestEvent withKey(String key, APIGatewayProxyRequestEvent event) {
        event.getHeaders().put("Idempotency-Key", key);
        event.getMultiValueHeaders().put("Idempotency-Key", List.of(key));
        return event;
    }

    private static Map<String, Object> earnBody(String member, String shop, long amount) {
        return Map.of("memberId", member, "merchantId", shop, "type", "earn", "amount", amount);
    }

    private static Map<String, Object> useBody(String member, String shop, long points) {
        return Map.of("memberId", member, "merchantId", shop, "type", "use", "amount", points * 100, "points", points);
    }

    private static APIGatewayProxyResponseEvent postDeal(String key, Map<String, Object> body) {
        return ledger.deal(withKey(key, post("/deals", body)));
    }

    private static APIGatewayProxyResponseEvent cancel(String key, String dealId) {
        return ledger.deal(withKey(key, request("POST", "/deals/{dealId}/cancel", Map.of("dealId", dealId), null)));
    }

    /** The member's deals as stored, read straight from the deals table. */
    private static List<Map<String, AttributeValue>> dealsOf(String member) {
        return ledger.dynamo.client().scan(b -> b.tableName(ledger.dealEnv.require(DealsTable.ENV))
                .filterExpression("memberId = :m").expressionAttributeValues(Map.of(":m", Items.s(member)))
                .consistentRead(true)).items();
    }

    private static void assertSameResponse(APIGatewayProxyResponseEvent first, APIGatewayProxyResponseEvent again) {
        assertEquals(first.getStatusCode(), again.getStatusCode());
        assertEquals(first.getHeaders(), again.getHeaders());
        assertEquals(first.getBody(), again.getBody()); // byte for byte: the same dealId, createdAt, ...
    }

    private static String errorCode(APIGatewayProxyResponseEvent response) {
        return body(response).at("/error/code").asText();
    }

    @Test
    void aThousandSequentialRetriesRecordOneDeal() {
        String member = ledger.member(uniqueId("m"));
        String key = uniqueId("pos-retry");
        APIGatewayProxyResponseEvent first = expect(201, postDeal(key, earnBody(member, merchant, 100000)));

        for (int i = 0; i < 1000; i++) {
            assertSameResponse(first, postDeal(key, earnBody(member, merchant, 100000)));
        }

        assertEquals(1, dealsOf(member).size());
        assertEquals(1000, ledger.balance(member)); // one earn of 1000, not 1001
    }

    @Test
    void twoHundredRetriesTwentyAtATimeRecordOneDeal() throws Exception {
        String member = ledger.member(uniqueId("m"));
        expect(201, ledger.earn(member, merchant, 100000)); // balance 1000, without a key
        String key = uniqueId("pos-retry");
        Supplier<APIGatewayProxyResponseEvent> use = () -> postDeal(key, useBody(member, merchant, 100));

        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<APIGatewayProxyResponseEvent> responses = new ArrayList<>();
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<List<APIGatewayProxyResponseEvent>>> workers = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                workers.add(pool.submit(() -> {
                    gate.await();
                    List<APIGatewayProxyResponseEvent> mine = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        mine.add(use.get());
                    }
                    return mine;
                }));
            }
            gate.countDown();
            for (Future<List<APIGatewayProxyResponseEvent>> worker : workers) {
                responses.addAll(worker.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(200, responses.size());
        APIGatewayProxyResponseEvent answer = expect(201, use.get()); // settled now: the stored first response
        int inProgress = 0;
        for (APIGatewayProxyResponseEvent r : responses) {
            if (r.getStatusCode() == 409) {
                assertEquals("REQUEST_IN_PROGRESS", errorCode(r), r.getBody());
                inProgress++;
            } else {
                assertSameResponse(answer, r);
            }
        }
        assertTrue(inProgress < 200, "at least one caller got the deal itself");
        assertEquals(2, dealsOf(member).size()); // the earn and one use
        assertEquals(900, ledger.balance(member));
        // every attempt finished or gave way: no record left in progress (a stray one meant a second record id)
        assertEquals(0, ledger.dynamo.client().scan(b -> b.tableName(ledger.dealEnv.require("IDEMPOTENCY_TABLE"))
                .filterExpression("#s = :p").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":p", Items.s("INPROGRESS"))).consistentRead(true)).count());
    }

    @Test
    void sameKeyWithAnotherBodyIs422AndWritesNothing() {
        String member = ledger.member(uniqueId("m"));
        String key = uniqueId("pos");
        APIGatewayProxyResponseEvent first = expect(201, postDeal(key, earnBody(member, merchant, 100000)));

        APIGatewayProxyResponseEvent reused = postDeal(key, earnBody(member, merchant, 200000));

        assertEquals(422, reused.getStatusCode());
        JsonNode error = body(reused).get("error");
        assertEquals("IDEMPOTENCY_KEY_REUSED", error.get("code").asText());
        assertTrue(error.get("message").asText().length() > 0);
        assertEquals("Idempotency-Key", error.at("/details/header").asText());
        assertEquals(1, dealsOf(member).size());
        assertEquals(1000, ledger.balance(member));
        assertSameResponse(first, postDeal(key, earnBody(member, merchant, 100000))); // the key still holds the first
    }

    @Test
    void theBodyIsComparedAsJsonNotAsText() {
        String member = ledger.member(uniqueId("m"));
        String key = uniqueId("pos");
        String compact = "{\"memberId\":\"" + member + "\",\"merchantId\":\"" + merchant + "\",\"type\":\"earn\",\"amount\":100000}";
        String reordered = "{ \"amount\": 100000, \"type\": \"earn\",\n  \"merchantId\": \"" + merchant + "\", \"memberId\": \"" + member + "\" }";
        APIGatewayProxyResponseEvent first = expect(201, ledger.deal(withKey(key, post("/deals", compact))));

        assertSameResponse(first, ledger.deal(withKey(key, post("/deals", reordered))));
        assertEquals(1, dealsOf(member).size());
    }

    @Test
    void keysAreScopedToTheCaller() {
        String shopA = ledger.merchant(uniqueId("shopA"), null);
        String shopB = ledger.merchant(uniqueId("shopB"), null);
        String member = ledger.member(uniqueId("m"));
        String key = "receipt-0001"; // a POS counter: two merchants' POS send the same key

        JsonNode byA = body(expect(201, ledger.deal(asMerchant(shopA, withKey(key, post("/deals", earnBody(member, shopA, 100000)))))));
        JsonNode byB = body(expect(201, ledger.deal(asMerchant(shopB, withKey(key, post("/deals", earnBody(member, shopB, 100000)))))));
        // the admin sending A's very body with A's key is a third caller, not a retry of A's request
        JsonNode byAdmin = body(expect(201, postDeal(key, earnBody(member, shopA, 100000))));

        assertNotEquals(byA.get("dealId").asText(), byB.get("dealId").asText());
        assertNotEquals(byA.get("dealId").asText(), byAdmin.get("dealId").asText());
        assertEquals(3, dealsOf(member).size());
        assertEquals(3000, ledger.balance(member));
        // and each one's retry is still its own replay
        assertEquals(byA, body(expect(201, ledger.deal(asMerchant(shopA, withKey(key, post("/deals", earnBody(member, shopA, 100000))))))));
    }

    @Test
    void aRefusedUseRetriedGetsTheSameFailedDealRecordedOnce() {
        String member = ledger.member(uniqueId("m")); // balance 0
        String key = uniqueId("pos");
        APIGatewayProxyResponseEvent refused = postDeal(key, useBody(member, merchant, 100));
        assertEquals(409, refused.getStatusCode());
        assertEquals("INSUFFICIENT_POINTS", errorCode(refused));
        String failedDealId = body(refused).at("/error/details/deal/dealId").asText();
        assertEquals("FAILED", body(refused).at("/error/details/deal/status").asText());

        for (int i = 0; i < 5; i++) {
            assertSameResponse(refused, postDeal(key, useBody(member, merchant, 100)));
        }

        List<Map<String, AttributeValue>> deals = dealsOf(member);
        assertEquals(1, deals.size());
        assertEquals(failedDealId, Items.str(deals.get(0), DealsTable.DEAL_ID));
        assertEquals("FAILED", Items.str(deals.get(0), DealsTable.STATUS));
    }

    @Test
    void cancelRetriesCancelOnceAndAnswerAlike() {
        String member = ledger.member(uniqueId("m"));
        String key = uniqueId("pos"); // the same key as the earn's: another route, another scope
        String earn = body(expect(201, postDeal(key, earnBody(member, merchant, 100000)))).get("dealId").asText();
        expect(201, ledger.earn(member, merchant, 100000)); // balance 2000

        APIGatewayProxyResponseEvent first = expect(200, cancel(key, earn));
        for (int i = 0; i < 20; i++) {
            assertSameResponse(first, cancel(key, earn)); // not 409 DEAL_NOT_CANCELLABLE
        }
        assertEquals("CANCELLED", body(first).get("status").asText());
        assertEquals(1000, ledger.balance(member)); // deducted once

        // a use's cancel answers 202 (restoration PENDING), replayed alike
        String use = body(expect(201, ledger.use(member, merchant, 100))).get("dealId").asText();
        String useKey = uniqueId("pos");
        APIGatewayProxyResponseEvent accepted = expect(202, cancel(useKey, use));
        assertSameResponse(accepted, cancel(useKey, use));
        assertEquals("PENDING", body(accepted).get("restoration").asText());
        // the same key on another deal is another request
        String other = body(expect(201, ledger.use(member, merchant, 50))).get("dealId").asText();
        assertEquals(other, body(expect(202, cancel(useKey, other))).get("dealId").asText());
    }

    @Test
    void withoutTheHeaderEveryPostIsANewDeal() {
        String member = ledger.member(uniqueId("m"));
        String a = body(expect(201, ledger.earn(member, merchant, 100000))).get("dealId").asText();
        String b = body(expect(201, ledger.earn(member, merchant, 100000))).get("dealId").asText();

        assertNotEquals(a, b);
        assertEquals(2, dealsOf(member).size());
        assertEquals(2000, ledger.balance(member));
    }

    @Test
    void theHeaderNameIsCaseInsensitive() {
        String member = ledger.member(uniqueId("m"));
        String key = uniqueId("pos");
        APIGatewayProxyResponseEvent first = expect(201, postDeal(key, earnBody(member, merchant, 100000)));
        APIGatewayProxyRequestEvent lower = post("/deals", earnBody(member, merchant, 100000));
        lower.getHeaders().put("idempotency-key", key);

        assertSameResponse(first, ledger.deal(lower));
        assertEquals(1, dealsOf(member).size());
    }

    @Test
    void aBadKeyIs400AndWritesNothing() {
        String member = ledger.member(uniqueId("m"));
        for (String bad : List.of("k".repeat(129), "key\nwith-newline", "tab\there", "  ")) {
            APIGatewayProxyResponseEvent response = postDeal(bad, earnBody(member, merchant, 100000));
            assertEquals(400, response.getStatusCode(), bad);
            assertEquals("VALIDATION_FAILED", errorCode(response));
            assertEquals("Idempotency-Key", body(response).at("/error/details/field").asText());
        }
        expect(201, postDeal("k".repeat(128), earnBody(member, merchant, 100000))); // 128 is the limit
        assertEquals(1, dealsOf(member).size());
    }

    @Test
    void refusalsThatWroteNothingAreNotStored() {
        String member = uniqueId("m"); // not joined yet
        String key = uniqueId("pos");
        // 400: fix the body and retry with the same key
        Map<String, Object> noAmount = Map.of("memberId", member, "merchantId", merchant, "type", "earn");
        assertEquals(400, postDeal(key, noAmount).getStatusCode());
        // 404: the member joins, the retry goes through
        APIGatewayProxyResponseEvent notFound = postDeal(key, earnBody(member, merchant, 100000));
        assertEquals(404, notFound.getStatusCode());
        assertEquals("MEMBER_NOT_FOUND", errorCode(notFound));
        ledger.member(member);

        APIGatewayProxyResponseEvent done = expect(201, postDeal(key, earnBody(member, merchant, 100000)));

        assertSameResponse(done, postDeal(key, earnBody(member, merchant, 100000)));
        assertEquals(1, dealsOf(member).size());
        assertEquals(1000, ledger.balance(member));
    }
}
