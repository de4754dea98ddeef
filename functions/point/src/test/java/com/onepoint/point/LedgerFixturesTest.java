package com.onepoint.point;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.List;
import java.util.Map;

import static com.onepoint.devkit.ApiEvents.asMerchant;
import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixtures in events/ for the statement, adjustments and the audit, through the handlers template.yaml names. */
class LedgerFixturesTest {
    private PointStack stack;

    @BeforeEach
    void start() {
        stack = new PointStack();
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    @ParameterizedTest
    @Event(value = "events/adjustment.json", type = APIGatewayProxyRequestEvent.class)
    void adjustmentFixtureCreditsTheBalanceOnceAndShowsInTheStatement(APIGatewayProxyRequestEvent event) {
        assertEquals("MEMBER_NOT_FOUND", body(expect(404, stack.call(event))).at("/error/code").asText());
        stack.member("0003");

        JsonNode created = body(expect(201, stack.call(event)));
        assertEquals("0003", created.get("memberId").asText());
        assertEquals(500, created.get("points").asLong());
        assertEquals("welcome gift", created.get("reason").asText());
        assertFalse(created.get("adjustmentId").asText().isEmpty());
        assertNotNull(created.get("createdAt"));
        // the fixture carries an Idempotency-Key: the POS's retry gets the first answer and moves nothing
        assertEquals(created, body(expect(201, stack.call(event))));
        assertEquals(500, stack.balance("0003"));

        stack.project();
        JsonNode ledger = body(expect(200, stack.ledger("0003", null, null)));
        assertEquals(1, ledger.get("entries").size());
        JsonNode entry = ledger.at("/entries/0");
        assertEquals("ADJUSTMENT", entry.get("kind").asText());
        assertEquals(500, entry.get("balanceAfter").asLong());
        assertEquals(created.get("adjustmentId"), entry.get("adjustmentId"));
        assertNull(entry.get("dealId"));

        // a merchant key may not adjust
        assertEquals("FORBIDDEN", body(expect(403, stack.call(asMerchant("20", event)))).at("/error/code").asText());
        assertEquals(500, stack.balance("0003"));
    }

    @ParameterizedTest
    @Event(value = "events/ledger-get.json", type = APIGatewayProxyRequestEvent.class)
    void ledgerGetFixtureListsNewestFirstInPagesOfItsLimit(APIGatewayProxyRequestEvent event) {
        assertEquals("MEMBER_NOT_FOUND", body(expect(404, stack.call(event))).at("/error/code").asText());
        stack.member("0003");
        expect(201, stack.adjust("0003", 300, "opening credit"));
        expect(201, stack.adjust("0003", -100, "correction"));
        expect(201, stack.adjust("0003", 500, "welcome gift"));
        stack.project();

        JsonNode first = body(expect(200, stack.call(event))); // limit=2
        assertEquals("0003", first.get("memberId").asText());
        assertEquals(700, first.get("balance").asLong());
        assertEquals(List.of(500L, -100L), points(first));
        assertEquals(700, first.at("/entries/0/balanceAfter").asLong());
        assertEquals(200, first.at("/entries/1/balanceAfter").asLong());
        String token = first.get("nextToken").asText();

        JsonNode second = body(expect(200, stack.ledger("0003", 2, token)));
        assertEquals(List.of(300L), points(second));
        assertNull(second.get("nextToken"), "no older entry: no token");
        // a merchant key may read a statement
        assertEquals(200, stack.call(asMerchant("20", event)).getStatusCode());
    }

    @ParameterizedTest
    @Event(value = "events/audit.json", type = APIGatewayProxyRequestEvent.class)
    void auditFixtureChecksEveryMember(APIGatewayProxyRequestEvent event) {
        JsonNode empty = body(expect(200, stack.call(event)));
        assertEquals(0, empty.get("membersChecked").asLong());
        stack.member("0003");
        stack.member("0004");
        expect(201, stack.adjust("0003", 500, "welcome gift"));

        JsonNode report = body(expect(200, stack.call(event)));
        assertEquals(2, report.get("membersChecked").asLong());
        assertEquals(0, report.get("discrepancies").size());
        assertEquals("FORBIDDEN", body(expect(403, stack.call(asMerchant("20", event)))).at("/error/code").asText());
    }

    @ParameterizedTest
    @Event(value = "events/ledger-points-stream.json", type = DynamodbEvent.class)
    void pointsStreamFixtureBecomesOneEntryPerMovement(DynamodbEvent event) {
        assertEquals(List.of(), stack.projector.handleRequest(event, null).getBatchItemFailures());
        stack.dynamo.client().putItem(b -> b.tableName(stack.table("POINTS_TABLE")).item(Map.of(
                "memberId", com.onepoint.shared.dynamo.Items.s("0003"), "balance", com.onepoint.shared.dynamo.Items.n(0),
                "status", com.onepoint.shared.dynamo.Items.s("CLOSED"), "version", com.onepoint.shared.dynamo.Items.n(5))));

        JsonNode ledger = body(expect(200, stack.ledger("0003", null, null)));
        assertEquals(List.of(-700L, -100L, 500L, 300L), points(ledger), "join moved nothing: no entry");
        List<String> kinds = ledger.get("entries").findValuesAsText("kind");
        assertEquals(List.of("FORFEIT", "USE", "ADJUSTMENT", "EARN"), kinds);
        assertEquals(0, ledger.at("/entries/0/balanceAfter").asLong());
        assertEquals("9b2f7c1e-4a53-4a8e-b1f6-0c3d2e1f0a01", ledger.at("/entries/3/dealId").asText());
        assertEquals("2026-11-25T01:00:00Z", ledger.at("/entries/3/at").asText());
    }

    @ParameterizedTest
    @Event(value = "events/ledger-audit-schedule.json", type = ScheduledEvent.class)
    void scheduleFixtureRunsTheAudit(ScheduledEvent event) {
        stack.member("0003");
        Map<String, Object> out = stack.schedule.handleRequest(event, null);
        assertEquals(1L, out.get("membersChecked"));
        assertEquals(0, out.get("discrepancies"));
        assertTrue(stack.bus.accepted.isEmpty(), "nothing to report, nothing published");
    }

    static List<Long> points(JsonNode ledger) {
        return ledger.get("entries").findValues("points").stream().map(JsonNode::asLong).toList();
    }
}
