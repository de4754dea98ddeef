package com.onepoint.engine.store;

import com.onepoint.engine.value.Value;

import java.util.List;

/**
 * A sort key for the engine's maps: the values of a table's key (hash, then range), or of an index entry (index
 * hash, index range, then the table's key, which makes every entry unique). Orders part by part, a shorter key
 * first, so {@code Key(hash)} is the lower bound of the partition {@code hash}.
 * <p>
 * A lookup compares the sought key with a dozen keys of a page, each a chain of objects (key, list, value, string,
 * bytes) that is rarely in the CPU cache. So each key also carries {@link #prefix}, an order-preserving 64-bit
 * digest of its first part held in the key itself: when two prefixes differ they decide the order alone.
 */
public final class Key implements Comparable<Key> {
    /** The first part has no prefix (a string with a non-ASCII character among its first 8). */
    private static final byte NONE = 0;
    /** The prefix is the first 8 bytes of a string, big-endian, zero-padded. */
    private static final byte STRING = 1;
    /** The prefix is the number as a double, in bits that order as the doubles do; rounding can only tie. */
    private static final byte NUMBER = 2;
    /** The prefix is the first 8 bytes of a binary, big-endian, zero-padded. */
    private static final byte BINARY = 3;

    private final List<Value> parts;
    private final boolean upperBound;
    private final long prefix;
    private final byte prefixKind;

    public Key(List<Value> parts, boolean upperBound) {
        this.parts = List.copyOf(parts);
        this.upperBound = upperBound;
        Value first = this.parts.isEmpty() ? null : this.parts.get(0);
        long ascii = first instanceof Value.S s ? asciiPrefix(s.value()) : -1;
        if (ascii >= 0) {
            prefixKind = STRING;
            prefix = ascii;
        } else if (first instanceof Value.B b) {
            prefixKind = BINARY;
            prefix = bytesPrefix(b.bytes());
        } else if (first instanceof Value.N n) {
            prefixKind = NUMBER;
            prefix = sortableDouble(Double.parseDouble(n.text()));
        } else {
            prefixKind = NONE;
            prefix = 0;
        }
    }

    public Key(List<Value> parts) {
        this(parts, false);
    }

    /** A bound that sorts after every key starting with {@code prefix} (the end of a partition, for reverse reads). */
    public static Key after(Value... prefix) {
        return new Key(List.of(prefix), true);
    }

    public static Key of(Value... parts) {
        return new Key(List.of(parts));
    }

    public List<Value> parts() {
        return parts;
    }

    public boolean upperBound() {
        return upperBound;
    }

    public Value part(int i) {
        return parts.get(i);
    }

    public int size() {
        return parts.size();
    }

    @Override
    public int compareTo(Key other) {
        if (prefixKind != NONE && prefixKind == other.prefixKind && prefix != other.prefix) {
            return Long.compareUnsigned(prefix, other.prefix);
        }
        int n = Math.min(parts.size(), other.parts.size());
        for (int i = 0; i < n; i++) {
            int c = parts.get(i).compareTo(other.parts.get(i));
            if (c != 0) {
                return c;
            }
        }
        if (parts.size() == other.parts.size()) {
            return Boolean.compare(upperBound, other.upperBound);
        }
        boolean shorter = parts.size() < other.parts.size();
        Key prefixKey = shorter ? this : other;
        int sign = shorter ? 1 : -1;
        // a key that is a prefix of the other sorts first, unless it is an upper bound
        return prefixKey.upperBound ? sign : -sign;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && upperBound == k.upperBound && prefix == k.prefix && parts.equals(k.parts);
    }

    @Override
    public int hashCode() {
        return parts.hashCode() * 31 + Boolean.hashCode(upperBound);
    }

    @Override
    public String toString() {
        return "Key" + parts + (upperBound ? "+" : "");
    }

    /** The first 8 chars as bytes when they are ASCII (their UTF-8 bytes, then; never negative), else -1. */
    private static long asciiPrefix(String s) {
        long p = 0;
        for (int i = 0; i < 8; i++) {
            int c = i < s.length() ? s.charAt(i) : 0;
            if (c >= 0x80) {
                return -1;
            }
            p = p << 8 | c;
        }
        return p;
    }

    private static long bytesPrefix(byte[] b) {
        long p = 0;
        for (int i = 0; i < 8; i++) {
            p = p << 8 | (i < b.length ? b[i] & 0xff : 0);
        }
        return p;
    }

    /** Doubles' bits rearranged so that unsigned comparison orders them as the doubles are ordered. */
    static long sortableDouble(double d) {
        long bits = Double.doubleToLongBits(d == 0 ? 0.0 : d);
        return bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
    }
}
