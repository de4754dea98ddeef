package com.onepoint.point;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.shared.event.EventType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.devkit.ApiEvents.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Adjustments: the rules, their refusals, and no overdraft under contention (a condition, not a read). */
class AdjustmentTest {
    private static PointStack stack;

    @BeforeAll
    static void start() {
        stack = new PointStack();
    }

    @AfterAll
    static void stop() {
        stack.assertAuditClean();
        stack.close();
    }

    private static String member() {
        return stack.member("m-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static String field(APIGatewayProxyResponseEvent response) {
        return body(expect(400, response)).at("/error/details/field").asText();
    }

    @Test
    void refusedBodiesNameTheFieldAndWriteNothing() {
        String m = member();
        assertEquals("points", field(stack.adjust(m, 0, "zero")));
        assertEquals("points", field(stack.adjust(m, 1_000_000_000_001L, "too much")));
        assertEquals("points", field(stack.adjust(m, -1_000_000_000_001L, "too little")));
        assertEquals("reason", field(stack.adjust(m, 5, "x".repeat(201))));
        assertEquals("reason", field(stack.adjust(m, 5, "  ")));
        for (String bad : List.of("{\"reason\":\"r\"}", "{\"points\":1.5,\"reason\":\"r\"}", "{\"points\":\"5\",\"reason\":\"r\"}",
                "{\"points\":5}")) {
            APIGatewayProxyResponseEvent response = stack.call(request("POST", "/members/{memberId}/adjustments",
                    Map.of("memberId", m), bad));
            assertEquals(400, response.getStatusCode(), bad + ": " + response.getBody());
        }
        expect(201, stack.adjust(m, 1_000_000_000_000L, "the most at once"));
        expect(201, stack.adjust(m, -1_000_000_000_000L, "and back"));
        expect(201, stack.adjust(m, 7, "x".repeat(200)));
        assertEquals(7, stack.balance(m));
    }

    @Test
    void aNegativeAdjustmentBeyondTheBalanceIsRefused() {
        String m = member();
        expect(201, stack.adjust(m, 500, "welcome gift"));
        JsonNode refused = body(expect(409, stack.adjust(m, -600, "too much")));
        assertEquals("INSUFFICIENT_POINTS", refused.at("/error/code").asText());
        assertEquals(500, refused.at("/error/details/balance").asLong());
        assertEquals(500, stack.balance(m));
        expect(201, stack.adjust(m, -500, "all of it")); // down to exactly 0 is allowed
        assertEquals(0, stack.balance(m));
    }

    @Test
    void unknownAndWithdrawnMembersAreRefused() {
        assertEquals("MEMBER_NOT_FOUND", body(expect(404, stack.adjust("nobody", 5, "r"))).at("/error/code").asText());
        String m = member();
        stack.leave(m);
        assertEquals("MEMBER_NOT_ACTIVE", body(expect(409, stack.adjust(m, 5, "r"))).at("/error/code").asText());
        assertEquals("MEMBER_NOT_ACTIVE", body(expect(409, stack.adjust(m, -5, "r"))).at("/error/code").asText());
        assertEquals(0, stack.balance(m));
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        String m = member();
        var first = request("POST", "/members/{memberId}/adjustments", Map.of("memberId", m),
                Map.of("points", 10, "reason", "r"));
        first.getHeaders().put("Idempotency-Key", "k-" + m);
        expect(201, stack.call(first));
        var second = request("POST", "/members/{memberId}/adjustments", Map.of("memberId", m),
                Map.of("points", 11, "reason", "r"));
        second.getHeaders().put("Idempotency-Key", "k-" + m);
        assertEquals("IDEMPOTENCY_KEY_REUSED", body(expect(422, stack.call(second))).at("/error/code").asText());
        assertEquals(10, stack.balance(m));
    }

    @Test
    void concurrentNegativeAdjustmentsNeverOverdraw() throws Exception {
        String m = member();
        expect(201, stack.adjust(m, 1000, "opening"));
        int tries = 50;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<APIGatewayProxyResponseEvent>> futures = new ArrayList<>();
            for (int i = 0; i < tries; i++) {
                futures.add(pool.submit(() -> {
                    gate.await();
                    return stack.adjust(m, -30, "race");
                }));
            }
            gate.countDown();
            int created = 0;
            int refused = 0;
            for (Future<APIGatewayProxyResponseEvent> f : futures) {
                int status = f.get(60, TimeUnit.SECONDS).getStatusCode();
                created += status == 201 ? 1 : 0;
                refused += status == 409 ? 1 : 0;
            }
            assertEquals(33, created, "1000 holds 33 removals of 30");
            assertEquals(tries - 33, refused);
            assertEquals(10, stack.balance(m));
        } finally {
            pool.shutdownNow();
        }
        stack.project();
        JsonNode ledger = body(expect(200, stack.ledger(m, 100, null)));
        assertEquals(34, ledger.get("entries").size());
        assertEquals(10, ledger.get("entries").findValues("points").stream().mapToLong(JsonNode::asLong).sum());
        assertEquals(10, ledger.at("/entries/0/balanceAfter").asLong());
        JsonNode audit = body(expect(200, stack.audit(m)));
        assertEquals(1, audit.get("membersChecked").asLong());
        assertEquals(0, audit.get("discrepancies").size());
    }

    @Test
    void noEventIsPublishedByTheFunctionItself() {
        // PointsAdjusted comes from the adjustments stream through the outbox (OutboxPublisherTest), so a function
        // dying after its write loses nothing; the point function publishes only what the audit finds
        int before = stack.bus.accepted.size();
        expect(201, stack.adjust(member(), 3, "r"));
        assertEquals(before, stack.bus.accepted.size());
        assertEquals("onepoint.point", EventType.PointsAdjusted.source());
    }
}
