package com.onepoint.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.http.HttpRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SnapStart locally: the runtime runs the hooks of every function the template gives SnapStart, once at startup
 * (beforeCheckpoint, then afterRestore); priming writes no item to any table, and the API answers right after it.
 */
class SnapStartPrimingTest {
    private static LocalRuntime runtime;
    private static ApiClient api;
    private static Map<String, List<String>> tablesRightAfterStartup;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(TestTemplates.project(), 0, RuntimeOverrides.standard());
        runtime.snapStart(); // the hooks run beside the first requests; these tests look once they are done
        tablesRightAfterStartup = everyItem(runtime.dynamo().client());
        api = new ApiClient(runtime);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    /** Every item of every table, as text, sorted: equal maps mean nothing was written. */
    private static Map<String, List<String>> everyItem(DynamoDbClient db) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String table : db.listTables().tableNames()) {
            out.put(table, db.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream()
                    .map(item -> new TreeMap<String, AttributeValue>(item).toString()).sorted(Comparator.naturalOrder())
                    .collect(Collectors.toList()));
        }
        return out;
    }

    /**
     * The tables the API functions write. The read models (dashboard, billing, the ledger statement) are written by
     * stream consumers a moment after each change, so they would differ whatever priming did; startup's check covers them.
     */
    private static Map<String, List<String>> sourceTables() {
        Map<String, List<String>> items = everyItem(runtime.dynamo().client());
        items.keySet().removeIf(table -> table.contains("-dashboard") || table.contains("-billing")
                || table.endsWith("-ledger"));
        long sources = TestTemplates.project().resourcesOfType("AWS::DynamoDB::Table").stream()
                .filter(t -> !t.logicalId().startsWith("Dashboard") && !t.logicalId().startsWith("Billing")
                        && !t.logicalId().equals("LedgerTable")).count();
        assertEquals(sources, items.size(), items.keySet().toString());
        return items;
    }

    @Test
    void everyApiFunctionAndTheAuthorizerIsPrimedAtStartup() {
        SnapStartHooks.Result result = runtime.snapStart();
        assertEquals(Set.of("MerchantFunction", "AuthorizerFunction", "MemberFunction", "PointFunction", "DealFunction",
                "RestoreRedriveFunction", "DashboardFunction", "BillingFunction", "UiFunction"), Set.copyOf(result.primed()));
        assertEquals(List.of(), result.withoutHooks());
        assertTrue(runtime.startupTimes().toString().contains("SnapStart hooks at"), runtime.startupTimes().toString());
    }

    @Test
    void primingAtStartupWroteNoItem() {
        assertEquals(TestTemplates.project().resourcesOfType("AWS::DynamoDB::Table").size(), tablesRightAfterStartup.size(),
                "every table of the template: " + tablesRightAfterStartup.keySet());
        tablesRightAfterStartup.forEach((table, items) -> assertEquals(List.of(), items, table));
    }

    @Test
    void primingAgainOnALedgerWithDataChangesNoItemAndTheNextRequestsWork() {
        assertEquals(201, api.post("/merchants", "{\"merchantId\":\"snap-shop\",\"name\":\"Shop\"}").status());
        assertEquals(201, api.post("/members", "{\"memberId\":\"snap-m\",\"name\":\"M\"}").status());
        assertEquals(201, earn("snap-1").status());
        Map<String, List<String>> before = sourceTables();

        SnapStartHooks.Result again = SnapStartHooks.run(TestTemplates.project(), runtime.functions());

        assertEquals(9, again.primed().size());
        assertEquals(before, sourceTables());
        ApiClient.Answer first = earn("snap-2");
        assertEquals(201, first.status(), first.body());
        ApiClient.Answer replay = earn("snap-2");
        assertEquals(first.body(), replay.body(), "the idempotency path still stores and replays after priming");
        assertEquals(2000, api.get("/points/snap-m").json().get("balance").asLong());
    }

    @Test
    void theFirstRequestsAfterStartupAreAnswered() {
        assertEquals(404, api.get("/members/snap-nobody").status());
        assertEquals(201, api.post("/merchants", "{\"merchantId\":\"snap-first\",\"name\":\"First\"}").status());
        assertEquals(200, api.get("/merchants/snap-first").status());
    }

    private static ApiClient.Answer earn(String idempotencyKey) {
        return api.send(HttpRequest.newBuilder(api.uri("/deals")).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"memberId\":\"snap-m\",\"merchantId\":\"snap-shop\",\"type\":\"earn\",\"amount\":100000}")));
    }
}
