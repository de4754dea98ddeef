package com.onepoint.shared.table;

import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.FailureReason;
import com.onepoint.shared.domain.Restoration;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

import java.time.Instant;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;

/** Table of deals, key {@code dealId}; stream NEW_AND_OLD_IMAGES. Name from DEALS_TABLE. */
public final class DealsTable {
    public static final String ENV = "DEALS_TABLE";
    public static final String DEAL_ID = "dealId";
    public static final String MEMBER_ID = "memberId";
    public static final String MERCHANT_ID = "merchantId";
    public static final String TYPE = "type";
    public static final String AMOUNT = "amount";
    public static final String POINTS = "points";
    public static final String STATUS = "status";
    public static final String FAILURE_REASON = "failureReason";
    public static final String OCCURRED_AT = "occurredAt";
    public static final String CREATED_AT = "createdAt";
    public static final String CANCELLED_AT = "cancelledAt";
    public static final String RESTORATION = "restoration";
    public static final String RESTORED_AT = "restoredAt";
    /** Starts at 1 and grows by 1 with every write, so read models can apply changes once and in order. */
    public static final String VERSION = "version";
    /** The POS's receipt number; the receipts table says which deal holds it (a FAILED deal records it only). */
    public static final String RECEIPT_ID = "receiptId";
    /** Earn: the amount refunded so far. Absent on deals written before refunds existed: read as 0. */
    public static final String REFUNDED_AMOUNT = "refundedAmount";
    /** Earn: the points refunds deducted so far; use: the points refunded so far. Absent = 0. */
    public static final String REFUNDED_POINTS = "refundedPoints";
    /** Use: the points the restorer credited back so far (refunds and cancellation), in the credit's transaction. */
    public static final String RESTORED_POINTS = "restoredPoints";
    /** The refund the latest refund write made: the deals stream's DealRefunded names it. */
    public static final String LAST_REFUND_ID = "lastRefundId";

    /** A deal item; the dashboard's DEAL# items carry the same attributes, so they are read with it too. */
    public static final TableSchema<Deal> SCHEMA = StaticImmutableTableSchema.builder(Deal.class, Deal.Builder.class)
            .newItemBuilder(Deal::builder, Deal.Builder::build)
            .addAttribute(String.class, a -> a.name(DEAL_ID).getter(Deal::dealId).setter(Deal.Builder::dealId)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(MEMBER_ID).getter(Deal::memberId).setter(Deal.Builder::memberId))
            .addAttribute(String.class, a -> a.name(MERCHANT_ID).getter(Deal::merchantId).setter(Deal.Builder::merchantId))
            .addAttribute(DealType.class, a -> a.name(TYPE).getter(Deal::type).setter(Deal.Builder::type)
                    .attributeConverter(Converters.DEAL_TYPE))
            .addAttribute(Long.class, a -> a.name(AMOUNT).getter(Deal::amount).setter(Deal.Builder::amount))
            .addAttribute(Long.class, a -> a.name(POINTS).getter(Deal::points).setter(Deal.Builder::points))
            .addAttribute(DealStatus.class, a -> a.name(STATUS).getter(Deal::status).setter(Deal.Builder::status)
                    .attributeConverter(Converters.byName(DealStatus.class)))
            .addAttribute(FailureReason.class, a -> a.name(FAILURE_REASON).getter(Deal::failureReason)
                    .setter(Deal.Builder::failureReason).attributeConverter(Converters.byName(FailureReason.class)))
            .addAttribute(Instant.class, a -> a.name(OCCURRED_AT).getter(Deal::occurredAt).setter(Deal.Builder::occurredAt)
                    .attributeConverter(Converters.INSTANT))
            .addAttribute(Instant.class, a -> a.name(CREATED_AT).getter(Deal::createdAt).setter(Deal.Builder::createdAt)
                    .attributeConverter(Converters.INSTANT))
            .addAttribute(Instant.class, a -> a.name(CANCELLED_AT).getter(Deal::cancelledAt)
                    .setter(Deal.Builder::cancelledAt).attributeConverter(Converters.INSTANT))
            .addAttribute(Restoration.class, a -> a.name(RESTORATION).getter(Deal::restoration)
                    .setter(Deal.Builder::restoration).attributeConverter(Converters.byName(Restoration.class)))
            .addAttribute(Instant.class, a -> a.name(RESTORED_AT).getter(Deal::restoredAt).setter(Deal.Builder::restoredAt)
                    .attributeConverter(Converters.INSTANT))
            .addAttribute(Long.class, a -> a.name(VERSION).getter(Deal::version).setter(Deal.Builder::version))
            .addAttribute(String.class, a -> a.name(RECEIPT_ID).getter(Deal::receiptId).setter(Deal.Builder::receiptId))
            .addAttribute(Long.class, a -> a.name(REFUNDED_AMOUNT).getter(Deal::refundedAmount)
                    .setter(Deal.Builder::refundedAmount))
            .addAttribute(Long.class, a -> a.name(REFUNDED_POINTS).getter(Deal::refundedPoints)
                    .setter(Deal.Builder::refundedPoints))
            .addAttribute(Long.class, a -> a.name(RESTORED_POINTS).getter(Deal::restoredPoints)
                    .setter(Deal.Builder::restoredPoints))
            .addAttribute(String.class, a -> a.name(LAST_REFUND_ID).getter(Deal::lastRefundId)
                    .setter(Deal.Builder::lastRefundId))
            .build();

    private DealsTable() {
    }
}
