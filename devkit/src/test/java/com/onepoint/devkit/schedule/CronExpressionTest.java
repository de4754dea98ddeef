package com.onepoint.devkit.schedule;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronExpressionTest {
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    private static Instant next(String expression, ZoneId zone, String after) {
        return ScheduleExpression.parse(expression, zone, Instant.EPOCH).next(Instant.parse(after)).orElseThrow();
    }

    @Test
    void monthlySettlementAtHalfPastMidnightSeoulTimeOnTheFirst() {
        assertEquals(Instant.parse("2024-01-31T15:30:00Z"), next("cron(30 0 1 * ? *)", SEOUL, "2024-01-15T00:00:00Z"));
        // strictly after: at the fire instant itself, the next one is a month later
        assertEquals(Instant.parse("2024-02-29T15:30:00Z"), next("cron(30 0 1 * ? *)", SEOUL, "2024-01-31T15:30:00Z"));
        // the same expression in UTC fires nine hours later
        assertEquals(Instant.parse("2024-02-01T00:30:00Z"), next("cron(30 0 1 * ? *)", ZoneOffset.UTC, "2024-01-15T00:00:00Z"));
    }

    @Test
    void lastDayOfTheMonth() {
        assertEquals(Instant.parse("2024-02-29T01:00:00Z"), next("cron(0 1 L * ? *)", ZoneOffset.UTC, "2024-02-10T00:00:00Z"));
        assertEquals(Instant.parse("2024-03-31T01:00:00Z"), next("cron(0 1 L * ? *)", ZoneOffset.UTC, "2024-02-29T01:00:00Z"));
        assertEquals(Instant.parse("2023-02-28T01:00:00Z"), next("cron(0 1 L * ? *)", ZoneOffset.UTC, "2023-02-01T00:00:00Z"));
    }

    @Test
    void weekdaysLastAndNthWeekdayOfTheMonth() {
        // 6L: last Friday of January 2024 is the 26th
        assertEquals(Instant.parse("2024-01-26T09:00:00Z"), next("cron(0 9 ? * 6L *)", ZoneOffset.UTC, "2024-01-01T00:00:00Z"));
        // 2#1: first Monday of February 2024 is the 5th
        assertEquals(Instant.parse("2024-02-05T09:00:00Z"), next("cron(0 9 ? * 2#1 *)", ZoneOffset.UTC, "2024-02-01T00:00:00Z"));
        // L alone in day-of-week is Saturday
        assertEquals(Instant.parse("2024-01-06T09:00:00Z"), next("cron(0 9 ? * L *)", ZoneOffset.UTC, "2024-01-01T00:00:00Z"));
        // MON-FRI with a step in minutes: after Friday 10:50 comes Monday 09:00
        assertEquals(Instant.parse("2024-01-08T09:00:00Z"),
                next("cron(0/15 9-10 ? * MON-FRI *)", ZoneOffset.UTC, "2024-01-05T10:50:00Z"));
        assertEquals(Instant.parse("2024-01-05T10:45:00Z"),
                next("cron(0/15 9-10 ? * MON-FRI *)", ZoneOffset.UTC, "2024-01-05T10:31:00Z"));
        // 1 = SUN
        assertEquals(Instant.parse("2024-01-07T00:00:00Z"), next("cron(0 0 ? * 1 *)", ZoneOffset.UTC, "2024-01-01T00:00:00Z"));
    }

    @Test
    void nearestWeekdayAndLastWeekday() {
        // 15 June 2024 is a Saturday: 15W fires on Friday the 14th
        assertEquals(Instant.parse("2024-06-14T00:00:00Z"), next("cron(0 0 15W * ? *)", ZoneOffset.UTC, "2024-06-01T00:00:00Z"));
        // 31 March 2024 is a Sunday: LW is Friday the 29th
        assertEquals(Instant.parse("2024-03-29T00:00:00Z"), next("cron(0 0 LW * ? *)", ZoneOffset.UTC, "2024-03-01T00:00:00Z"));
        // 1W on a Saturday moves forward to Monday the 3rd, never into the previous month
        assertEquals(Instant.parse("2024-06-03T00:00:00Z"), next("cron(0 0 1W * ? *)", ZoneOffset.UTC, "2024-05-31T00:00:00Z"));
    }

    @Test
    void listsNamesRangesAndYears() {
        assertEquals(Instant.parse("2024-03-01T12:00:00Z"), next("cron(0 12 1 MAR,SEP ? *)", ZoneOffset.UTC, "2024-01-01T00:00:00Z"));
        assertEquals(Instant.parse("2024-09-01T12:00:00Z"), next("cron(0 12 1 MAR,SEP ? *)", ZoneOffset.UTC, "2024-03-01T12:00:00Z"));
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), next("cron(0 0 1 1 ? 2030)", ZoneOffset.UTC, "2024-06-01T00:00:00Z"));
        assertEquals(Optional.empty(), ScheduleExpression.parse("cron(0 0 1 1 ? 2030)", ZoneOffset.UTC, Instant.EPOCH)
                .next(Instant.parse("2030-01-01T00:00:00Z")));
        assertEquals(Instant.parse("2024-01-01T00:05:00Z"), next("cron(5,35 * * * ? *)", ZoneOffset.UTC, "2024-01-01T00:00:00Z"));
        assertEquals(Instant.parse("2024-01-01T00:01:00Z"), next("cron(* * * * ? *)", ZoneOffset.UTC, "2024-01-01T00:00:30Z"));
    }

    @Test
    void aTimeSkippedByDaylightSavingFiresAtTheShiftedInstant() {
        // 2024-03-10 02:30 does not exist in New York: 03:30 EDT = 07:30Z
        assertEquals(Instant.parse("2024-03-10T07:30:00Z"),
                next("cron(30 2 * * ? *)", ZoneId.of("America/New_York"), "2024-03-10T05:00:00Z"));
    }

    @Test
    void ratesCountFromTheAnchor() {
        Instant anchor = Instant.parse("2024-01-01T00:00:00Z");
        ScheduleExpression rate = ScheduleExpression.parse("rate(5 minutes)", ZoneOffset.UTC, anchor);
        assertEquals(Instant.parse("2024-01-01T00:05:00Z"), rate.next(anchor).orElseThrow());
        assertEquals(Instant.parse("2024-01-01T00:10:00Z"), rate.next(Instant.parse("2024-01-01T00:05:00Z")).orElseThrow());
        assertEquals(Instant.parse("2024-01-01T00:10:00Z"), rate.next(Instant.parse("2024-01-01T00:07:00Z")).orElseThrow());
        assertEquals(Instant.parse("2024-01-02T00:00:00Z"),
                ScheduleExpression.parse("rate(1 day)", ZoneOffset.UTC, anchor).next(anchor).orElseThrow());
        assertEquals(Instant.parse("2024-01-01T02:00:00Z"),
                ScheduleExpression.parse("rate(2 hours)", ZoneOffset.UTC, anchor).next(anchor).orElseThrow());
    }

    @Test
    void oneTimeSchedulesInTheirZone() {
        ScheduleExpression at = ScheduleExpression.parse("at(2030-01-01T09:00:00)", SEOUL, Instant.EPOCH);
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), at.next(Instant.parse("2029-01-01T00:00:00Z")).orElseThrow());
        assertTrue(at.next(Instant.parse("2030-01-01T00:00:00Z")).isEmpty());
    }

    @Test
    void invalidExpressionsAreRejectedWithTheReason() {
        for (String bad : new String[]{"cron(0 12 * * MON *)", "cron(0 12 ? * ? *)", "cron(0 12 * * ?)", "cron(60 12 * * ? *)",
                "cron(0 12 32 * ? *)", "cron(0 12 ? * 8 *)", "cron(0 12 ? * 2#6 *)", "cron(0 12 5-1 * ? *)",
                "rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "rate(1 week)", "every day"}) {
            assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse(bad, ZoneOffset.UTC, Instant.EPOCH), bad);
        }
    }
}
