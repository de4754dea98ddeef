package com.onepoint.shared.dynamo;

import com.onepoint.shared.domain.MovementKind;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a balance write moved, recorded on the point account in the same update as the balance and the version:
 * one map attribute {@value #ATTRIBUTE} = {kind, points (signed), at, dealId?, refundId?, adjustmentId?}. The points
 * stream then carries each movement with the balance after it (its NEW image), and the ledger projector writes one
 * statement entry per version without reading or recomputing anything. The whole map is replaced on every write, so
 * no id of an earlier movement can linger.
 *
 * <p>Every writer of a points balance calls {@link #recordedBy(Update)} on its points Update: one line.
 */
public record LedgerMovement(MovementKind kind, long points, Instant at, String dealId, String refundId,
                             String adjustmentId) {
    public static final String ATTRIBUTE = "lastMovement";
    public static final String KIND = "kind";
    public static final String POINTS = "points";
    public static final String AT = "at";
    public static final String DEAL_ID = "dealId";
    public static final String REFUND_ID = "refundId";
    public static final String ADJUSTMENT_ID = "adjustmentId";
    /** The expression value name; chosen so that it cannot clash with the writers' own short names. */
    static final String VALUE = ":ledgerMovement";
    /** An update clause other than SET; compiled once, since every balance write is checked. */
    private static final Pattern OTHER_CLAUSE = Pattern.compile("\\b(REMOVE|ADD|DELETE)\\b");

    public LedgerMovement {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
    }

    public static LedgerMovement earn(String dealId, long points, Instant at) {
        return new LedgerMovement(MovementKind.EARN, points, at, dealId, null, null);
    }

    public static LedgerMovement use(String dealId, long points, Instant at) {
        return new LedgerMovement(MovementKind.USE, -points, at, dealId, null, null);
    }

    public static LedgerMovement earnCancel(String dealId, long points, Instant at) {
        return new LedgerMovement(MovementKind.EARN_CANCEL, -points, at, dealId, null, null);
    }

    /** {@code refundId} null for the restore of a cancelled use, set for the restore of a use refund. */
    public static LedgerMovement useRestore(String dealId, String refundId, long points, Instant at) {
        return new LedgerMovement(MovementKind.USE_RESTORE, points, at, dealId, refundId, null);
    }

    public static LedgerMovement earnRefund(String dealId, String refundId, long deducted, Instant at) {
        return new LedgerMovement(MovementKind.EARN_REFUND, -deducted, at, dealId, refundId, null);
    }

    /** {@code points} signed, as the admin gave it. */
    public static LedgerMovement adjustment(String adjustmentId, long points, Instant at) {
        return new LedgerMovement(MovementKind.ADJUSTMENT, points, at, null, null, adjustmentId);
    }

    public static LedgerMovement forfeit(long forfeited, Instant at) {
        return new LedgerMovement(MovementKind.FORFEIT, -forfeited, at, null, null, null);
    }

    /**
     * {@code update} (a points Update whose expression is one SET clause that changes the balance) with this movement
     * added to its SET clause and values. Refuses an expression with another clause, which the appended
     * assignment would land in.
     */
    public Update recordedBy(Update update) {
        String expression = update.updateExpression();
        if (expression == null || !expression.stripLeading().startsWith("SET ")
                || OTHER_CLAUSE.matcher(expression).find()) {
            throw new IllegalArgumentException("a movement is added to a single SET clause: " + expression);
        }
        Map<String, AttributeValue> values = new HashMap<>(update.hasExpressionAttributeValues()
                ? update.expressionAttributeValues() : Map.of());
        if (values.putIfAbsent(VALUE, toAttribute()) != null) {
            throw new IllegalArgumentException("the update already uses " + VALUE);
        }
        return update.toBuilder()
                .updateExpression(expression + ", " + ATTRIBUTE + " = " + VALUE)
                .expressionAttributeValues(values)
                .build();
    }

    public AttributeValue toAttribute() {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put(KIND, Items.s(kind.name()));
        m.put(POINTS, Items.n(points));
        m.put(AT, Items.s(at.toString()));
        if (dealId != null) {
            m.put(DEAL_ID, Items.s(dealId));
        }
        if (refundId != null) {
            m.put(REFUND_ID, Items.s(refundId));
        }
        if (adjustmentId != null) {
            m.put(ADJUSTMENT_ID, Items.s(adjustmentId));
        }
        return AttributeValue.fromM(m);
    }

    /** The movement a point account item carries, or null when it has none (as join writes it). */
    public static LedgerMovement of(Map<String, AttributeValue> accountItem) {
        AttributeValue value = accountItem.get(ATTRIBUTE);
        if (value == null || !value.hasM()) {
            return null;
        }
        Map<String, AttributeValue> m = value.m();
        return new LedgerMovement(MovementKind.valueOf(Items.str(m, KIND)), Items.num(m, POINTS),
                Instant.parse(Items.str(m, AT)), Items.str(m, DEAL_ID), Items.str(m, REFUND_ID),
                Items.str(m, ADJUSTMENT_ID));
    }
}
