package com.onepoint.dashboard;

import com.onepoint.shared.table.DashboardTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dashboard rebuilt from the source tables equals the one the streams built, item for item. */
class DashboardRebuildTest {
    private static DashboardStack stack;

    @BeforeAll
    static void start() {
        stack = new DashboardStack();
        String shop = stack.merchant("20");
        // the SPEC's walk-through, plus a cancellation and a refused use
        String first = stack.join("0001");
        String second = stack.join("0002");
        stack.cancel(stack.earn(first, shop, 100_000));
        stack.earn(first, shop, 100_000);
        stack.use(first, shop, 100);
        stack.refusedUse(first, shop, 10_000);
        stack.earn(first, shop, 100_000);
        stack.earn(second, shop, 100_000);
        stack.use(second, shop, 200);
        stack.use(second, shop, 200);
        stack.leave(second);
        stack.projectAll();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** An empty table with the dashboard's key schema, as a second stage's dashboard would be. */
    private static String emptyDashboardTable() {
        String name = DashboardStack.uniqueId("rebuilt-dashboard");
        TableDescription live = stack.dynamo.client().describeTable(b -> b.tableName(stack.dashboardTable())).table();
        stack.dynamo.client().createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(live.keySchema()).attributeDefinitions(live.attributeDefinitions()));
        return name;
    }

    @Test
    void rebuildEqualsTheIncrementalProjection() {
        String rebuilt = emptyDashboardTable();

        DashboardRebuild.Summary summary = DashboardRebuild.run(stack.dynamo.client(), stack.sourceTables(), rebuilt, 3, false);

        assertEquals(2, summary.members());
        assertEquals(2, summary.pointAccounts());
        assertEquals(8, summary.deals());
        assertEquals(12, summary.applied());
        assertEquals(0, summary.failed());
        List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> incremental =
                stack.items(stack.dashboardTable());
        assertEquals(12, incremental.size());
        assertEquals(incremental, stack.items(rebuilt));
        assertEquals("WITHDRAWN", incremental.stream()
                .filter(i -> i.get(DashboardTable.MEMBER_ID).s().equals("0002") && i.get(DashboardTable.SK).s().equals(DashboardTable.PROFILE))
                .findFirst().orElseThrow().get(DashboardTable.STATUS).s());
    }

    @Test
    void rebuildRefusesATableThatIsNotEmptyUnlessForced() {
        assertThrows(DashboardRebuild.NotEmptyException.class, () ->
                DashboardRebuild.run(stack.dynamo.client(), stack.sourceTables(), stack.dashboardTable(), 2, false));
        List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> before = stack.items(stack.dashboardTable());

        DashboardRebuild.Summary forced = DashboardRebuild.run(stack.dynamo.client(), stack.sourceTables(),
                stack.dashboardTable(), 2, true);

        assertEquals(0, forced.applied(), "every item is already at its source's version");
        assertEquals(12, forced.alreadyApplied());
        assertEquals(before, stack.items(stack.dashboardTable()));
    }

    @Test
    void optionsComeFromFlagsThenStageThenEnvironment() {
        DashboardRebuild.Options byStage = DashboardRebuild.Options.parse(
                new String[]{"--stage", "prod", "--segments", "8", "--force"}, Map.of());
        assertEquals(new SourceTables("onepoint-prod-members", "onepoint-prod-points", "onepoint-prod-deals"), byStage.sources());
        assertEquals("onepoint-prod-dashboard", byStage.dashboardTable());
        assertEquals(8, byStage.segments());
        assertTrue(byStage.force());

        DashboardRebuild.Options byEnv = DashboardRebuild.Options.parse(new String[]{"--dashboard-table", "other"},
                Map.of("MEMBERS_TABLE", "m", "POINTS_TABLE", "p", "DEALS_TABLE", "d", "DASHBOARD_TABLE", "x",
                        "DYNAMODB_ENDPOINT", "http://localhost:8000"));
        assertEquals(new SourceTables("m", "p", "d"), byEnv.sources());
        assertEquals("other", byEnv.dashboardTable());
        assertEquals(DashboardRebuild.DEFAULT_SEGMENTS, byEnv.segments());
        assertFalse(byEnv.force());
        assertEquals("http://localhost:8000", byEnv.endpoint());

        assertThrows(IllegalArgumentException.class, () -> DashboardRebuild.Options.parse(new String[]{}, Map.of()));
        assertThrows(IllegalArgumentException.class, () ->
                DashboardRebuild.Options.parse(new String[]{"--stage", "dev", "--segments", "0"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () ->
                DashboardRebuild.Options.parse(new String[]{"--stage", "dev", "--tables", "x"}, Map.of()));
    }
}
