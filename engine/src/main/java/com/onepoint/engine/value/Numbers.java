package com.onepoint.engine.value;

import com.onepoint.engine.DynamoException;

import java.math.BigDecimal;

/**
 * DynamoDB numbers: up to 38 significant digits, magnitude from 1E-130 to below 1E+126, returned without
 * exponent, leading or trailing zeros ("01.50" is "1.5", "1e3" is "1000", "-0" is "0").
 */
public final class Numbers {
    private static final BigDecimal MAX = new BigDecimal("1E126");
    private static final BigDecimal MIN = new BigDecimal("1E-130");

    private Numbers() {
    }

    public static String normalise(String raw) {
        if (raw == null || raw.isEmpty() || raw.isBlank()) {
            throw DynamoException.validation("The parameter cannot be converted to a numeric value");
        }
        BigDecimal d;
        try {
            d = new BigDecimal(raw.trim());
        } catch (NumberFormatException e) {
            throw DynamoException.validation("The parameter cannot be converted to a numeric value: " + raw);
        }
        return normalise(d);
    }

    public static String normalise(BigDecimal d) {
        if (d.signum() == 0) {
            return "0";
        }
        BigDecimal s = d.stripTrailingZeros();
        if (s.precision() > 38) {
            throw DynamoException.validation("Attempting to store more than 38 significant digits in a Number");
        }
        BigDecimal abs = s.abs();
        if (abs.compareTo(MAX) >= 0) {
            throw DynamoException.validation("Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (abs.compareTo(MIN) < 0) {
            throw DynamoException.validation("Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        return s.toPlainString();
    }
}
