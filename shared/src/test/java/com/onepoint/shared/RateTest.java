package com.onepoint.shared;

import com.onepoint.shared.domain.Rate;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RateTest {
    @ParameterizedTest(name = "floor({0} × {1}) = {2}")
    @CsvSource({"100000, 0.01, 1000", "12345, 0.01, 123", "99, 0.01, 0", "0, 0.01, 0", "12345, 0.0125, 154",
            "1000000000000, 1, 1000000000000", "1000000000000, 0.9999, 999900000000", "7, 0.5, 3"})
    void earnRoundsDown(long amount, String rate, long points) {
        assertEquals(points, Rate.parse("earnRate", new BigDecimal(rate)).applyFloor(amount));
    }

    @ParameterizedTest(name = "round_half_up({0} × {1}) = {2}")
    @CsvSource({"500, 0.98, 490", "1, 0.5, 1", "3, 0.5, 2", "2, 0.5, 1", "-1, 0.5, -1", "-3, 0.5, -2", "101, 0.98, 99",
            "125, 0.98, 123", "0, 0.98, 0", "1000000000000, 0.98, 980000000000"})
    void settlementRoundsHalfUp(long points, String rate, long amount) {
        // 101 × 0.98 = 98.98 → 99; 125 × 0.98 = 122.5 → 123; negatives round away from zero at .5, as HALF_UP does
        assertEquals(amount, Rate.parse("settlementRate", new BigDecimal(rate)).applyHalfUp(points));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.00001", "1.0001", "-0.01", "2"})
    void outOfRangeOrTooPreciseIsRefusedNamingTheField(String value) {
        ApiException e = assertThrows(ApiException.class, () -> Rate.parse("earnRate", new BigDecimal(value)));
        assertEquals(400, e.status());
        assertEquals("earnRate", e.details().get("field"));
    }

    @Test
    void trailingZerosAreFineAndJsonIsPlainDecimal() throws Exception {
        Rate rate = Rate.parse("earnRate", new BigDecimal("0.010000"));
        assertEquals(new Rate(100), rate);
        assertEquals("0.01", Json.write(rate));
        assertEquals("1", Json.write(new Rate(10_000)));
        assertEquals("0", Json.write(new Rate(0)));
        assertEquals(rate, Rate.of("0.01"));
        assertEquals(new BigDecimal("0.01"), Json.parse("0.01"));
    }
}
