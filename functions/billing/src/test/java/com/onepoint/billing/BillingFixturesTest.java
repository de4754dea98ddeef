package com.onepoint.billing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.shared.table.BillingTable.View;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.List;

import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.billing.BillingWorld.failures;
import static com.onepoint.billing.DealStream.at;
import static com.onepoint.devkit.ApiEvents.body;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The billing functions driven by the events/ fixtures `sam local invoke -e` and the local runtime's `invoke` use:
 * the deals-stream batch (SPEC example: uses of 100 + 200 + 200, one of 300 cancelled, an earn and a FAILED use),
 * then POST /billings and GET of merchant 20's July.
 */
class BillingFixturesTest {
    private static BillingWorld world;

    @BeforeAll
    static void start() {
        world = new BillingWorld(at("2026-08-03T09:00:00+09:00"));
        world.merchant("20", null);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static void projectTheFixtureStream() {
        DynamodbEvent deals = EventLoader.loadDynamoDbEvent("events/billing-deals-stream.json");
        assertEquals(List.of(), failures(world.project(deals)));
    }

    @ParameterizedTest
    @Event(value = "events/billing-deals-stream.json", type = DynamodbEvent.class)
    void dealsStreamFixture(DynamodbEvent event) {
        assertEquals(List.of(), failures(world.project(event)));
        assertEquals(List.of(), failures(world.project(event)), "a redelivery is harmless");

        View july = world.view("20", "202607");
        assertEquals(800, july.grossUsedPoints());
        assertEquals(300, july.cancelledPoints(), "the use at 23:59 on July 31st (Seoul) is July's, and cancelled");
        assertEquals(500, july.usedPoints());
        assertEquals(3, july.useCount());
    }

    @ParameterizedTest
    @Event(value = "events/billing-settle.json", type = APIGatewayProxyRequestEvent.class)
    void settleFixture(APIGatewayProxyRequestEvent event) {
        projectTheFixtureStream();

        APIGatewayProxyResponseEvent first = world.api(event);
        APIGatewayProxyResponseEvent second = world.api(event);

        JsonNode s = body(first);
        assertEquals(first.getStatusCode() == 201 ? 200 : first.getStatusCode(), second.getStatusCode());
        assertEquals(500, s.get("usedPoints").asLong());
        assertEquals(3, s.get("useCount").asLong());
        assertEquals(490, s.get("settlementAmount").asLong());
        assertEquals(first.getBody(), second.getBody());
    }

    @ParameterizedTest
    @Event(value = "events/billing-get.json", type = APIGatewayProxyRequestEvent.class)
    void getFixture(APIGatewayProxyRequestEvent event) {
        projectTheFixtureStream();
        world.settle("20", "202607");

        JsonNode s = body(expect(200, world.api(event)));

        assertEquals("20", s.get("merchantId").asText());
        assertEquals("202607", s.get("billingMonth").asText());
        assertEquals(490, s.get("settlementAmount").asLong());
        assertEquals("SETTLED", s.get("status").asText());
    }
}
