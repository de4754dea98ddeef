package com.onepoint.point;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.Restoration;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.devkit.json.Json;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.PointsTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The audit sums the source records (deals, adjustments, forfeits), not the statement: deals are planted on the
 * engine as DealService and the refunds and restores leave them, and a bad balance is written on the engine directly.
 */
class LedgerAuditTest {
    private static final Instant T = Instant.parse("2026-11-25T01:00:00Z");
    private PointStack stack;

    @BeforeEach
    void start() {
        stack = new PointStack();
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    /** A deal item as the deal function writes it, plus the refund and restore figures when given. */
    private void deal(String memberId, DealType type, long points, DealStatus status, Long refunded, Long restored) {
        Deal deal = new Deal(UUID.randomUUID().toString(), memberId, "20", type, points * 100, points, status, null, T, T,
                status == DealStatus.CANCELLED ? T : null,
                type == DealType.USE && status == DealStatus.CANCELLED ? Restoration.DONE : null, null, 2);
        Map<String, AttributeValue> item = new HashMap<>(DealsTable.SCHEMA.itemToMap(deal, true));
        if (refunded != null) {
            item.put(DealsTable.REFUNDED_POINTS, Items.n(refunded));
        }
        if (restored != null) {
            item.put(DealsTable.RESTORED_POINTS, Items.n(restored));
        }
        stack.dynamo.client().putItem(b -> b.tableName(stack.table(DealsTable.ENV)).item(item));
    }

    private void setBalance(String memberId, long balance) {
        stack.dynamo.client().updateItem(b -> b.tableName(stack.table(PointsTable.ENV))
                .key(Items.key(PointsTable.MEMBER_ID, memberId))
                .updateExpression("SET balance = :b").expressionAttributeValues(Map.of(":b", Items.n(balance))));
    }

    @Test
    void balancesThatAreTheirMovementsPassAndAPlantedOneIsFound() throws Exception {
        stack.member("a");
        stack.member("b");
        stack.member("c");
        // a: earn 1000 (100 refunded), earn 500 cancelled, use 200 with 50 restored, use 300 cancelled and restored,
        // a FAILED use, an adjustment of +40: 1000-100 + 0 - 150 + 0 + 0 + 40 = 790
        deal("a", DealType.EARN, 1000, DealStatus.SUCCESS, 100L, null);
        deal("a", DealType.EARN, 500, DealStatus.CANCELLED, null, null);
        deal("a", DealType.USE, 200, DealStatus.SUCCESS, null, 50L);
        deal("a", DealType.USE, 300, DealStatus.CANCELLED, null, 300L);
        deal("a", DealType.USE, 9999, DealStatus.FAILED, null, null);
        setBalance("a", 750);
        expect(201, stack.adjust("a", 40, "goodwill"));
        // b: a use cancelled but not restored yet (restoration PENDING, no restoredPoints): still -points
        deal("b", DealType.EARN, 400, DealStatus.SUCCESS, null, null);
        deal("b", DealType.USE, 100, DealStatus.CANCELLED, null, null);
        setBalance("b", 300);
        // c: left with 70 forfeited
        deal("c", DealType.EARN, 70, DealStatus.SUCCESS, null, null);
        setBalance("c", 70);
        stack.leave("c");

        JsonNode clean = body(expect(200, stack.audit(null)));
        assertEquals(3, clean.get("membersChecked").asLong());
        assertEquals(0, clean.get("discrepancies").size(), clean.toString());
        assertEquals(0, stack.bus.accepted.size());

        setBalance("b", 301); // one point out of thin air
        JsonNode found = body(expect(200, stack.audit(null)));
        assertEquals(3, found.get("membersChecked").asLong());
        assertEquals(Json.read("[{\"memberId\":\"b\",\"balance\":301,\"sumOfMovements\":300}]"), found.get("discrepancies"));
        assertEquals(1, stack.bus.accepted.size());
        var event = stack.bus.accepted.get(0);
        assertEquals("LedgerDiscrepancy", event.detailType());
        assertEquals("onepoint.point", event.source());
        JsonNode detail = Json.read(event.detail());
        assertEquals("b", detail.get("memberId").asText());
        assertEquals(301, detail.get("balance").asLong());
        assertEquals(300, detail.get("sumOfMovements").asLong());
        assertEquals(1, detail.get("schemaVersion").asInt());

        // one member on demand: a Query and a filtered Scan, the same verdicts
        assertEquals(found.get("discrepancies"), body(expect(200, stack.audit("b"))).get("discrepancies"));
        JsonNode a = body(expect(200, stack.audit("a")));
        assertEquals(1, a.get("membersChecked").asLong());
        assertEquals(0, a.get("discrepancies").size());
        JsonNode nobody = body(expect(200, stack.audit("nobody")));
        assertEquals(0, nobody.get("membersChecked").asLong());
        assertEquals(0, nobody.get("discrepancies").size());
        assertEquals("memberId", body(expect(400, stack.audit("no such"))).at("/error/details/field").asText());
    }

    @Test
    void aFailedPublishFailsTheRunSoItIsRunAgain() {
        stack.member("x");
        setBalance("x", 5);
        stack.bus.failNext.set(1);
        assertEquals(500, stack.audit(null).getStatusCode());
        assertEquals(List.of(), stack.bus.accepted);
        assertEquals(1, body(expect(200, stack.audit(null))).get("discrepancies").size());
        assertEquals(1, stack.bus.accepted.size());
    }
}
