package com.onepoint.engine.expr;

import com.onepoint.engine.value.Value;

import java.util.Map;

/** A parsed ConditionExpression or FilterExpression: immutable, thread-safe. An absent item is an empty map. */
public interface Condition {
    boolean test(Map<String, Value> item);
}
