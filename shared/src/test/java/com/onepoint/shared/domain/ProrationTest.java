package com.onepoint.shared.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SPEC §2 partial refunds: deducted = floor(P × (R + n) / A) − floor(P × R / A), exact for figures up to 10^12. */
class ProrationTest {
    private static final long MAX = 1_000_000_000_000L;

    @Test
    void theSpecExamplesDeductWhatTheSpecSays() {
        assertEquals(List.of(33L, 33L, 34L), deductions(100, 10001, 3333, 3334, 3334));
        assertEquals(List.of(99L, 100L, 101L), deductions(300, 30001, 10000, 10000, 10001));
    }

    @ParameterizedTest(name = "P={0} A={1} R={2} n={3} deducts {4}")
    @CsvSource({
            // P × (R + n) = 10^24, far beyond a long (9.2 × 10^18): a long product would overflow to garbage
            "1000000000000, 1000000000000, 0, 1000000000000, 1000000000000",
            "1000000000000, 1000000000000, 999999999999, 1, 1",
            "1000000000000, 1000000000000, 0, 1, 1",
            // earn rate 0.01 on 10^12: 10^10 points, refund of all but one unit, then the last unit
            "10000000000, 1000000000000, 0, 999999999999, 9999999999",
            "10000000000, 1000000000000, 999999999999, 1, 1",
            "9999999999, 999999999999, 500000000000, 1, 0",
            "0, 1000000000000, 0, 1000000000000, 0"})
    void atTheLimitsTheProductIsExact(long points, long amount, long refunded, long n, long expected) {
        assertEquals(expected, Proration.deducted(points, amount, refunded, n));
        BigInteger p = BigInteger.valueOf(points);
        BigInteger a = BigInteger.valueOf(amount);
        long reference = p.multiply(BigInteger.valueOf(refunded + n)).divide(a)
                .subtract(p.multiply(BigInteger.valueOf(refunded)).divide(a)).longValueExact();
        assertEquals(reference, expected);
    }

    @Test
    void refundsInAnySplitAddUpToThePointsEarned() {
        Random random = new Random(12);
        for (int trial = 0; trial < 2000; trial++) {
            long amount = 1 + (long) (random.nextDouble() * MAX);
            long points = (long) (random.nextDouble() * (amount + 1)); // earn rate ≤ 1
            long refunded = 0;
            long deducted = 0;
            while (refunded < amount) {
                long n = 1 + (long) (random.nextDouble() * (amount - refunded));
                long d = Proration.deducted(points, amount, refunded, n);
                assertEquals(true, d >= 0, "never a negative deduction");
                deducted += d;
                refunded += n;
            }
            assertEquals(points, deducted, "P=" + points + " A=" + amount);
        }
    }

    @Test
    void aRefundBeyondTheAmountIsNoProration() {
        assertThrows(IllegalArgumentException.class, () -> Proration.deducted(100, 10001, 10000, 2));
        assertThrows(IllegalArgumentException.class, () -> Proration.deducted(100, 10001, 0, 0));
    }

    private static List<Long> deductions(long points, long amount, long... refunds) {
        long refunded = 0;
        List<Long> out = new java.util.ArrayList<>();
        for (long n : refunds) {
            out.add(Proration.deducted(points, amount, refunded, n));
            refunded += n;
        }
        return out;
    }
}
