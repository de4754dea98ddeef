package com.onepoint.shared.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import com.onepoint.shared.http.ApiException;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A merchant rate between 0 and 1 with at most 4 decimal places, held exactly as ten-thousandths
 * (0.01 is 100, 0.98 is 9800) so that no binary floating point ever touches points or money.
 */
public record Rate(long tenThousandths) {
    public static final int SCALE = 4;
    private static final long ONE = 10_000L;
    public static final Rate DEFAULT_EARN = new Rate(100);         // 0.01
    public static final Rate DEFAULT_SETTLEMENT = new Rate(9_800); // 0.98

    public Rate {
        if (tenThousandths < 0 || tenThousandths > ONE) {
            throw new IllegalArgumentException("rate out of [0, 1]: " + tenThousandths + "/10000");
        }
    }

    /** Validates a caller's decimal: 0 ≤ rate ≤ 1, at most 4 places; otherwise 400 naming the field. */
    public static Rate parse(String field, BigDecimal value) {
        BigDecimal v = value.stripTrailingZeros();
        if (v.scale() > SCALE) {
            throw ApiException.validation(field, "must have at most 4 decimal places");
        }
        if (v.signum() < 0 || v.compareTo(BigDecimal.ONE) > 0) {
            throw ApiException.validation(field, "must be between 0 and 1");
        }
        return new Rate(v.movePointRight(SCALE).longValueExact());
    }

    /** From the exact decimal text DynamoDB stores (e.g. "0.01"). */
    public static Rate of(String decimal) {
        return new Rate(new BigDecimal(decimal).movePointRight(SCALE).setScale(0, RoundingMode.UNNECESSARY).longValueExact());
    }

    /** floor(amount × rate), for earning: 12345 at 0.01 is 123. amount ≥ 0. */
    public long applyFloor(long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("amount must be ≥ 0");
        }
        return Math.multiplyExact(amount, tenThousandths) / ONE; // non-negative, so integer division floors
    }

    /** round_half_up(value × rate), for settlement: 500 at 0.98 is 490; -1 × 0.5 is -1 (away from zero). */
    public long applyHalfUp(long value) {
        return BigDecimal.valueOf(value).multiply(decimal()).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    @JsonValue
    public BigDecimal decimal() {
        return BigDecimal.valueOf(tenThousandths, SCALE).stripTrailingZeros();
    }

    @Override
    public String toString() {
        return decimal().toPlainString();
    }
}
