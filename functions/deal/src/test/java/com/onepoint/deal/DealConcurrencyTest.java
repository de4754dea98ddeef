package com.onepoint.deal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.deal.Ledger.uniqueId;
import static com.onepoint.devkit.ApiEvents.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invariants under contention: they hold only because they are DynamoDB conditions inside the write.
 * Checked by hand that each test guards its condition: without "balance >= :p" in DealService.create the first
 * test sees 200 successes; with cancel's "#status = :success" weakened, 3 of the 50 cancels succeed; without
 * "balance = :balance" in MemberService.leave, forfeited + spent comes to 1290 of 1000 earned. Without the receipt's
 * attribute_not_exists all 50 deals with one receiptId succeed; without the refund's "refundedAmount = :ra" the 20
 * refunds overdraw the deal (INSUFFICIENT_POINTS instead of NOT_REFUNDABLE) and the racing test's balance is 319 short.
 */
class DealConcurrencyTest {
    private static final int THREADS = 32;
    private static Ledger ledger;
    private static String merchant;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        ledger = new Ledger();
        merchant = ledger.merchant(uniqueId("shop"), null);
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        ledger.assertAuditClean(); // every race above left each balance equal to the sum of its movements
        ledger.close();
    }

    /** Runs every task at once (behind one start gate) and returns the responses in task order. */
    private static List<APIGatewayProxyResponseEvent> race(List<Callable<APIGatewayProxyResponseEvent>> tasks) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<APIGatewayProxyResponseEvent>> futures = new ArrayList<>();
        for (Callable<APIGatewayProxyResponseEvent> task : tasks) {
            futures.add(pool.submit(() -> {
                gate.await();
                return task.call();
            }));
        }
        gate.countDown();
        List<APIGatewayProxyResponseEvent> responses = new ArrayList<>();
        for (Future<APIGatewayProxyResponseEvent> f : futures) {
            responses.add(f.get(60, TimeUnit.SECONDS));
        }
        return responses;
    }

    private static long count(List<APIGatewayProxyResponseEvent> responses, int status) {
        return responses.stream().filter(r -> r.getStatusCode() == status).count();
    }

    @Test
    void twoHundredSimultaneousUsesNeverOverdraw() throws Exception {
        String member = ledger.member(uniqueId("m"));
        expect(201, ledger.earn(member, merchant, 100000)); // balance 1000
        List<Callable<APIGatewayProxyResponseEvent>> uses = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            uses.add(() -> ledger.use(member, merchant, 10));
        }

        List<APIGatewayProxyResponseEvent> responses = race(uses);

        assertEquals(100, count(responses, 201), "exactly the balance's worth of uses succeed");
        assertEquals(100, count(responses, 409));
        for (APIGatewayProxyResponseEvent r : responses) {
            if (r.getStatusCode() == 409) {
                JsonNode error = body(r).get("error");
                assertEquals("INSUFFICIENT_POINTS", error.get("code").asText());
                assertEquals("FAILED", error.at("/details/deal/status").asText());
            }
        }
        assertEquals(0, ledger.balance(member));
    }

    @Test
    void fiftySimultaneousCancelsOfOneEarnSucceedOnce() throws Exception {
        String member = ledger.member(uniqueId("m"));
        expect(201, ledger.earn(member, merchant, 200000)); // 2000, so a second deduction would still fit
        String dealId = body(expect(201, ledger.earn(member, merchant, 100000))).get("dealId").asText();
        List<Callable<APIGatewayProxyResponseEvent>> cancels = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            cancels.add(() -> ledger.cancel(dealId));
        }

        List<APIGatewayProxyResponseEvent> responses = race(cancels);

        assertEquals(1, count(responses, 200));
        assertEquals(49, count(responses, 409));
        responses.stream().filter(r -> r.getStatusCode() == 409)
                .forEach(r -> assertEquals("DEAL_NOT_CANCELLABLE", body(r).at("/error/code").asText()));
        assertEquals(2000, ledger.balance(member));
    }

    @Test
    void fiftySimultaneousCancelsOfOneUseSucceedOnce() throws Exception {
        String member = ledger.member(uniqueId("m"));
        expect(201, ledger.earn(member, merchant, 100000));
        String useId = body(expect(201, ledger.use(member, merchant, 300))).get("dealId").asText();
        List<Callable<APIGatewayProxyResponseEvent>> cancels = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            cancels.add(() -> ledger.cancel(useId));
        }

        List<APIGatewayProxyResponseEvent> responses = race(cancels);

        assertEquals(1, count(responses, 202));
        assertEquals(49, count(responses, 409));
    }

    @Test
    void aLeaveRacingAHundredUsesForfeitsExactlyWhatWasNotSpent() throws Exception {
        String member = ledger.member(uniqueId("m"));
        expect(201, ledger.earn(member, merchant, 100000)); // earned 1000
        List<Callable<APIGatewayProxyResponseEvent>> tasks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tasks.add(() -> ledger.use(member, merchant, 10));
            if (i == 30) {
                tasks.add(() -> ledger.members.handleRequest(com.onepoint.devkit.ApiEvents.request("DELETE",
                        "/members/{memberId}", java.util.Map.of("memberId", member), null), null));
            }
        }

        List<APIGatewayProxyResponseEvent> responses = race(tasks);

        APIGatewayProxyResponseEvent leave = responses.get(31);
        assertEquals(200, leave.getStatusCode(), leave.getBody());
        long forfeited = body(leave).get("forfeitedPoints").asLong();
        List<APIGatewayProxyResponseEvent> useResponses = new ArrayList<>(responses);
        useResponses.remove(31);
        long spent = 10 * count(useResponses, 201);
        assertEquals(1000, forfeited + spent, "forfeited + spent = earned: no point lost or created");
        assertEquals(0, ledger.balance(member));
        for (APIGatewayProxyResponseEvent r : useResponses) {
            if (r.getStatusCode() != 201) {
                assertEquals(409, r.getStatusCode(), r.getBody());
                String code = body(r).at("/error/code").asText();
                assertTrue(code.equals("MEMBER_NOT_ACTIVE") || code.equals("INSUFFICIENT_POINTS"), code);
            }
        }
        // and nothing commits after the leave
        APIGatewayProxyResponseEvent late = ledger.use(member, merchant, 1);
        assertEquals("MEMBER_NOT_ACTIVE", body(late).at("/error/code").asText());
        assertEquals(0, ledger.balance(member));
    }

    @Test
    void fiftySimultaneousDealsWithOneReceiptSucceedOnce() throws Exception {
        String member = ledger.member(uniqueId("m"));
        String receipt = uniqueId("T1");
        List<Callable<APIGatewayProxyResponseEvent>> deals = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            deals.add(() -> ledger.earn(member, merchant, 10000, receipt));
        }

        List<APIGatewayProxyResponseEvent> responses = race(deals);

        assertEquals(1, count(responses, 201));
        assertEquals(49, count(responses, 409));
        String holder = responses.stream().filter(r -> r.getStatusCode() == 201).findFirst()
                .map(r -> body(r).get("dealId").asText()).orElseThrow();
        responses.stream().filter(r -> r.getStatusCode() == 409).forEach(r -> {
            assertEquals("DUPLICATE_RECEIPT", body(r).at("/error/code").asText());
            assertEquals(holder, body(r).at("/error/details/dealId").asText(), "each refusal names the one holder");
        });
        assertEquals(100, ledger.balance(member), "one earn of 100 points, not fifty");
        assertEquals(holder, body(expect(200, ledger.receipt(merchant, receipt))).get("dealId").asText());
    }

    @Test
    void twentySimultaneousRefundsOf600OnAnAmountOf10000SucceedSixteenTimes() throws Exception {
        String member = ledger.member(uniqueId("m"));
        String earnId = body(expect(201, ledger.earn(member, merchant, 10000))).get("dealId").asText(); // 100 points
        List<Callable<APIGatewayProxyResponseEvent>> refunds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            refunds.add(() -> ledger.refund(earnId, "amount", 600));
        }

        List<APIGatewayProxyResponseEvent> responses = race(refunds);

        assertEquals(16, count(responses, 201), "16 x 600 = 9600 fits in 10000, a 17th does not");
        assertEquals(4, count(responses, 409));
        responses.stream().filter(r -> r.getStatusCode() == 409)
                .forEach(r -> assertEquals("NOT_REFUNDABLE", body(r).at("/error/code").asText()));
        long deducted = responses.stream().filter(r -> r.getStatusCode() == 201)
                .mapToLong(r -> body(r).get("points").asLong()).sum();
        assertEquals(96, deducted, "cumulative: floor(100 x 9600 / 10000), whatever order they landed in");
        JsonNode deal = body(ledger.getDeal(earnId));
        assertEquals(9600, deal.get("refundedAmount").asLong());
        assertEquals(96, deal.get("refundedPoints").asLong());
        assertEquals(4, ledger.balance(member));
        assertBalanceIsTheSumOfItsDeals(member);
    }

    @Test
    void refundsRacingACancelNeverReverseMoreThanTheDeal() throws Exception {
        String member = ledger.member(uniqueId("m"));
        expect(201, ledger.earn(member, merchant, 500000)); // 5000 to spare
        String earnId = body(expect(201, ledger.earn(member, merchant, 30001))).get("dealId").asText(); // 300
        expect(201, ledger.earn(member, merchant, 100000));
        String useId = body(expect(201, ledger.use(member, merchant, 700))).get("dealId").asText();
        List<Callable<APIGatewayProxyResponseEvent>> tasks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            tasks.add(() -> ledger.refund(earnId, "amount", 1111));
            tasks.add(() -> ledger.refund(useId, "points", 33));
            if (i == 15) {
                tasks.add(() -> ledger.cancel(earnId));
                tasks.add(() -> ledger.cancel(useId));
            }
        }

        List<APIGatewayProxyResponseEvent> responses = race(tasks);

        for (APIGatewayProxyResponseEvent r : responses) {
            assertTrue(r.getStatusCode() < 300 || "NOT_REFUNDABLE".equals(body(r).at("/error/code").asText()), r.getBody());
        }
        JsonNode earn = body(ledger.getDeal(earnId));
        JsonNode use = body(ledger.getDeal(useId));
        assertEquals("CANCELLED", earn.get("status").asText());
        assertEquals("CANCELLED", use.get("status").asText());
        assertTrue(earn.get("refundedAmount").asLong() <= 30001);
        assertTrue(use.get("refundedPoints").asLong() <= 700);
        assertEquals(0, use.get("refundedPoints").asLong() % 33);
        // the earn is wholly reversed, by refunds and the cancel; the use's points are all pending restoration
        assertEquals(5000 + 1000 - 700, ledger.balance(member));
        assertBalanceIsTheSumOfItsDeals(member);
    }

    /**
     * balance == Σ effects of the member's deals: earn SUCCESS points − refundedPoints, earn CANCELLED 0, use
     * −points + restoredPoints (FAILED deals none). Read straight from the deals table.
     */
    private static void assertBalanceIsTheSumOfItsDeals(String member) {
        long sum = 0;
        for (java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item : ledger.dynamo.client()
                .scan(b -> b.tableName(ledger.dealEnv.require(com.onepoint.shared.table.DealsTable.ENV))
                        .filterExpression("memberId = :m")
                        .expressionAttributeValues(java.util.Map.of(":m", com.onepoint.shared.dynamo.Items.s(member)))
                        .consistentRead(true)).items()) {
            com.onepoint.shared.domain.Deal deal = com.onepoint.shared.table.DealsTable.SCHEMA.mapToItem(item);
            if (deal.status() == com.onepoint.shared.domain.DealStatus.FAILED) {
                continue;
            }
            if (deal.type() == com.onepoint.shared.domain.DealType.EARN) {
                sum += deal.status() == com.onepoint.shared.domain.DealStatus.SUCCESS ? deal.points() - deal.refundedPoints() : 0;
            } else {
                sum += -deal.points() + deal.restoredPoints();
            }
        }
        assertEquals(sum, ledger.balance(member), "balance = the sum of the member's deals' effects");
    }
}
