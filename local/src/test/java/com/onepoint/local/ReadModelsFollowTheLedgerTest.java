package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.shared.domain.BusinessMonth;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.table.BillingTable;
import com.onepoint.shared.table.DealsTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The read models against the deals table, end to end over HTTP on the whole runtime from template.yaml: the dashboard
 * takes deals from the bus (outbox → rule → queue → DashboardDealEventsFunction) and members and balances from their
 * streams; the billing view reads the deals stream. After deals, cancellations, a restore and a restore forfeited
 * because the member left, each dashboard must list exactly the member's deals as GET /deals shows them, and each
 * merchant's billing view must count exactly the uses and cancellations the deals table holds.
 */
class ReadModelsFollowTheLedgerTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final AtomicBoolean restoreDown = new AtomicBoolean();
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
                    return proceed.call();
                }));
        api = new ApiClient(runtime);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void dashboardsAndBillingViewsEqualWhatTheDealsTableSays() {
        String shopA = merchant();
        String shopB = merchant();
        String kim = join();
        String lee = join();
        String park = join();
        deal(kim, shopA, "earn", 200_000, null);                              // 2000
        String kimUse = deal(kim, shopA, "use", 30_000, 300L);                // 1700
        deal(kim, shopB, "use", 10_000, 100L);                                // 1600
        expect(409, api.post("/deals", body(kim, shopB, "use", 10_000, 99_999L))); // FAILED, listed too
        String kimEarn = deal(kim, shopB, "earn", 50_000, null);              // 2100
        expect(200, api.post("/deals/" + kimEarn + "/cancel", null));         // 1600
        expect(202, api.post("/deals/" + kimUse + "/cancel", null));          // restored later: 1900
        deal(lee, shopB, "earn", 100_000, null);
        String leeUse = deal(lee, shopA, "use", 20_000, 200L);
        deal(lee, shopA, "use", 40_000, 400L);
        expect(202, api.post("/deals/" + leeUse + "/cancel", null));
        deal(park, shopA, "earn", 100_000, null);
        String parkUse = deal(park, shopB, "use", 50_000, 500L);
        awaitRestoration(kimUse, "DONE");
        awaitRestoration(leeUse, "DONE");
        // park's cancelled use cannot be restored before park leaves: its restoration is forfeited
        restoreDown.set(true);
        try {
            expect(202, api.post("/deals/" + parkUse + "/cancel", null));
            expect(200, api.delete("/members/" + park));
        } finally {
            restoreDown.set(false);
        }
        awaitRestoration(parkUse, "FORFEITED");

        for (String member : List.of(kim, lee, park)) {
            await("dashboard of " + member + " equals the deals table", () -> dashboardMatchesLedger(member));
        }
        JsonNode kimsDashboard = api.get("/dashboard/members/" + kim).json();
        assertEquals(5, kimsDashboard.get("deals").size());
        assertEquals(1900, kimsDashboard.get("balance").asLong());
        assertEquals("WITHDRAWN", api.get("/dashboard/members/" + park).json().get("status").asText());
        String month = BusinessMonth.of(Instant.now(), BusinessMonth.DEFAULT_ZONE);
        for (String shop : List.of(shopA, shopB)) {
            await("billing view of " + shop + " equals the deals table",
                    () -> billingCounts(shop, month).equals(countsFromDeals(shop)));
        }
        assertEquals(Map.of("grossUsedPoints", 900L, "grossUseCount", 3L, "cancelledPoints", 500L, "cancelledCount", 2L),
                billingCounts(shopA, month), "shop A: uses 300 + 200 + 400, of which 300 and 200 cancelled");
        assertEquals(0, events.sqs().approximateCount("DashboardDealEventsDeadLetterQueue"));
        assertEquals(0, events.sqs().approximateCount("RestoreDeadLetterQueue"));

        // the statement follows too: its entries add up to the balance, the newest carrying it; and the audit agrees
        for (String member : List.of(kim, lee, park)) {
            await("statement of " + member + " adds up to its balance", () -> statementMatchesBalance(member));
        }
        assertEquals(List.of("FORFEIT", "USE", "EARN"), api.get("/members/" + park + "/ledger").json().get("entries")
                .findValuesAsText("kind"), "park's forfeited restoration moved no points");
        JsonNode audit = expect(200, api.post("/admin/audit", null)).json();
        assertEquals(0, audit.get("discrepancies").size(), audit.toString());
        assertEquals(0, events.sqs().approximateCount("LedgerStreamFailureQueue"));
    }

    private static boolean statementMatchesBalance(String memberId) {
        JsonNode ledger = api.get("/members/" + memberId + "/ledger?limit=100").json();
        long sum = 0;
        for (JsonNode entry : ledger.get("entries")) {
            sum += entry.get("points").asLong();
        }
        long balance = ledger.get("balance").asLong();
        return sum == balance && ledger.get("entries").size() > 0
                && ledger.at("/entries/0/balanceAfter").asLong() == balance;
    }

    /** The member's dashboard lists exactly the member's deals, each as GET /deals shows it; status and balance too. */
    private static boolean dashboardMatchesLedger(String memberId) {
        ApiClient.Answer dashboard = api.get("/dashboard/members/" + memberId);
        if (dashboard.status() != 200) {
            return false;
        }
        List<String> shown = new ArrayList<>();
        for (JsonNode deal : dashboard.json().get("deals")) {
            if (!deal.equals(api.get("/deals/" + deal.get("dealId").asText()).json())) {
                return false;
            }
            shown.add(deal.get("dealId").asText());
        }
        JsonNode member = api.get("/members/" + memberId).json();
        JsonNode points = api.get("/points/" + memberId).json();
        return new TreeSet<>(shown).equals(new TreeSet<>(dealIdsOf(memberId))) && shown.size() == dealIdsOf(memberId).size()
                && member.get("status").asText().equals(dashboard.json().get("status").asText())
                && points.get("balance").asLong() == dashboard.json().get("balance").asLong();
    }

    private static List<Map<String, AttributeValue>> deals() {
        String table = runtime.dynamo().tableNames().get("DealsTable");
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        runtime.dynamo().client().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(items::add);
        return items;
    }

    private static List<String> dealIdsOf(String memberId) {
        return deals().stream().filter(d -> memberId.equals(Items.str(d, DealsTable.MEMBER_ID)))
                .map(d -> Items.str(d, DealsTable.DEAL_ID)).toList();
    }

    /** SPEC §2: a merchant's successful uses count, and those cancelled count against them. */
    private static Map<String, Long> countsFromDeals(String merchantId) {
        long used = 0, uses = 0, cancelled = 0, cancellations = 0;
        for (Map<String, AttributeValue> d : deals()) {
            if (!merchantId.equals(Items.str(d, DealsTable.MERCHANT_ID)) || !"use".equals(Items.str(d, DealsTable.TYPE))
                    || "FAILED".equals(Items.str(d, DealsTable.STATUS))) {
                continue;
            }
            used += Items.num(d, DealsTable.POINTS);
            uses++;
            if ("CANCELLED".equals(Items.str(d, DealsTable.STATUS))) {
                cancelled += Items.num(d, DealsTable.POINTS);
                cancellations++;
            }
        }
        return counts(used, uses, cancelled, cancellations);
    }

    /** The billing view of one merchant-month, read from the billing table (the view has no API before settling). */
    private static Map<String, Long> billingCounts(String merchantId, String month) {
        String table = runtime.dynamo().tableNames().get("BillingTable");
        Map<String, AttributeValue> item = runtime.dynamo().client().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(BillingTable.MERCHANT_ID, Items.s(merchantId), BillingTable.BILLING_MONTH, Items.s(month)))).item();
        Map<String, AttributeValue> view = item == null ? Map.of() : item;
        return counts(orZero(view, BillingTable.GROSS_USED_POINTS), orZero(view, BillingTable.GROSS_USE_COUNT),
                orZero(view, BillingTable.CANCELLED_POINTS), orZero(view, BillingTable.CANCELLED_COUNT));
    }

    private static Map<String, Long> counts(long used, long uses, long cancelled, long cancellations) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("grossUsedPoints", used);
        counts.put("grossUseCount", uses);
        counts.put("cancelledPoints", cancelled);
        counts.put("cancelledCount", cancellations);
        return counts;
    }

    private static long orZero(Map<String, AttributeValue> item, String name) {
        Long value = Items.numOrNull(item, name);
        return value == null ? 0 : value;
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

    private static String join() {
        String id = "m-" + shortId();
        expect(201, api.post("/members", "{\"memberId\":\"" + id + "\",\"name\":\"Member\"}"));
        return id;
    }

    private static String deal(String memberId, String merchantId, String type, long amount, Long points) {
        return expect(201, api.post("/deals", body(memberId, merchantId, type, amount, points))).json().get("dealId").asText();
    }

    private static String body(String memberId, String merchantId, String type, long amount, Long points) {
        return "{\"memberId\":\"" + memberId + "\",\"merchantId\":\"" + merchantId + "\",\"type\":\"" + type
                + "\",\"amount\":" + amount + (points == null ? "" : ",\"points\":" + points) + "}";
    }

    private static void awaitRestoration(String dealId, String expected) {
        await("restoration " + expected + " of " + dealId,
                () -> expected.equals(api.get("/deals/" + dealId).json().path("restoration").asText()));
    }

    private static ApiClient.Answer expect(int status, ApiClient.Answer answer) {
        assertEquals(status, answer.status(), answer.body());
        return answer;
    }

    private static void await(String what, BooleanSupplier condition) {
        Eventually.await(what, WAIT, condition);
    }
}
