package com.onepoint.deal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** What Lambda calls: the stream overload, on the fixture's bytes as API Gateway sends them. */
    @Test
    void earnFixtureThroughTheStreamEntryPoint() throws Exception {
        long before = ledger.balance("0001");
        String event = Files.readString(Path.of("events/earn.json"))
                .replace("pos-20-terminal-3-receipt-0001", "pos-stream-" + System.nanoTime()); // its own Idempotency-Key
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ledger.deals.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);

        JsonNode answer = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(201, answer.get("statusCode").intValue(), answer.toString());
        JsonNode deal = new ObjectMapper().readTree(answer.get("body").textValue());
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

    @ParameterizedTest
    @Event(value = "events/earn-receipt.json", type = APIGatewayProxyRequestEvent.class)
    void earnWithReceiptFixture(APIGatewayProxyRequestEvent event) {
        JsonNode deal = body(expect(201, ledger.deal(event)));
        assertEquals("T1-0001", deal.get("receiptId").asText());
        assertEquals(300, deal.get("points").asLong(), "floor(30001 x 0.01)");

        JsonNode again = body(expect(409, ledger.earn("0001", "20", 30001, "T1-0001"))).get("error");
        assertEquals("DUPLICATE_RECEIPT", again.get("code").asText());
        assertEquals(deal.get("dealId").asText(), again.at("/details/dealId").asText());
    }

    @ParameterizedTest
    @Event(value = "events/get-receipt.json", type = APIGatewayProxyRequestEvent.class)
    void getReceiptFixture(APIGatewayProxyRequestEvent event) {
        event.setPathParameters(Map.of("merchantId", "20", "receiptId", "FX-get-receipt"));
        assertEquals("RECEIPT_NOT_FOUND", body(expect(404, ledger.deal(event))).at("/error/code").asText());
        String dealId = body(expect(201, ledger.earn("0001", "20", 5000, "FX-get-receipt"))).get("dealId").asText();

        JsonNode deal = body(expect(200, ledger.deal(event)));

        assertEquals(dealId, deal.get("dealId").asText());
        assertEquals("FX-get-receipt", deal.get("receiptId").asText());
    }

    @ParameterizedTest
    @Event(value = "events/refund-earn.json", type = APIGatewayProxyRequestEvent.class)
    void refundEarnFixture(APIGatewayProxyRequestEvent event) {
        String dealId = body(expect(201, ledger.earn("0001", "20", 30001))).get("dealId").asText();
        long before = ledger.balance("0001");
        event.setPathParameters(Map.of("dealId", dealId));

        JsonNode refund = body(expect(201, ledger.deal(event)));

        assertEquals(dealId, refund.get("dealId").asText());
        assertEquals(10000, refund.get("amount").asLong());
        assertEquals(99, refund.get("points").asLong(), "floor(300 x 10000 / 30001)");
        assertEquals(before - 99, ledger.balance("0001"));
        JsonNode deal = body(expect(200, ledger.getDeal(dealId)));
        assertEquals(10000, deal.get("refundedAmount").asLong());
        assertEquals(99, deal.get("refundedPoints").asLong());
    }

    @ParameterizedTest
    @Event(value = "events/refund-use.json", type = APIGatewayProxyRequestEvent.class)
    void refundUseFixture(APIGatewayProxyRequestEvent event) {
        expect(201, ledger.earn("0001", "20", 100000));
        String dealId = body(expect(201, ledger.use("0001", "20", 100))).get("dealId").asText();
        long before = ledger.balance("0001");
        event.setPathParameters(Map.of("dealId", dealId));

        JsonNode refund = body(expect(202, ledger.deal(event)));

        assertEquals(40, refund.get("points").asLong());
        assertEquals("PENDING", refund.get("restoration").asText());
        assertEquals(before, ledger.balance("0001"), "the points come back later, through the restore queue");
        assertEquals(40, body(expect(200, ledger.getDeal(dealId))).get("refundedPoints").asLong());
    }
}
