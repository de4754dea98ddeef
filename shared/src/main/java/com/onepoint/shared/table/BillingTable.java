package com.onepoint.shared.table;

import com.onepoint.shared.domain.Rate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.Optional;

import static com.onepoint.shared.dynamo.Items.decimal;
import static com.onepoint.shared.dynamo.Items.num;
import static com.onepoint.shared.dynamo.Items.numOrNull;
import static com.onepoint.shared.dynamo.Items.s;
import static com.onepoint.shared.dynamo.Items.str;

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
    public static final String SETTLED = "SETTLED";
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
                             long settlementAmount, Rate settlementRate, String status, String settledAt) {
    }

    public static View viewOf(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return View.EMPTY;
        }
        return new View(zeroIfAbsent(item, GROSS_USED_POINTS), zeroIfAbsent(item, GROSS_USE_COUNT),
                zeroIfAbsent(item, CANCELLED_POINTS), zeroIfAbsent(item, CANCELLED_COUNT),
                zeroIfAbsent(item, CARRIED_IN_USED_POINTS), zeroIfAbsent(item, CARRIED_IN_USE_COUNT),
                zeroIfAbsent(item, CARRIED_IN_CANCELLED_POINTS), zeroIfAbsent(item, CARRIED_IN_CANCELLED_COUNT),
                zeroIfAbsent(item, VIEW_VERSION));
    }

    /** The settlement the item holds, or empty while the month is open (or has no item). */
    public static Optional<Settlement> settlementOf(Map<String, AttributeValue> item) {
        if (item == null || !SETTLED.equals(str(item, STATUS))) {
            return Optional.empty();
        }
        return Optional.of(new Settlement(str(item, MERCHANT_ID), str(item, BILLING_MONTH), num(item, USED_POINTS),
                num(item, USE_COUNT), num(item, ADJUSTMENTS), num(item, SETTLEMENT_AMOUNT),
                Rate.of(decimal(item, SETTLEMENT_RATE)), SETTLED, str(item, SETTLED_AT)));
    }

    private static long zeroIfAbsent(Map<String, AttributeValue> item, String name) {
        Long value = numOrNull(item, name);
        return value == null ? 0 : value;
    }

    /**
     * Table of applied deal changes, key {@code changeKey} = "&lt;dealId&gt;#USE" or "&lt;dealId&gt;#CANCEL"; TTL on
     * {@code expiresAt}. Name from BILLING_APPLIED_TABLE. One item is put, on condition it does not exist yet, in the
     * same transaction as the view update that counts the change: a redelivered stream record finds its marker and
     * changes nothing. Each marker also says where the change was counted ({@code merchantId}, {@code billingMonth},
     * {@code carried}).
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
    }
}
