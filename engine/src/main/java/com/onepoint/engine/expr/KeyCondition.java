package com.onepoint.engine.expr;

import com.onepoint.engine.value.Value;

import java.util.Objects;

/** A parsed KeyConditionExpression: the partition key's value and, optionally, a sort-key condition. Immutable. */
public final class KeyCondition {
    private final Value hashValue;
    private final RangeCondition range;

    KeyCondition(Value hashValue, RangeCondition range) {
        this.hashValue = hashValue;
        this.range = range;
    }

    /** For callers that build a key condition themselves (the legacy KeyConditions parameter). */
    public static KeyCondition of(Value hashValue, RangeCondition range) {
        return new KeyCondition(Objects.requireNonNull(hashValue, "hashValue"), range);
    }

    /** The value the partition key must equal. Its type is not checked here (the caller knows the key's type). */
    public Value hashValue() {
        return hashValue;
    }

    /** The sort-key condition; null when the expression has none. */
    public RangeCondition range() {
        return range;
    }
}
