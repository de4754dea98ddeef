package com.onepoint.shared.dynamo;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** Terse, null-safe conversions between Java values and DynamoDB attribute values. */
public final class Items {
    private Items() {
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    public static AttributeValue n(String decimal) {
        return AttributeValue.fromN(decimal);
    }

    public static Map<String, AttributeValue> key(String name, String value) {
        return Map.of(name, s(value));
    }

    /** Puts the attribute only when the value is present: DynamoDB has no use for empty optional fields. */
    public static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    public static void putIfPresent(Map<String, AttributeValue> item, String name, Long value) {
        if (value != null) {
            item.put(name, n(value));
        }
    }

    public static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    public static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null || v.n() == null) {
            throw new IllegalStateException("item lacks number attribute " + name);
        }
        return Long.parseLong(v.n());
    }

    public static Long numOrNull(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Long.parseLong(v.n());
    }

    public static String decimal(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.n();
    }
}
