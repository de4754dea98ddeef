package com.onepoint.billing;

import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.BusinessMonth;
import com.onepoint.shared.http.ApiException;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.regex.Pattern;

/** Billing months as the API and the table spell them ("YYYYMM"), in the business time zone. */
final class BillingMonths {
    /** Years 2000-9999, months 01-12: a typo such as "202613" or "26-07" is a 400, not an empty settlement. */
    private static final Pattern YYYYMM = Pattern.compile("[2-9]\\d{3}(0[1-9]|1[0-2])");

    private BillingMonths() {
    }

    static ZoneId zone(Env env) {
        return ZoneId.of(env.get(BusinessMonth.ENV_TIME_ZONE, BusinessMonth.DEFAULT_ZONE.getId()));
    }

    static boolean isWellFormed(String month) {
        return month != null && YYYYMM.matcher(month).matches();
    }

    /** A well-formed month, or 400 VALIDATION_FAILED naming {@code field}. */
    static String require(String field, String month) {
        if (month == null || month.isEmpty()) {
            throw ApiException.validation(field, "is required");
        }
        if (!isWellFormed(month)) {
            throw ApiException.validation(field, "must be a month as YYYYMM, e.g. 202607");
        }
        return month;
    }

    static String of(Instant instant, ZoneId zone) {
        return BusinessMonth.of(instant, zone);
    }

    static String next(String month) {
        return BusinessMonth.format(BusinessMonth.parse(month).plusMonths(1));
    }

    static String previous(String month) {
        return BusinessMonth.format(BusinessMonth.parse(month).minusMonths(1));
    }

    /** True when {@code month} starts after the month that contains {@code now}. YYYYMM strings order as months do. */
    static boolean isAfter(String month, Instant now, ZoneId zone) {
        return month.compareTo(of(now, zone)) > 0;
    }

    static YearMonth parse(String month) {
        return BusinessMonth.parse(month);
    }
}
