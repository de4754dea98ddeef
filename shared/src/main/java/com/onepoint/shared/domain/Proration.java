package com.onepoint.shared.domain;

import java.math.BigInteger;

/**
 * The points an earn's partial refund deducts: cumulative, so repeated refunds never drift from the whole.
 * {@code deducted = floor(P × (R + n) / A) − floor(P × R / A)}: P points earned, A the deal's amount, R the amount
 * refunded before, n this refund. Refunding all of A deducts exactly P, however it is split.
 */
public final class Proration {
    private Proration() {
    }

    /** Points deducted by refunding {@code n} more of {@code amount} after {@code refundedBefore}; 0 ≤ R, R + n ≤ A. */
    public static long deducted(long points, long amount, long refundedBefore, long n) {
        if (amount <= 0 || points < 0 || refundedBefore < 0 || n < 1 || refundedBefore > amount - n) {
            throw new IllegalArgumentException("refund of " + n + " after " + refundedBefore + " of " + amount);
        }
        return share(points, amount, refundedBefore + n) - share(points, amount, refundedBefore);
    }

    /**
     * floor(P × X / A) for 0 ≤ X ≤ A, which is at most P. P × X reaches 10^24 for figures of 10^12 (beyond a long's
     * 9.2 × 10^18), so the product is taken exactly; all the operands are non-negative, so division is floor.
     */
    static long share(long points, long amount, long part) {
        return BigInteger.valueOf(points).multiply(BigInteger.valueOf(part))
                .divide(BigInteger.valueOf(amount)).longValueExact();
    }
}
