package com.onepoint.shared.table;

import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.Refund;
import com.onepoint.shared.domain.Restoration;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

import java.time.Instant;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;

/**
 * Table of partial refunds, key {@code refundId}; no stream: the refund's transaction also updates its deal, and the
 * deals stream publishes DealRefunded from that change. A use refund's {@code restoration} moves PENDING → DONE as the
 * condition of the restorer's credit, so each refund is restored once. Name from REFUNDS_TABLE.
 */
public final class RefundsTable {
    public static final String ENV = "REFUNDS_TABLE";
    public static final String REFUND_ID = "refundId";
    public static final String DEAL_ID = "dealId";
    public static final String MEMBER_ID = "memberId";
    public static final String MERCHANT_ID = "merchantId";
    public static final String TYPE = "type";
    public static final String AMOUNT = "amount";
    public static final String POINTS = "points";
    public static final String CREATED_AT = "createdAt";
    public static final String RESTORATION = "restoration";
    public static final String RESTORED_AT = "restoredAt";

    public static final TableSchema<Refund> SCHEMA = StaticImmutableTableSchema.builder(Refund.class, Refund.Builder.class)
            .newItemBuilder(Refund::builder, Refund.Builder::build)
            .addAttribute(String.class, a -> a.name(REFUND_ID).getter(Refund::refundId).setter(Refund.Builder::refundId)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(DEAL_ID).getter(Refund::dealId).setter(Refund.Builder::dealId))
            .addAttribute(String.class, a -> a.name(MEMBER_ID).getter(Refund::memberId).setter(Refund.Builder::memberId))
            .addAttribute(String.class, a -> a.name(MERCHANT_ID).getter(Refund::merchantId).setter(Refund.Builder::merchantId))
            .addAttribute(DealType.class, a -> a.name(TYPE).getter(Refund::type).setter(Refund.Builder::type)
                    .attributeConverter(Converters.DEAL_TYPE))
            .addAttribute(Long.class, a -> a.name(AMOUNT).getter(Refund::amount).setter(Refund.Builder::amount))
            .addAttribute(Long.class, a -> a.name(POINTS).getter(Refund::points).setter(Refund.Builder::points))
            .addAttribute(Instant.class, a -> a.name(CREATED_AT).getter(Refund::createdAt).setter(Refund.Builder::createdAt)
                    .attributeConverter(Converters.INSTANT))
            .addAttribute(Restoration.class, a -> a.name(RESTORATION).getter(Refund::restoration)
                    .setter(Refund.Builder::restoration).attributeConverter(Converters.byName(Restoration.class)))
            .addAttribute(Instant.class, a -> a.name(RESTORED_AT).getter(Refund::restoredAt)
                    .setter(Refund.Builder::restoredAt).attributeConverter(Converters.INSTANT))
            .build();

    private RefundsTable() {
    }
}
