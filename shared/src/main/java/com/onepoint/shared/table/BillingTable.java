package com.onepoint.shared.table;

import com.onepoint.shared.domain.Rate;
import com.onepoint.shared.domain.SettlementStatus;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static com.onepoint.shared.dynamo.Items.s;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

/**
 * Table of billing months, key {@code merchantId} (HASH) + {@code billingMonth} ("YYYYMM", RANGE); stream
 * NEW_AND_OLD_IMAGES. Name from BILLING_TABLE.
 *
 * <p>One item per merchant-month holds two parts:
 * <ul>
 *   <li>the billing VIEW, projected from the deals stream and only ever changed by {@code ADD}:
 *       {@code grossUsedPoints/grossUseCount} (successful uses whose own month this is),
 *       {@code cancelledPoints/cancelledCount} (cancellations of those uses, netted while the month is open),
 *       {@code carriedIn*} (uses and cancellations whose own month was already settled, carried here as adjustments),
 *       and {@code viewVersion}, +1 per projector write, which a settlement conditions on;</li>
 *   <li>once settled, the SETTLEMENT: {@code status = SETTLED}, {@code usedPoints}, {@code useCount},
 *       {@code adjustments}, {@code settlementRate}, {@code settlementAmount}, {@code settledAt}. Every writer
 *       conditions on {@code attribute_not_exists(status)}, so a settled item never changes again: the view freezes
 *       with it and later changes of that month go to the next open month's {@code carriedIn*}.</li>
 * </ul>
 * Index {@value #BY_MONTH_INDEX} ({@code billingMonth} HASH, {@code merchantId} RANGE, projecting {@code status})
 * lists the merchants of one month without touching deals: the monthly run reads one index entry per merchant.
 * {@link #SCHEMA} maps the whole item as a {@link MerchantMonth}.
 */
public final class BillingTable {
    public static final String ENV = "BILLING_TABLE";
    public static final String BY_MONTH_INDEX = "byBillingMonth";

    public static final String MERCHANT_ID = "merchantId";
    public static final String BILLING_MONTH = "billingMonth";

    // view, projected from the deals stream
    public static final String GROSS_USED_POINTS = "grossUsedPoints";
    public static final String GROSS_USE_COUNT = "grossUseCount";
    public static final String CANCELLED_POINTS = "cancelledPoints";
    public static final String CANCELLED_COUNT = "cancelledCount";
    public static final String CARRIED_IN_USED_POINTS = "carriedInUsedPoints";
    public static final String CARRIED_IN_USE_COUNT = "carriedInUseCount";
    public static final String CARRIED_IN_CANCELLED_POINTS = "carriedInCancelledPoints";
    public static final String CARRIED_IN_CANCELLED_COUNT = "carriedInCancelledCount";
    public static final String VIEW_VERSION = "viewVersion";
    public static final String UPDATED_AT = "updatedAt";

    // settlement, written once
    public static final String STATUS = "status";
    public static final String USED_POINTS = "usedPoints";
    public static final String USE_COUNT = "useCount";
    public static final String ADJUSTMENTS = "adjustments";
    public static final String SETTLEMENT_RATE = "settlementRate";
    public static final String SETTLEMENT_AMOUNT = "settlementAmount";
    public static final String SETTLED_AT = "settledAt";

    private BillingTable() {
    }

    public static Map<String, AttributeValue> key(String merchantId, String billingMonth) {
        return Map.of(MERCHANT_ID, s(merchantId), BILLING_MONTH, s(billingMonth));
    }

    /** The view of one merchant-month as the projector left it; all zero for a month without an item. */
    public record View(long grossUsedPoints, long grossUseCount, long cancelledPoints, long cancelledCount,
                       long carriedInUsedPoints, long carriedInUseCount, long carriedInCancelledPoints,
                       long carriedInCancelledCount, long viewVersion) {
        public static final View EMPTY = new View(0, 0, 0, 0, 0, 0, 0, 0, 0);

        /** Points of this month's successful uses minus those of them cancelled while the month was open. */
        public long usedPoints() {
            return Math.subtractExact(grossUsedPoints, cancelledPoints);
        }

        public long useCount() {
            return Math.subtractExact(grossUseCount, cancelledCount);
        }

        /** Net points carried in from already settled months: late uses minus late cancellations. */
        public long adjustments() {
            return Math.subtractExact(carriedInUsedPoints, carriedInCancelledPoints);
        }
    }

    /** An immutable settlement, in the field order of the API body. */
    public record Settlement(String merchantId, String billingMonth, long usedPoints, long useCount, long adjustments,
                             long settlementAmount, Rate settlementRate, SettlementStatus status, Instant settledAt) {
    }

    /**
     * One merchant-month item, view and settlement together, as stored. The view counters are absent (0) until the
     * projector first writes the month; the settlement attributes are null until it is settled.
     */
    public record MerchantMonth(String merchantId, String billingMonth, View view, Instant updatedAt,
                                SettlementStatus status, Long usedPoints, Long useCount, Long adjustments,
                                Rate settlementRate, Long settlementAmount, Instant settledAt) {

        /** The settlement this item holds, or empty while the month is open. */
        public Optional<Settlement> settlement() {
            if (status != SettlementStatus.SETTLED) {
                return Optional.empty();
            }
            return Optional.of(new Settlement(merchantId, billingMonth, usedPoints, useCount, adjustments,
                    settlementAmount, settlementRate, status, settledAt));
        }

        public static final class Builder {
            private String merchantId;
            private String billingMonth;
            private long grossUsedPoints;
            private long grossUseCount;
            private long cancelledPoints;
            private long cancelledCount;
            private long carriedInUsedPoints;
            private long carriedInUseCount;
            private long carriedInCancelledPoints;
            private long carriedInCancelledCount;
            private long viewVersion;
            private Instant updatedAt;
            private SettlementStatus status;
            private Long usedPoints;
            private Long useCount;
            private Long adjustments;
            private Rate settlementRate;
            private Long settlementAmount;
            private Instant settledAt;

            public Builder merchantId(String v) { merchantId = v; return this; }
            public Builder billingMonth(String v) { billingMonth = v; return this; }
            public Builder grossUsedPoints(long v) { grossUsedPoints = v; return this; }
            public Builder grossUseCount(long v) { grossUseCount = v; return this; }
            public Builder cancelledPoints(long v) { cancelledPoints = v; return this; }
            public Builder cancelledCount(long v) { cancelledCount = v; return this; }
            public Builder carriedInUsedPoints(long v) { carriedInUsedPoints = v; return this; }
            public Builder carriedInUseCount(long v) { carriedInUseCount = v; return this; }
            public Builder carriedInCancelledPoints(long v) { carriedInCancelledPoints = v; return this; }
            public Builder carriedInCancelledCount(long v) { carriedInCancelledCount = v; return this; }
            public Builder viewVersion(long v) { viewVersion = v; return this; }
            public Builder updatedAt(Instant v) { updatedAt = v; return this; }
            public Builder status(SettlementStatus v) { status = v; return this; }
            public Builder usedPoints(Long v) { usedPoints = v; return this; }
            public Builder useCount(Long v) { useCount = v; return this; }
            public Builder adjustments(Long v) { adjustments = v; return this; }
            public Builder settlementRate(Rate v) { settlementRate = v; return this; }
            public Builder settlementAmount(Long v) { settlementAmount = v; return this; }
            public Builder settledAt(Instant v) { settledAt = v; return this; }

            public MerchantMonth build() {
                return new MerchantMonth(merchantId, billingMonth, new View(grossUsedPoints, grossUseCount,
                        cancelledPoints, cancelledCount, carriedInUsedPoints, carriedInUseCount,
                        carriedInCancelledPoints, carriedInCancelledCount, viewVersion), updatedAt, status, usedPoints,
                        useCount, adjustments, settlementRate, settlementAmount, settledAt);
            }
        }
    }

    public static final TableSchema<MerchantMonth> SCHEMA =
            StaticImmutableTableSchema.builder(MerchantMonth.class, MerchantMonth.Builder.class)
                    .newItemBuilder(MerchantMonth.Builder::new, MerchantMonth.Builder::build)
                    .addAttribute(String.class, a -> a.name(MERCHANT_ID).getter(MerchantMonth::merchantId)
                            .setter(MerchantMonth.Builder::merchantId)
                            .tags(primaryPartitionKey(), secondarySortKey(BY_MONTH_INDEX)))
                    .addAttribute(String.class, a -> a.name(BILLING_MONTH).getter(MerchantMonth::billingMonth)
                            .setter(MerchantMonth.Builder::billingMonth)
                            .tags(primarySortKey(), secondaryPartitionKey(BY_MONTH_INDEX)))
                    .addAttribute(Long.class, a -> a.name(GROSS_USED_POINTS).getter(m -> m.view().grossUsedPoints())
                            .setter(MerchantMonth.Builder::grossUsedPoints))
                    .addAttribute(Long.class, a -> a.name(GROSS_USE_COUNT).getter(m -> m.view().grossUseCount())
                            .setter(MerchantMonth.Builder::grossUseCount))
                    .addAttribute(Long.class, a -> a.name(CANCELLED_POINTS).getter(m -> m.view().cancelledPoints())
                            .setter(MerchantMonth.Builder::cancelledPoints))
                    .addAttribute(Long.class, a -> a.name(CANCELLED_COUNT).getter(m -> m.view().cancelledCount())
                            .setter(MerchantMonth.Builder::cancelledCount))
                    .addAttribute(Long.class, a -> a.name(CARRIED_IN_USED_POINTS)
                            .getter(m -> m.view().carriedInUsedPoints()).setter(MerchantMonth.Builder::carriedInUsedPoints))
                    .addAttribute(Long.class, a -> a.name(CARRIED_IN_USE_COUNT)
                            .getter(m -> m.view().carriedInUseCount()).setter(MerchantMonth.Builder::carriedInUseCount))
                    .addAttribute(Long.class, a -> a.name(CARRIED_IN_CANCELLED_POINTS)
                            .getter(m -> m.view().carriedInCancelledPoints())
                            .setter(MerchantMonth.Builder::carriedInCancelledPoints))
                    .addAttribute(Long.class, a -> a.name(CARRIED_IN_CANCELLED_COUNT)
                            .getter(m -> m.view().carriedInCancelledCount())
                            .setter(MerchantMonth.Builder::carriedInCancelledCount))
                    .addAttribute(Long.class, a -> a.name(VIEW_VERSION).getter(m -> m.view().viewVersion())
                            .setter(MerchantMonth.Builder::viewVersion))
                    .addAttribute(Instant.class, a -> a.name(UPDATED_AT).getter(MerchantMonth::updatedAt)
                            .setter(MerchantMonth.Builder::updatedAt).attributeConverter(Converters.INSTANT))
                    .addAttribute(SettlementStatus.class, a -> a.name(STATUS).getter(MerchantMonth::status)
                            .setter(MerchantMonth.Builder::status)
                            .attributeConverter(Converters.byName(SettlementStatus.class)))
                    .addAttribute(Long.class, a -> a.name(USED_POINTS).getter(MerchantMonth::usedPoints)
                            .setter(MerchantMonth.Builder::usedPoints))
                    .addAttribute(Long.class, a -> a.name(USE_COUNT).getter(MerchantMonth::useCount)
                            .setter(MerchantMonth.Builder::useCount))
                    .addAttribute(Long.class, a -> a.name(ADJUSTMENTS).getter(MerchantMonth::adjustments)
                            .setter(MerchantMonth.Builder::adjustments))
                    .addAttribute(Rate.class, a -> a.name(SETTLEMENT_RATE).getter(MerchantMonth::settlementRate)
                            .setter(MerchantMonth.Builder::settlementRate).attributeConverter(Converters.RATE))
                    .addAttribute(Long.class, a -> a.name(SETTLEMENT_AMOUNT).getter(MerchantMonth::settlementAmount)
                            .setter(MerchantMonth.Builder::settlementAmount))
                    .addAttribute(Instant.class, a -> a.name(SETTLED_AT).getter(MerchantMonth::settledAt)
                            .setter(MerchantMonth.Builder::settledAt).attributeConverter(Converters.INSTANT))
                    .build();

    /** The view an item holds; all zero for a month without an item. */
    public static View viewOf(Map<String, AttributeValue> item) {
        return item == null || item.isEmpty() ? View.EMPTY : SCHEMA.mapToItem(item).view();
    }

    /** The settlement the item holds, or empty while the month is open (or has no item). */
    public static Optional<Settlement> settlementOf(Map<String, AttributeValue> item) {
        return item == null || item.isEmpty() ? Optional.empty() : SCHEMA.mapToItem(item).settlement();
    }

    /**
     * Table of applied deal changes, key {@code changeKey} = "&lt;dealId&gt;#USE" or "&lt;dealId&gt;#CANCEL"; TTL on
     * {@code expiresAt}. Name from BILLING_APPLIED_TABLE. One {@link Marker} is put, on condition it does not exist yet,
     * in the same transaction as the view update that counts the change: a redelivered stream record finds its marker
     * and changes nothing. Each marker also says where the change was counted ({@code merchantId},
     * {@code billingMonth}, {@code carried}).
     */
    public static final class AppliedChanges {
        public static final String ENV = "BILLING_APPLIED_TABLE";
        public static final String CHANGE_KEY = "changeKey";
        public static final String DEAL_ID = "dealId";
        public static final String CHANGE = "change";
        public static final String MERCHANT_ID = "merchantId";
        public static final String BILLING_MONTH = "billingMonth";
        public static final String CARRIED = "carried";
        public static final String POINTS = "points";
        public static final String SEQUENCE_NUMBER = "sequenceNumber";
        public static final String APPLIED_AT = "appliedAt";
        /** Epoch seconds; far beyond the 24 h a stream keeps records, so every redelivery still finds its marker. */
        public static final String EXPIRES_AT = "expiresAt";

        private AppliedChanges() {
        }

        public static String changeKey(String dealId, String change) {
            return dealId + "#" + change;
        }

        /** The record that one change ({@code change}: USE or CANCEL) of one deal was counted, and where. */
        public record Marker(String changeKey, String dealId, String change, String merchantId, String billingMonth,
                             boolean carried, long points, String sequenceNumber, Instant appliedAt,
                             Instant expiresAt) {

            public static final class Builder {
                private String changeKey;
                private String dealId;
                private String change;
                private String merchantId;
                private String billingMonth;
                private boolean carried;
                private long points;
                private String sequenceNumber;
                private Instant appliedAt;
                private Instant expiresAt;

                public Builder changeKey(String v) { changeKey = v; return this; }
                public Builder dealId(String v) { dealId = v; return this; }
                public Builder change(String v) { change = v; return this; }
                public Builder merchantId(String v) { merchantId = v; return this; }
                public Builder billingMonth(String v) { billingMonth = v; return this; }
                public Builder carried(boolean v) { carried = v; return this; }
                public Builder points(long v) { points = v; return this; }
                public Builder sequenceNumber(String v) { sequenceNumber = v; return this; }
                public Builder appliedAt(Instant v) { appliedAt = v; return this; }
                public Builder expiresAt(Instant v) { expiresAt = v; return this; }

                public Marker build() {
                    return new Marker(changeKey, dealId, change, merchantId, billingMonth, carried, points,
                            sequenceNumber, appliedAt, expiresAt);
                }
            }
        }

        public static final TableSchema<Marker> SCHEMA = StaticImmutableTableSchema.builder(Marker.class, Marker.Builder.class)
                .newItemBuilder(Marker.Builder::new, Marker.Builder::build)
                .addAttribute(String.class, a -> a.name(CHANGE_KEY).getter(Marker::changeKey)
                        .setter(Marker.Builder::changeKey).tags(primaryPartitionKey()))
                .addAttribute(String.class, a -> a.name(DEAL_ID).getter(Marker::dealId).setter(Marker.Builder::dealId))
                .addAttribute(String.class, a -> a.name(CHANGE).getter(Marker::change).setter(Marker.Builder::change))
                .addAttribute(String.class, a -> a.name(MERCHANT_ID).getter(Marker::merchantId)
                        .setter(Marker.Builder::merchantId))
                .addAttribute(String.class, a -> a.name(BILLING_MONTH).getter(Marker::billingMonth)
                        .setter(Marker.Builder::billingMonth))
                .addAttribute(Boolean.class, a -> a.name(CARRIED).getter(Marker::carried).setter(Marker.Builder::carried))
                .addAttribute(Long.class, a -> a.name(POINTS).getter(Marker::points).setter(Marker.Builder::points))
                .addAttribute(String.class, a -> a.name(SEQUENCE_NUMBER).getter(Marker::sequenceNumber)
                        .setter(Marker.Builder::sequenceNumber))
                .addAttribute(Instant.class, a -> a.name(APPLIED_AT).getter(Marker::appliedAt)
                        .setter(Marker.Builder::appliedAt).attributeConverter(Converters.INSTANT))
                .addAttribute(Instant.class, a -> a.name(EXPIRES_AT).getter(Marker::expiresAt)
                        .setter(Marker.Builder::expiresAt).attributeConverter(Converters.EPOCH_SECONDS))
                .build();
    }
}
