package com.onepoint.engine.value;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An item's size as DynamoDB bills and limits it: attribute names (UTF-8) plus values; a number is about one byte
 * per two significant digits plus one; lists and maps add 3 bytes plus 1 per element; sets are the sum of members.
 */
public final class ItemSize {
    public static final int MAX_ITEM_BYTES = 400 * 1024;

    private ItemSize() {
    }

    public static long of(Map<String, Value> item) {
        long size = 0;
        for (Map.Entry<String, Value> e : item.entrySet()) {
            size += utf8(e.getKey()) + of(e.getValue());
        }
        return size;
    }

    public static long of(Value v) {
        if (v instanceof Value.S s) {
            return utf8(s.value());
        }
        if (v instanceof Value.N n) {
            return number(n.text());
        }
        if (v instanceof Value.B b) {
            return b.bytes().length;
        }
        if (v instanceof Value.L l) {
            long size = 3;
            for (Value e : l.values()) {
                size += 1 + of(e);
            }
            return size;
        }
        if (v instanceof Value.M m) {
            long size = 3;
            for (Map.Entry<String, Value> e : m.values().entrySet()) {
                size += 1 + utf8(e.getKey()) + of(e.getValue());
            }
            return size;
        }
        if (v instanceof Value.SS ss) {
            return ss.values().stream().mapToLong(ItemSize::utf8).sum();
        }
        if (v instanceof Value.NS ns) {
            return ns.values().stream().mapToLong(ItemSize::number).sum();
        }
        if (v instanceof Value.BS bs) {
            return bs.values().stream().mapToLong(b -> b.bytes().length).sum();
        }
        return 1; // BOOL, NULL
    }

    /** Read or write units for {@code bytes}: one per started 4 KB (read) or 1 KB (write). */
    public static long units(long bytes, int unitBytes) {
        return Math.max(1, (bytes + unitBytes - 1) / unitBytes);
    }

    private static long utf8(String s) {
        int n = s.length();
        long size = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                size += 1;
            } else if (c < 0x800) {
                size += 2;
            } else if (Character.isHighSurrogate(c)) {
                size += 4;
                i++;
            } else {
                size += 3;
            }
        }
        return size;
    }

    private static long number(String text) {
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            if (Character.isDigit(text.charAt(i))) {
                digits++;
            }
        }
        return (digits + 1) / 2 + 1;
    }
}
