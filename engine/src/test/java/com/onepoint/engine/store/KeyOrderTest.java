package com.onepoint.engine.store;

import com.onepoint.engine.value.Value;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A key's cached prefix never changes DynamoDB's order: strings by UTF-8 bytes, numbers by value, binaries unsigned. */
class KeyOrderTest {
    private static final String[] PIECES = {"", "a", "ab", "m1", "m10", "m2", "\u0000", "\u007f", "\u0080", "é", "한",
            "\uD83D\uDE00", "deal#", "2026-12-01T", "zzzzzzzz", "aaaaaaaa", "aaaaaaaab"};

    @Test
    void stringKeysOrderByTheirUtf8Bytes() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String a = randomString(random);
            String b = randomString(random);
            int expected = Integer.signum(java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                    b.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, Integer.signum(Key.of(new Value.S(a)).compareTo(Key.of(new Value.S(b)))), a + " vs " + b);
        }
    }

    @Test
    void numberKeysOrderByValueEvenWhereTheirDoublesTie() {
        List<String> numbers = new ArrayList<>(List.of("0", "1", "-1", "0.1", "-0.1", "1E+125", "-1E+125", "1E-130",
                "-1E-130", "12345678901234567890123456789012345678", "12345678901234567890123456789012345679",
                "0.12345678901234567890123456789012345678", "0.12345678901234567890123456789012345679",
                "9007199254740993", "9007199254740992", "-9007199254740993", "-9007199254740992"));
        Random random = new Random(11);
        for (int i = 0; i < 200; i++) {
            numbers.add(new BigDecimal(random.nextLong()).movePointLeft(random.nextInt(30)).toPlainString());
        }
        for (String a : numbers) {
            for (String b : numbers) {
                int expected = Integer.signum(new BigDecimal(a).compareTo(new BigDecimal(b)));
                assertEquals(expected, Integer.signum(Key.of(Value.N.of(a)).compareTo(Key.of(Value.N.of(b)))), a + " vs " + b);
            }
        }
    }

    @Test
    void binaryKeysOrderUnsigned() {
        Random random = new Random(13);
        for (int i = 0; i < 20_000; i++) {
            byte[] a = new byte[random.nextInt(12)];
            byte[] b = new byte[random.nextInt(12)];
            random.nextBytes(a);
            random.nextBytes(b);
            if (random.nextBoolean() && a.length > 0 && b.length > 0) {
                b[0] = a[0];
            }
            int expected = Integer.signum(java.util.Arrays.compareUnsigned(a, b));
            assertEquals(expected, Integer.signum(Key.of(new Value.B(a)).compareTo(Key.of(new Value.B(b)))));
        }
    }

    @Test
    void aPartitionBoundStillBracketsItsKeys() {
        Value hash = new Value.S("member#1");
        Key first = Key.of(hash);
        Key last = Key.after(hash);
        Key inside = Key.of(hash, Value.N.of("5"));
        Key nextPartition = Key.of(new Value.S("member#10"));
        assertTrue(first.compareTo(inside) < 0 && inside.compareTo(last) < 0);
        assertTrue(last.compareTo(nextPartition) < 0);
        assertEquals(Key.of(hash, Value.N.of("5")), inside);
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            s.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return s.toString();
    }
}
