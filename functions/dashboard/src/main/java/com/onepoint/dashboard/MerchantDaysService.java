package com.onepoint.dashboard;

import com.onepoint.shared.domain.BusinessMonth;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.table.MerchantDaysTable;
import com.onepoint.shared.table.MerchantDaysTable.Counters;
import com.onepoint.shared.table.MerchantDaysTable.MerchantDay;
import com.onepoint.shared.table.MerchantsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static com.onepoint.shared.dynamo.Items.s;

/**
 * One merchant's month from the daily aggregates: totals and one entry per calendar day (days without deals are
 * zeros), from one Query of at most 31 items. Never reads deals. Eventually consistent, like the events feeding it.
 */
final class MerchantDaysService {
    /** Years 2000-9999, months 01-12, as billing spells months. */
    private static final Pattern YYYYMM = Pattern.compile("[2-9]\\d{3}(0[1-9]|1[0-2])");

    private final DynamoDbClient db;
    private final String daysTable;
    private final String merchantsTable;
    private final Clock clock;
    private final ZoneId zone;

    MerchantDaysService(DynamoDbClient db, String daysTable, String merchantsTable, Clock clock, ZoneId zone) {
        this.db = db;
        this.daysTable = daysTable;
        this.merchantsTable = merchantsTable;
        this.clock = clock;
        this.zone = zone;
    }

    /** One day, or the month's totals: the stored counters and what they net to. */
    record Figures(String day, long earnCount, long earnedPoints, long useCount, long usedPoints, long refusedCount,
                   long cancelCount, long earnCancelCount, long earnCancelledPoints, long useCancelCount,
                   long useCancelledPoints, long refundCount, long earnRefundCount, long earnRefundedPoints,
                   long useRefundCount, long useRefundedPoints, long netEarnedPoints, long netUsedPoints) {
        static Figures of(String day, Counters c) {
            return new Figures(day, c.earnCount(), c.earnedPoints(), c.useCount(), c.usedPoints(), c.refusedCount(),
                    Math.addExact(c.earnCancelCount(), c.useCancelCount()), c.earnCancelCount(), c.earnCancelledPoints(),
                    c.useCancelCount(), c.useCancelledPoints(), Math.addExact(c.earnRefundCount(), c.useRefundCount()),
                    c.earnRefundCount(), c.earnRefundedPoints(), c.useRefundCount(), c.useRefundedPoints(),
                    c.earnedPoints() - c.earnCancelledPoints() - c.earnRefundedPoints(),
                    c.usedPoints() - c.useCancelledPoints() - c.useRefundedPoints());
        }
    }

    /** The answer of GET /merchants/{merchantId}/days. {@code totals.day} is null. */
    record MerchantMonth(String merchantId, String month, String timeZone, Figures totals, List<Figures> days) {
    }

    /** 400 naming {@code month} when it is not YYYYMM; null or empty means the current month. */
    String monthOrCurrent(String month) {
        if (month == null || month.isEmpty()) {
            return BusinessMonth.of(clock.instant(), zone);
        }
        if (!YYYYMM.matcher(month).matches()) {
            throw ApiException.validation("month", "must be a month as YYYYMM, e.g. 202607");
        }
        return month;
    }

    MerchantMonth month(String merchantId, String month) {
        Map<String, AttributeValue> merchant = db.getItem(b -> b.tableName(merchantsTable)
                .key(Map.of(MerchantsTable.MERCHANT_ID, s(merchantId))).projectionExpression(MerchantsTable.MERCHANT_ID)).item();
        if (merchant == null || merchant.isEmpty()) {
            throw new ApiException(404, "MERCHANT_NOT_FOUND", "merchant " + merchantId + " does not exist",
                    Map.of("merchantId", merchantId));
        }
        YearMonth ym = BusinessMonth.parse(month);
        Map<String, Counters> stored = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = db.query(b -> b.tableName(daysTable)
                    .keyConditionExpression("#m = :m AND #d BETWEEN :first AND :last")
                    .expressionAttributeNames(Map.of("#m", MerchantDaysTable.MERCHANT_ID, "#d", MerchantDaysTable.DAY))
                    .expressionAttributeValues(Map.of(":m", s(merchantId), ":first", s(ym.atDay(1).toString()),
                            ":last", s(ym.atEndOfMonth().toString())))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                MerchantDay day = MerchantDaysTable.SCHEMA.mapToItem(item);
                stored.put(day.day(), day.counters());
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        List<Figures> days = new ArrayList<>();
        Counters total = Counters.ZERO;
        for (LocalDate d = ym.atDay(1); !d.isAfter(ym.atEndOfMonth()); d = d.plusDays(1)) {
            Counters c = stored.getOrDefault(d.toString(), Counters.ZERO);
            total = total.plus(c);
            days.add(Figures.of(d.toString(), c));
        }
        return new MerchantMonth(merchantId, month, zone.getId(), Figures.of(null, total), days);
    }
}
