package com.onepoint.engine.expr;

import java.util.Set;

/**
 * Entry points: parse one expression of a request against that request's placeholders. Each call checks the
 * expression completely (syntax, reserved words, placeholders, operand types, overlapping paths) and throws
 * DynamoDB's ValidationException with DynamoDB's wording; the result is immutable and thread-safe.
 */
public final class Expressions {
    private Expressions() {
    }

    /** kind is "ConditionExpression" or "FilterExpression" (it prefixes messages: "Invalid ConditionExpression: ..."). */
    public static Condition condition(String text, Placeholders p, String kind) {
        return ConditionParser.condition(text, p, kind);
    }

    /**
     * The top-level attributes a condition from {@link #condition} reads, e.g. to reject a Query FilterExpression
     * on a key attribute ("Filter Expression can only contain non-primary key attributes: ..."). Empty for a
     * Condition built elsewhere.
     */
    public static Set<String> topLevelNames(Condition condition) {
        return condition instanceof ParsedCondition p ? p.topLevelNames() : Set.of();
    }

    public static Projection projection(String text, Placeholders p) {
        return new ProjectionParser(text, p).parse();
    }

    public static Update update(String text, Placeholders p) {
        return new UpdateParser(text, p).parse();
    }

    /** rangeKey is null for a hash-only key schema (of the table or index being queried). */
    public static KeyCondition keyCondition(String text, Placeholders p, String hashKey, String rangeKey) {
        return KeyConditions.parse(text, p, hashKey, rangeKey);
    }
}
