package com.onepoint.shared.domain;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The month (YYYYMM) a deal belongs to: its occurredAt seen in the business time zone (Asia/Seoul by default). */
public final class BusinessMonth {
    public static final String ENV_TIME_ZONE = "BUSINESS_TIME_ZONE";
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Seoul");
    private static final DateTimeFormatter YYYYMM = DateTimeFormatter.ofPattern("yyyyMM");

    private BusinessMonth() {
    }

    /** 2026-07-31T23:59+09:00 is "202607" in Asia/Seoul, although it is still July 31st 14:59 in UTC. */
    public static String of(Instant instant, ZoneId zone) {
        return YearMonth.from(instant.atZone(zone)).format(YYYYMM);
    }

    public static YearMonth parse(String yyyymm) {
        return YearMonth.parse(yyyymm, YYYYMM);
    }

    public static String format(YearMonth month) {
        return month.format(YYYYMM);
    }
}
