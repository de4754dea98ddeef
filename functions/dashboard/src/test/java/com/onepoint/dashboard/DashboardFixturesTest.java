package com.onepoint.dashboard;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.shared.table.DashboardTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The projector driven by the events/ stream fixtures, in the shape Lambda delivers (the same files
 * `sam local invoke DashboardProjector -e` and the local runtime's `invoke` take). Their ARNs name the dev stage's
 * tables, which are the names the template gives these tests.
 */
class DashboardFixturesTest {
    private static DashboardStack stack;

    @BeforeAll
    static void start() {
        stack = new DashboardStack();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static DynamodbEvent reversed(DynamodbEvent event) {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>(event.getRecords());
        Collections.reverse(records);
        DynamodbEvent out = new DynamodbEvent();
        out.setRecords(records);
        return out;
    }

    private static void projectCleanly(DynamodbEvent event) {
        StreamsEventResponse response = stack.project(event);
        assertEquals(List.of(), response.getBatchItemFailures());
    }

    @ParameterizedTest
    @Event(value = "events/dashboard-members-stream.json", type = DynamodbEvent.class)
    void membersFixture(DynamodbEvent event) {
        projectCleanly(event);
        List<Map<String, AttributeValue>> once = stack.items(stack.dashboardTable());
        projectCleanly(reversed(event)); // redelivered, out of order: nothing changes

        assertEquals(once, stack.items(stack.dashboardTable()));
        Map<String, AttributeValue> first = stack.dashboardItem("0001", DashboardTable.PROFILE);
        assertEquals("ACTIVE", first.get(DashboardTable.STATUS).s());
        assertFalse(first.containsKey("phone") || first.containsKey("email"));
        Map<String, AttributeValue> second = stack.dashboardItem("0002", DashboardTable.PROFILE);
        assertEquals("WITHDRAWN", second.get(DashboardTable.STATUS).s());
        assertEquals("2", second.get(DashboardTable.VERSION).n());
        // leave erased the name at the source; the dashboard's copy of it goes with the same change
        assertFalse(second.containsKey(DashboardTable.NAME), second.toString());
        assertFalse(stack.view("0002").has("name"));
    }

    @ParameterizedTest
    @Event(value = "events/dashboard-deals-stream.json", type = DynamodbEvent.class)
    void dealsFixture(DynamodbEvent event) {
        stack.dynamo.client().putItem(b -> b.tableName(stack.dashboardTable()).item(Map.of(
                DashboardTable.MEMBER_ID, AttributeValue.fromS("0001"), DashboardTable.SK, AttributeValue.fromS(DashboardTable.PROFILE),
                DashboardTable.STATUS, AttributeValue.fromS("ACTIVE"), DashboardTable.VERSION, AttributeValue.fromN("1"))));

        projectCleanly(event);
        projectCleanly(reversed(event));

        JsonNode deals = stack.view("0001").get("deals");
        List<String> order = new ArrayList<>();
        deals.forEach(d -> order.add(d.get("dealId").asText() + " " + d.get("status").asText()));
        assertEquals(List.of(
                "3fa85f64-5717-4562-b3fc-2c963f66afa6 CANCELLED", // 01:10, cancelled at 01:20
                "9b2d3c1e-8a4f-4e6b-9c7d-1f2e3d4c5b6a FAILED",    // 01:06
                "7c9e6679-7425-40de-944b-e07fc1f90ae7 SUCCESS",   // 01:05.120
                "0f8fad5b-d9cb-469f-a165-70867728950e SUCCESS"),  // 01:00
                order);
        assertEquals("INSUFFICIENT_POINTS", deals.get(1).get("failureReason").asText());
        assertEquals("2026-11-25T01:20:00Z", deals.get(0).get("cancelledAt").asText());
    }

    @ParameterizedTest
    @Event(value = "events/dashboard-points-stream.json", type = DynamodbEvent.class)
    void pointsFixture(DynamodbEvent event) {
        projectCleanly(reversed(event)); // newest first: the older four find a newer version and change nothing
        projectCleanly(event);

        Map<String, AttributeValue> balance = stack.dashboardItem("0001", DashboardTable.BALANCE);
        assertEquals("900", balance.get(DashboardTable.BALANCE_POINTS).n());
        assertEquals("5", balance.get(DashboardTable.VERSION).n());
        assertEquals("OPEN", balance.get(DashboardTable.ACCOUNT_STATUS).s());
    }
}
