package com.onepoint.point;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.shared.table.PointsTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.Map;

import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.get;
import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PointHandlerTest {
    private static LocalDynamo dynamo;
    private static PointHandler handler;
    private static String pointsTable;

    @BeforeAll
    static void start() {
        PointStack stack = new PointStack();
        dynamo = stack.dynamo;
        pointsTable = stack.table(PointsTable.ENV);
        handler = stack.points;
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    private static void account(String memberId, long balance, String status) {
        dynamo.client().putItem(b -> b.tableName(pointsTable).item(Map.of(PointsTable.MEMBER_ID, s(memberId),
                PointsTable.BALANCE, n(balance), PointsTable.STATUS, s(status))));
    }

    @ParameterizedTest
    @Event(value = "events/get-points.json", type = APIGatewayProxyRequestEvent.class)
    void getPointsFixtureReadsTheBalance(APIGatewayProxyRequestEvent event) {
        assertEquals(404, handler.handleRequest(event, null).getStatusCode(), "no account yet");
        account("0001", 1900, "OPEN");

        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);

        assertEquals(200, response.getStatusCode());
        JsonNode body = body(response);
        assertEquals("0001", body.get("memberId").asText());
        assertEquals(1900, body.get("balance").asLong());
        assertEquals("OPEN", body.get("status").asText());
    }

    @Test
    void aClosedAccountReadsZeroAndClosed() {
        account("gone", 0, "CLOSED");
        JsonNode body = body(handler.handleRequest(get("/points/{memberId}", Map.of("memberId", "gone")), null));
        assertEquals(0, body.get("balance").asLong());
        assertEquals("CLOSED", body.get("status").asText());
    }

    @Test
    void badOrUnknownIds() {
        APIGatewayProxyResponseEvent bad = handler.handleRequest(get("/points/{memberId}", Map.of("memberId", "no such")), null);
        assertEquals(400, bad.getStatusCode());
        assertEquals("memberId", body(bad).at("/error/details/field").asText());
        APIGatewayProxyResponseEvent unknown = handler.handleRequest(get("/points/{memberId}", Map.of("memberId", "nobody")), null);
        assertEquals(404, unknown.getStatusCode());
        assertEquals("MEMBER_NOT_FOUND", body(unknown).at("/error/code").asText());
    }
}
