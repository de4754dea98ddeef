package com.onepoint.engine.store;

import com.onepoint.engine.value.Value;

import java.util.List;

/**
 * A sort key for the engine's maps: the values of a table's key (hash, then range), or of an index entry (index
 * hash, index range, then the table's key, which makes every entry unique). Orders part by part, a shorter key
 * first, so {@code Key(hash)} is the lower bound of the partition {@code hash}.
 */
public record Key(List<Value> parts, boolean upperBound) implements Comparable<Key> {
    public Key {
        parts = List.copyOf(parts);
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

    public Value part(int i) {
        return parts.get(i);
    }

    public int size() {
        return parts.size();
    }

    @Override
    public int compareTo(Key other) {
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
        Key prefix = shorter ? this : other;
        int sign = shorter ? 1 : -1;
        // a key that is a prefix of the other sorts first, unless it is an upper bound
        return prefix.upperBound ? sign : -sign;
    }
}
