package com.onepoint.deal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.Map;

import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.devkit.ApiEvents.body;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** DealHandler driven by the same events/ fixtures `sam local invoke -e` and the local runtime's `invoke` use. */
class DealFixturesTest {
    private static Ledger ledger;

    @BeforeAll
    static void start() {
        ledger = new Ledger();
        ledger.merchant("20", null);   // the fixtures' merchant and member
        ledger.member("0001");
    }

    @AfterAll
    static void stop() {
        ledger.close();
    }

    @ParameterizedTest
    @Event(value = "events/earn.json", type = APIGatewayProxyRequestEvent.class)
    void earnFixture(APIGatewayProxyRequestEvent event) {
        long before = ledger.balance("0001");
        JsonNode deal = body(expect(201, ledger.deal(event)));
        assertEquals("earn", deal.get("type").asText());
        assertEquals(1000, deal.get("points").asLong());
        assertEquals(before + 1000, ledger.balance("0001"));
    }

    @ParameterizedTest
    @Event(value = "events/use.json", type = APIGatewayProxyRequestEvent.class)
    void useFixture(APIGatewayProxyRequestEvent event) {
        expect(201, ledger.earn("0001", "20", 100000));
        long before = ledger.balance("0001");
        JsonNode deal = body(expect(201, ledger.deal(event)));
        assertEquals("use", deal.get("type").asText());
        assertEquals(100, deal.get("points").asLong());
        assertEquals(10000, deal.get("amount").asLong());
        assertEquals(before - 100, ledger.balance("0001"));
    }

    @ParameterizedTest
    @Event(value = "events/get-deal.json", type = APIGatewayProxyRequestEvent.class)
    void getDealFixture(APIGatewayProxyRequestEvent event) {
        assertEquals(404, ledger.deal(event).getStatusCode(), "the fixture's id names no deal in an empty table");
        String dealId = body(expect(201, ledger.earn("0001", "20", 5000))).get("dealId").asText();
        event.setPathParameters(Map.of("dealId", dealId));

        JsonNode deal = body(expect(200, ledger.deal(event)));

        assertEquals(dealId, deal.get("dealId").asText());
        assertEquals(50, deal.get("points").asLong());
    }

    @ParameterizedTest
    @Event(value = "events/cancel-deal.json", type = APIGatewayProxyRequestEvent.class)
    void cancelDealFixture(APIGatewayProxyRequestEvent event) {
        String dealId = body(expect(201, ledger.earn("0001", "20", 7000))).get("dealId").asText();
        long before = ledger.balance("0001");
        event.setPathParameters(Map.of("dealId", dealId));

        APIGatewayProxyResponseEvent response = ledger.deal(event);

        assertEquals("CANCELLED", body(expect(200, response)).get("status").asText());
        assertEquals(before - 70, ledger.balance("0001"));
    }
}
