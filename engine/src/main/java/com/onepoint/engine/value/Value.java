package com.onepoint.engine.value;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One immutable DynamoDB attribute value. Numbers are kept in DynamoDB's normalised text ({@link Numbers}), so two
 * numbers are equal exactly when DynamoDB says they are; sets compare as sets. An item is a
 * {@code Map<String, Value>} that nobody mutates once built.
 */
public sealed interface Value extends Comparable<Value> {
    Type type();

    record S(String value) implements Value {
        public Type type() {
            return Type.S;
        }
    }

    /** A number in normalised text; build it with {@link #of(String)}, which validates and normalises. */
    record N(String text) implements Value {
        public static N of(String raw) {
            return new N(Numbers.normalise(raw));
        }

        public static N of(long value) {
            return new N(Long.toString(value));
        }

        public static N of(BigDecimal value) {
            return new N(Numbers.normalise(value));
        }

        public BigDecimal decimal() {
            return new BigDecimal(text);
        }

        public Type type() {
            return Type.N;
        }
    }

    /** Binary; the array is never mutated after construction. */
    record B(byte[] bytes) implements Value {
        public Type type() {
            return Type.B;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof B b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "B[" + bytes.length + " bytes]";
        }
    }

    record Bool(boolean value) implements Value {
        public static final Bool TRUE = new Bool(true);
        public static final Bool FALSE = new Bool(false);

        public Type type() {
            return Type.BOOL;
        }
    }

    record Null() implements Value {
        public static final Null INSTANCE = new Null();

        public Type type() {
            return Type.NULL;
        }
    }

    record L(List<Value> values) implements Value {
        public L {
            values = List.copyOf(values);
        }

        public Type type() {
            return Type.L;
        }
    }

    record M(Map<String, Value> values) implements Value {
        public M {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        public Type type() {
            return Type.M;
        }
    }

    /** String set: non-empty, no duplicates, unordered. */
    record SS(Set<String> values) implements Value {
        public SS {
            values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
        }

        public Type type() {
            return Type.SS;
        }
    }

    /** Number set, each member in normalised text. */
    record NS(Set<String> values) implements Value {
        public NS {
            values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
        }

        public Type type() {
            return Type.NS;
        }
    }

    record BS(Set<B> values) implements Value {
        public BS {
            values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
        }

        public Type type() {
            return Type.BS;
        }
    }

    static S s(String value) {
        return new S(value);
    }

    static N n(String text) {
        return N.of(text);
    }

    static N n(long value) {
        return N.of(value);
    }

    /**
     * DynamoDB's order for key and comparison operands of one type: numbers by value, strings and binaries by their
     * (UTF-8) bytes, unsigned. Values of different types order by type; DynamoDB never compares them, callers check.
     */
    @Override
    default int compareTo(Value other) {
        if (type() != other.type()) {
            return type().compareTo(other.type());
        }
        if (this instanceof N a) {
            return a.decimal().compareTo(((N) other).decimal());
        }
        if (this instanceof S a) {
            return compareUtf8(a.value(), ((S) other).value());
        }
        if (this instanceof B a) {
            return Arrays.compareUnsigned(a.bytes(), ((B) other).bytes());
        }
        throw new IllegalArgumentException("values of type " + type() + " have no order");
    }

    /** Unsigned UTF-8 byte order, which for Java strings differs from compareTo only around surrogate pairs. */
    static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return Arrays.compareUnsigned(a.substring(i).getBytes(StandardCharsets.UTF_8),
                            b.substring(i).getBytes(StandardCharsets.UTF_8));
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
