package com.onepoint.shared.table;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.onepoint.shared.dynamo.Items.s;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

/**
 * Table of per-merchant daily aggregates (the manager dashboard's chart), key {@code merchantId} (HASH) + {@code day}
 * ("YYYY-MM-DD" in the business time zone, RANGE). Name from MERCHANT_DAYS_TABLE. Kept from the deal events on the
 * bus, never from the deals table: every counter is only ever changed by {@code ADD}, in the same transaction as the
 * change's {@link Applied} marker, so each change counts once. A day is the deal's own day (its occurredAt), for
 * its cancellation and its refunds too: a month's figures then net out as its settlement does. A month is one Query
 * ({@code day BETWEEN YYYY-MM-01 AND YYYY-MM-31}).
 */
public final class MerchantDaysTable {
    public static final String ENV = "MERCHANT_DAYS_TABLE";

    public static final String MERCHANT_ID = "merchantId";
    public static final String DAY = "day";
    public static final String EARN_COUNT = "earnCount";
    public static final String EARNED_POINTS = "earnedPoints";
    public static final String USE_COUNT = "useCount";
    public static final String USED_POINTS = "usedPoints";
    public static final String REFUSED_COUNT = "refusedCount";
    public static final String EARN_CANCEL_COUNT = "earnCancelCount";
    public static final String EARN_CANCELLED_POINTS = "earnCancelledPoints";
    public static final String USE_CANCEL_COUNT = "useCancelCount";
    public static final String USE_CANCELLED_POINTS = "useCancelledPoints";
    public static final String EARN_REFUND_COUNT = "earnRefundCount";
    public static final String EARN_REFUNDED_POINTS = "earnRefundedPoints";
    public static final String USE_REFUND_COUNT = "useRefundCount";
    public static final String USE_REFUNDED_POINTS = "useRefundedPoints";
    public static final String UPDATED_AT = "updatedAt";

    /** The counters, in the order of {@link Counters}; every view write ADDs all of them, zeros included. */
    public static final List<String> COUNTERS = List.of(EARN_COUNT, EARNED_POINTS, USE_COUNT, USED_POINTS, REFUSED_COUNT,
            EARN_CANCEL_COUNT, EARN_CANCELLED_POINTS, USE_CANCEL_COUNT, USE_CANCELLED_POINTS, EARN_REFUND_COUNT,
            EARN_REFUNDED_POINTS, USE_REFUND_COUNT, USE_REFUNDED_POINTS);

    private MerchantDaysTable() {
    }

    public static Map<String, AttributeValue> key(String merchantId, String day) {
        return Map.of(MERCHANT_ID, s(merchantId), DAY, s(day));
    }

    /**
     * One day's figures. Gross: earns and uses recorded as SUCCESS that day ({@code refusedCount}: deals recorded as
     * FAILED). Reversals of those deals, counted on the deal's day: cancellations (the points they reversed, i.e. what
     * refunds had left) and refunds (the points each took back).
     */
    public record Counters(long earnCount, long earnedPoints, long useCount, long usedPoints, long refusedCount,
                           long earnCancelCount, long earnCancelledPoints, long useCancelCount, long useCancelledPoints,
                           long earnRefundCount, long earnRefundedPoints, long useRefundCount, long useRefundedPoints) {
        public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        /** The values in the order of {@link #COUNTERS}. */
        public List<Long> values() {
            return List.of(earnCount, earnedPoints, useCount, usedPoints, refusedCount, earnCancelCount,
                    earnCancelledPoints, useCancelCount, useCancelledPoints, earnRefundCount, earnRefundedPoints,
                    useRefundCount, useRefundedPoints);
        }

        public Counters plus(Counters o) {
            return new Counters(Math.addExact(earnCount, o.earnCount), Math.addExact(earnedPoints, o.earnedPoints),
                    Math.addExact(useCount, o.useCount), Math.addExact(usedPoints, o.usedPoints),
                    Math.addExact(refusedCount, o.refusedCount), Math.addExact(earnCancelCount, o.earnCancelCount),
                    Math.addExact(earnCancelledPoints, o.earnCancelledPoints),
                    Math.addExact(useCancelCount, o.useCancelCount), Math.addExact(useCancelledPoints, o.useCancelledPoints),
                    Math.addExact(earnRefundCount, o.earnRefundCount), Math.addExact(earnRefundedPoints, o.earnRefundedPoints),
                    Math.addExact(useRefundCount, o.useRefundCount), Math.addExact(useRefundedPoints, o.useRefundedPoints));
        }
    }

    /** One merchant-day item as stored; counters absent on the item read as 0. */
    public record MerchantDay(String merchantId, String day, Counters counters, Instant updatedAt) {

        public static final class Builder {
            private String merchantId;
            private String day;
            private long[] c = new long[13];
            private Instant updatedAt;

            public Builder merchantId(String v) { merchantId = v; return this; }
            public Builder day(String v) { day = v; return this; }
            public Builder updatedAt(Instant v) { updatedAt = v; return this; }
            Builder counter(int i, Long v) { c[i] = v == null ? 0 : v; return this; }

            public MerchantDay build() {
                return new MerchantDay(merchantId, day, new Counters(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
                        c[8], c[9], c[10], c[11], c[12]), updatedAt);
            }
        }
    }

    public static final TableSchema<MerchantDay> SCHEMA = schema();

    private static TableSchema<MerchantDay> schema() {
        StaticImmutableTableSchema.Builder<MerchantDay, MerchantDay.Builder> b =
                StaticImmutableTableSchema.builder(MerchantDay.class, MerchantDay.Builder.class)
                        .newItemBuilder(MerchantDay.Builder::new, MerchantDay.Builder::build)
                        .addAttribute(String.class, a -> a.name(MERCHANT_ID).getter(MerchantDay::merchantId)
                                .setter(MerchantDay.Builder::merchantId).tags(primaryPartitionKey()))
                        .addAttribute(String.class, a -> a.name(DAY).getter(MerchantDay::day)
                                .setter(MerchantDay.Builder::day).tags(primarySortKey()))
                        .addAttribute(Instant.class, a -> a.name(UPDATED_AT).getter(MerchantDay::updatedAt)
                                .setter(MerchantDay.Builder::updatedAt).attributeConverter(Converters.INSTANT));
        for (int i = 0; i < COUNTERS.size(); i++) {
            int index = i;
            b.addAttribute(Long.class, a -> a.name(COUNTERS.get(index))
                    .getter(d -> d.counters().values().get(index)).setter((builder, v) -> builder.counter(index, v)));
        }
        return b.build();
    }

    /**
     * Table of applied changes, key {@code changeKey} = "&lt;dealId&gt;#RECORDED", "&lt;dealId&gt;#CANCELLED" or
     * "&lt;dealId&gt;#REFUND#&lt;refundId&gt;"; TTL on {@code expiresAt}. Name from MERCHANT_DAYS_APPLIED_TABLE. Put with
     * {@code attribute_not_exists} in the transaction that ADDs the change to its day, so a redelivered event (a
     * retry, a DLQ redrive, a second publish of the same stream record) finds it and changes nothing.
     */
    public static final class Applied {
        public static final String ENV = "MERCHANT_DAYS_APPLIED_TABLE";
        public static final String CHANGE_KEY = "changeKey";
        public static final String MERCHANT_ID = "merchantId";
        public static final String DAY = "day";
        public static final String APPLIED_AT = "appliedAt";
        /** Epoch seconds. */
        public static final String EXPIRES_AT = "expiresAt";

        private Applied() {
        }

        /** That one change of one deal was counted on {@code day} of {@code merchantId}. */
        public record Marker(String changeKey, String merchantId, String day, Instant appliedAt, Instant expiresAt) {

            public static final class Builder {
                private String changeKey;
                private String merchantId;
                private String day;
                private Instant appliedAt;
                private Instant expiresAt;

                public Builder changeKey(String v) { changeKey = v; return this; }
                public Builder merchantId(String v) { merchantId = v; return this; }
                public Builder day(String v) { day = v; return this; }
                public Builder appliedAt(Instant v) { appliedAt = v; return this; }
                public Builder expiresAt(Instant v) { expiresAt = v; return this; }

                public Marker build() {
                    return new Marker(changeKey, merchantId, day, appliedAt, expiresAt);
                }
            }
        }

        public static final TableSchema<Marker> SCHEMA = StaticImmutableTableSchema.builder(Marker.class, Marker.Builder.class)
                .newItemBuilder(Marker.Builder::new, Marker.Builder::build)
                .addAttribute(String.class, a -> a.name(CHANGE_KEY).getter(Marker::changeKey)
                        .setter(Marker.Builder::changeKey).tags(primaryPartitionKey()))
                .addAttribute(String.class, a -> a.name(MERCHANT_ID).getter(Marker::merchantId)
                        .setter(Marker.Builder::merchantId))
                .addAttribute(String.class, a -> a.name(DAY).getter(Marker::day).setter(Marker.Builder::day))
                .addAttribute(Instant.class, a -> a.name(APPLIED_AT).getter(Marker::appliedAt)
                        .setter(Marker.Builder::appliedAt).attributeConverter(Converters.INSTANT))
                .addAttribute(Instant.class, a -> a.name(EXPIRES_AT).getter(Marker::expiresAt)
                        .setter(Marker.Builder::expiresAt).attributeConverter(Converters.EPOCH_SECONDS))
                .build();
    }
}
