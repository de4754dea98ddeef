package com.onepoint.engine.expr;

import com.onepoint.engine.value.Value;

import java.util.Objects;

/** The sort-key part of a KeyConditionExpression. Immutable, thread-safe. */
public final class RangeCondition {
    public enum Op { EQ, LT, LE, GT, GE, BETWEEN, BEGINS_WITH }

    private final Op op;
    private final Value value;
    private final Value upper;

    private RangeCondition(Op op, Value value, Value upper) {
        this.op = op;
        this.value = value;
        this.upper = upper;
    }

    /** {@code upper} only for BETWEEN (where {@code value} is the lower bound), null otherwise. */
    public static RangeCondition of(Op op, Value value, Value upper) {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
        if ((op == Op.BETWEEN) != (upper != null)) {
            throw new IllegalArgumentException("an upper bound goes with BETWEEN, and only with BETWEEN");
        }
        return new RangeCondition(op, value, upper);
    }

    public Op op() {
        return op;
    }

    public Value value() {
        return value;
    }

    /** The upper bound of BETWEEN; null for the other operators. */
    public Value upper() {
        return upper;
    }

    /** Whether a sort-key value satisfies the condition; a value of another type never does. */
    public boolean test(Value sortKeyValue) {
        if (sortKeyValue == null) {
            return false;
        }
        switch (op) {
            case EQ:
                return sortKeyValue.equals(value);
            case BEGINS_WITH:
                return Compare.beginsWith(sortKeyValue, value);
            case BETWEEN:
                return Compare.comparable(sortKeyValue, value) && Compare.comparable(sortKeyValue, upper)
                        && Compare.order(value, sortKeyValue) <= 0 && Compare.order(sortKeyValue, upper) <= 0;
            default:
                return Compare.ordered(sortKeyValue, value, op == Op.LT || op == Op.LE, op == Op.LE || op == Op.GE);
        }
    }

    @Override
    public String toString() {
        return op + " " + value + (upper == null ? "" : " AND " + upper);
    }
}
