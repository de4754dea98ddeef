package com.onepoint.billing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.shared.domain.Deal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.billing.DealStream.at;
import static com.onepoint.billing.DealStream.batch;
import static com.onepoint.billing.DealStream.use;
import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.asMerchant;
import static com.onepoint.devkit.ApiEvents.get;
import static com.onepoint.devkit.ApiEvents.post;
import static com.onepoint.devkit.ApiEvents.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** POST /billings and GET /billings/{merchantId}/{billingMonth} through BillingHandler on the embedded engine. */
class BillingApiTest {
    static final Instant NOW = at("2026-08-05T10:00:00+09:00");
    static final Instant JULY = at("2026-07-20T18:00:00+09:00");
    private static BillingWorld world;
    private final DealStream stream = new DealStream();

    @BeforeAll
    static void start() {
        world = new BillingWorld(NOW);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private String shopWithUses(long... points) {
        String shop = world.merchant();
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (long p : points) {
            records.add(stream.inserted(use(shop, p, JULY)));
        }
        world.project(batch(records));
        return shop;
    }

    @Test
    void theSpecExampleSettlesTo490AndReadsBack() {
        String shop = shopWithUses(100, 200, 200);

        APIGatewayProxyResponseEvent created = expect(201, world.settle(shop, "202607"));

        JsonNode s = body(created);
        assertEquals(shop, s.get("merchantId").asText());
        assertEquals("202607", s.get("billingMonth").asText());
        assertEquals(500, s.get("usedPoints").asLong());
        assertEquals(3, s.get("useCount").asLong());
        assertEquals(0, s.get("adjustments").asLong());
        assertEquals(490, s.get("settlementAmount").asLong());
        assertEquals("0.98", s.get("settlementRate").asText());
        assertEquals("SETTLED", s.get("status").asText());
        assertEquals(NOW.toString(), s.get("settledAt").asText());
        assertEquals(created.getBody(), expect(200, world.settlement(shop, "202607")).getBody());
    }

    @Test
    void cancelledUsesAreNettedBeforeSettling() {
        String shop = world.merchant();
        Deal cancelled = use(shop, 1000, JULY);
        world.project(batch(stream.inserted(use(shop, 100, JULY)), stream.inserted(cancelled),
                stream.inserted(use(shop, 400, JULY)), stream.cancelled(cancelled, NOW)));

        JsonNode s = body(expect(201, world.settle(shop, "202607")));

        assertEquals(500, s.get("usedPoints").asLong());
        assertEquals(2, s.get("useCount").asLong());
        assertEquals(490, s.get("settlementAmount").asLong());
    }

    @Test
    void settlingAgainAnswersTheSameSettlementWith200() {
        String shop = shopWithUses(10, 20);
        String first = expect(201, world.settle(shop, "202607")).getBody();
        world.clock.set(NOW.plusSeconds(3600));
        try {
            assertEquals(first, expect(200, world.settle(shop, "202607")).getBody(), "settledAt included");
        } finally {
            world.clock.set(NOW);
        }
    }

    @Test
    void twentySimultaneousSettlesMakeOneSettlement() throws Exception {
        String shop = shopWithUses(100, 200, 200);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<APIGatewayProxyResponseEvent>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(() -> {
                    gate.await();
                    return world.settle(shop, "202607");
                }));
            }
            gate.countDown();
            List<APIGatewayProxyResponseEvent> responses = new ArrayList<>();
            for (Future<APIGatewayProxyResponseEvent> f : futures) {
                responses.add(f.get(60, TimeUnit.SECONDS));
            }

            assertEquals(1, responses.stream().filter(r -> r.getStatusCode() == 201).count(), "one settle wins");
            assertEquals(19, responses.stream().filter(r -> r.getStatusCode() == 200).count());
            assertEquals(1, responses.stream().map(APIGatewayProxyResponseEvent::getBody).distinct().count(),
                    "every caller sees the one settlement");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSettlementNeverChangesAndLaterChangesBecomeNextMonthsAdjustments() {
        String shop = world.merchant();
        Deal used = use(shop, 200, JULY);
        world.project(batch(stream.inserted(use(shop, 300, JULY)), stream.inserted(used)));
        String july = expect(201, world.settle(shop, "202607")).getBody();

        world.project(batch(stream.cancelled(used, NOW), stream.inserted(use(shop, 45, at("2026-07-31T23:00:00+09:00"))),
                stream.inserted(use(shop, 1000, at("2026-08-03T09:00:00+09:00")))));

        assertEquals(july, expect(200, world.settlement(shop, "202607")).getBody());
        world.clock.set(at("2026-09-01T00:30:00+09:00"));
        try {
            JsonNode august = body(expect(201, world.settle(shop, "202608")));
            assertEquals(1000, august.get("usedPoints").asLong());
            assertEquals(1, august.get("useCount").asLong());
            assertEquals(-155, august.get("adjustments").asLong(), "+45 late use, -200 cancelled after July closed");
            assertEquals(828, august.get("settlementAmount").asLong(), "(1000 - 155) x 0.98 = 828.1");
        } finally {
            world.clock.set(NOW);
        }
    }

    @Test
    void aSettleRacingTheProjectorLosesNoPointAndCountsNoneTwice() throws Exception {
        String shop = world.merchant();
        List<DynamodbEvent> batches = new ArrayList<>();
        long total = 0;
        for (int b = 0; b < 40; b++) {
            List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                records.add(stream.inserted(use(shop, b * 10 + i, JULY)));
                total += b * 10 + i;
            }
            batches.add(batch(records));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> projecting = pool.submit(() -> batches.forEach(world::project));
            Thread.sleep(50);
            Future<APIGatewayProxyResponseEvent> settling = pool.submit(() -> world.settle(shop, "202607"));
            projecting.get(60, TimeUnit.SECONDS);
            JsonNode july = body(expect(201, settling.get(60, TimeUnit.SECONDS)));

            long carried = world.view(shop, "202608").adjustments();
            assertEquals(total, july.get("usedPoints").asLong() + carried, "every point in exactly one month");
            assertEquals(400, july.get("useCount").asLong() + world.view(shop, "202608").carriedInUseCount());
            assertEquals(july.toString(), body(world.settlement(shop, "202607")).toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theCurrentMonthMayBeClosedEarlyAndWhatFollowsIsCarried() {
        String shop = world.merchant();
        Instant august = at("2026-08-02T10:00:00+09:00");
        world.project(batch(stream.inserted(use(shop, 100, august))));

        JsonNode early = body(expect(201, world.settle(shop, "202608")));
        world.project(batch(stream.inserted(use(shop, 50, at("2026-08-05T09:00:00+09:00")))));

        assertEquals(100, early.get("usedPoints").asLong());
        assertEquals(50, world.view(shop, "202609").adjustments());
    }

    @Test
    void aMonthWithoutUsesSettlesToZero() {
        String shop = world.merchant();

        JsonNode s = body(expect(201, world.settle(shop, "202606")));

        assertEquals(0, s.get("usedPoints").asLong());
        assertEquals(0, s.get("useCount").asLong());
        assertEquals(0, s.get("settlementAmount").asLong());
    }

    @Test
    void unknownMerchantIs404AndWritesNothing() {
        APIGatewayProxyResponseEvent r = world.settle("no-such-shop", "202607");

        assertEquals(404, r.getStatusCode());
        assertEquals("MERCHANT_NOT_FOUND", body(r).at("/error/code").asText());
        assertEquals(Map.of(), world.item("no-such-shop", "202607"));
    }

    @Test
    void aMonthNotSettledIs404() {
        String shop = shopWithUses(10);

        APIGatewayProxyResponseEvent r = world.settlement(shop, "202607");

        assertEquals(404, r.getStatusCode());
        assertEquals("SETTLEMENT_NOT_FOUND", body(r).at("/error/code").asText());
    }

    @ParameterizedTest(name = "{0} → 400 on {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"merchantId\":\"S\",\"billingMonth\":\"2026-07\"}|billingMonth",
            "{\"merchantId\":\"S\",\"billingMonth\":\"202613\"}|billingMonth",
            "{\"merchantId\":\"S\",\"billingMonth\":\"202600\"}|billingMonth",
            "{\"merchantId\":\"S\",\"billingMonth\":\"20267\"}|billingMonth",
            "{\"merchantId\":\"S\",\"billingMonth\":\"1999-12\"}|billingMonth",
            "{\"merchantId\":\"S\",\"billingMonth\":202607}|billingMonth",
            "{\"merchantId\":\"S\"}|billingMonth",
            "{\"merchantId\":\"S\",\"billingMonth\":\"202609\"}|billingMonth",
            "{\"merchantId\":\"S\",\"billingMonth\":\"203001\"}|billingMonth",
            "{\"billingMonth\":\"202607\"}|merchantId",
            "{\"merchantId\":\"a b\",\"billingMonth\":\"202607\"}|merchantId",
            "not json|body"})
    void invalidRequestsAre400NamingTheFieldAndWriteNothing(String json, String field) {
        String shop = world.merchant();

        APIGatewayProxyResponseEvent r = world.api(post("/billings", json.replace("\"S\"", "\"" + shop + "\"")));

        assertEquals(400, r.getStatusCode(), r.getBody());
        JsonNode error = body(r).get("error");
        assertEquals("VALIDATION_FAILED", error.get("code").asText());
        assertEquals(field, error.at("/details/field").asText());
        assertFalse(error.get("message").asText().isBlank());
        assertEquals(Map.of(), world.item(shop, "202609"));
    }

    @Test
    void onlyTheAdminSettlesAndAMerchantReadsOnlyItsOwnSettlement() {
        String shop = shopWithUses(100);
        String other = world.merchant();

        APIGatewayProxyResponseEvent bySelf = world.api(asMerchant(shop,
                post("/billings", Map.of("merchantId", shop, "billingMonth", "202607"))));
        APIGatewayProxyResponseEvent anonymous = world.api(request("POST", "/billings", Map.of(),
                Map.of("merchantId", shop, "billingMonth", "202607"), null));

        assertEquals(403, bySelf.getStatusCode());
        assertEquals("FORBIDDEN", body(bySelf).at("/error/code").asText());
        assertEquals(401, anonymous.getStatusCode());
        assertEquals(Map.of(), world.item(shop, "202608"));
        assertEquals(404, world.settlement(shop, "202607").getStatusCode(), "nothing was settled");

        expect(201, world.settle(shop, "202607"));
        Map<String, String> path = Map.of("merchantId", shop, "billingMonth", "202607");
        expect(200, world.api(asMerchant(shop, get("/billings/{merchantId}/{billingMonth}", path))));
        APIGatewayProxyResponseEvent byOther = world.api(asMerchant(other, get("/billings/{merchantId}/{billingMonth}", path)));
        assertEquals(403, byOther.getStatusCode());
    }

    @Test
    void aBadMonthInThePathIs400() {
        APIGatewayProxyResponseEvent r = world.settlement("20", "2026-7");

        assertEquals(400, r.getStatusCode());
        assertEquals("billingMonth", body(r).at("/error/details/field").asText());
    }
}
