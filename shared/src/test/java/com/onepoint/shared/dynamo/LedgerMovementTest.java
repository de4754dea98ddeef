package com.onepoint.shared.dynamo;

import com.onepoint.shared.domain.MovementKind;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LedgerMovementTest {
    private static final Instant T = Instant.parse("2026-11-25T01:00:00Z");

    private static Update update(String expression) {
        return Update.builder().tableName("points").key(Items.key("memberId", "0001")).updateExpression(expression)
                .expressionAttributeValues(Map.of(":p", Items.n(5), ":one", Items.n(1))).build();
    }

    @Test
    void recordedByAddsOneAssignmentAndKeepsTheWritersOwn() {
        Update recorded = LedgerMovement.useRestore("d-1", "r-1", 5, T)
                .recordedBy(update("SET balance = balance + :p, version = version + :one"));
        assertEquals("SET balance = balance + :p, version = version + :one, lastMovement = :ledgerMovement",
                recorded.updateExpression());
        assertEquals(3, recorded.expressionAttributeValues().size());
        assertEquals(Items.n(5), recorded.expressionAttributeValues().get(":p"));
        LedgerMovement back = LedgerMovement.of(Map.of(LedgerMovement.ATTRIBUTE,
                recorded.expressionAttributeValues().get(":ledgerMovement")));
        assertEquals(new LedgerMovement(MovementKind.USE_RESTORE, 5, T, "d-1", "r-1", null), back);
    }

    @Test
    void signsFollowTheDirectionOfTheMovement() {
        assertEquals(100, LedgerMovement.earn("d", 100, T).points());
        assertEquals(-100, LedgerMovement.use("d", 100, T).points());
        assertEquals(-100, LedgerMovement.earnCancel("d", 100, T).points());
        assertEquals(-33, LedgerMovement.earnRefund("d", "r", 33, T).points());
        assertEquals(-600, LedgerMovement.forfeit(600, T).points());
        assertEquals(-7, LedgerMovement.adjustment("a", -7, T).points());
        assertNull(LedgerMovement.forfeit(600, T).dealId());
    }

    @Test
    void anExpressionWithAnotherClauseIsRefused() {
        LedgerMovement m = LedgerMovement.earn("d", 1, T);
        assertThrows(IllegalArgumentException.class, () -> m.recordedBy(update("SET balance = :p REMOVE closedAt")));
        assertThrows(IllegalArgumentException.class, () -> m.recordedBy(update("ADD balance :p")));
        assertThrows(IllegalArgumentException.class, () -> m.recordedBy(m.recordedBy(update("SET balance = :p"))));
        assertNull(LedgerMovement.of(Map.of("balance", Items.n(1))));
    }
}
