package com.onepoint.billing;

import com.onepoint.shared.domain.Rate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** settlementAmount = round_half_up((usedPoints + adjustments) × settlementRate), in exact decimal arithmetic. */
class SettlementAmountTest {

    @ParameterizedTest(name = "({0} + {1}) x {2} = {3}")
    @CsvSource({
            "500, 0, 0.98, 490",                 // the SPEC example
            "845, 0, 0.98, 828",                 // 828.1 rounds down
            "101, 0, 0.985, 99",                 // 99.485 rounds down
            "102, 0, 0.985, 100",                // 100.47 rounds down
            "10, 0, 0.05, 1",                    // 0.5 rounds up
            "30, 0, 0.05, 2",                    // 1.5 rounds up
            "50, 0, 0.05, 3",                    // 2.5 rounds up: half-up, not banker's rounding (which gives 2)
            "15, 0, 0.0333, 0",                  // 0.4995 rounds down
            "15, 0, 0.0334, 1",                  // 0.501 rounds up
            "1, 0, 0.9999, 1",
            "1, 1, 0.25, 1",                     // one rounding over the sum: 0.5 → 1 (per part: 0 + 0)
            "100, -30, 0.98, 69",                // adjustments count before the rate: 70 x 0.98 = 68.6
            "0, -1, 0.5, -1",                    // a net refund of -0.5 rounds away from zero
            "0, -3, 0.5, -2",                    // -1.5 → -2
            "0, 0, 0.98, 0",
            "1000000000000, 0, 0.9999, 999900000000",
            "1000000000000, 0, 1, 1000000000000",
            "123, 0, 0, 0"})
    void roundsHalfUpOnceOverTheNetTotal(long usedPoints, long adjustments, String rate, long expected) {
        assertEquals(expected, BillingService.settlementAmount(usedPoints, adjustments, Rate.of(rate)));
    }
}
