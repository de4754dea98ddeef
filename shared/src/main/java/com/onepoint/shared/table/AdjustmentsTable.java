package com.onepoint.shared.table;

import com.onepoint.shared.domain.Adjustment;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

import java.time.Instant;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

/**
 * Manual adjustments, key {@code memberId} + {@code adjustmentId}: the audit reads one member's with a Query. Put in
 * the same transaction as the balance change; the stream (NEW_IMAGE, one reader: the outbox) publishes
 * PointsAdjusted. Name from ADJUSTMENTS_TABLE.
 */
public final class AdjustmentsTable {
    public static final String ENV = "ADJUSTMENTS_TABLE";
    public static final String MEMBER_ID = "memberId";
    public static final String ADJUSTMENT_ID = "adjustmentId";
    public static final String POINTS = "points";
    public static final String REASON = "reason";
    public static final String CREATED_AT = "createdAt";

    public static final TableSchema<Adjustment> SCHEMA =
            StaticImmutableTableSchema.builder(Adjustment.class, Adjustment.Builder.class)
                    .newItemBuilder(Adjustment::builder, Adjustment.Builder::build)
                    .addAttribute(String.class, a -> a.name(MEMBER_ID).getter(Adjustment::memberId)
                            .setter(Adjustment.Builder::memberId).tags(primaryPartitionKey()))
                    .addAttribute(String.class, a -> a.name(ADJUSTMENT_ID).getter(Adjustment::adjustmentId)
                            .setter(Adjustment.Builder::adjustmentId).tags(primarySortKey()))
                    .addAttribute(Long.class, a -> a.name(POINTS).getter(Adjustment::points)
                            .setter(Adjustment.Builder::points))
                    .addAttribute(String.class, a -> a.name(REASON).getter(Adjustment::reason)
                            .setter(Adjustment.Builder::reason))
                    .addAttribute(Instant.class, a -> a.name(CREATED_AT).getter(Adjustment::createdAt)
                            .setter(Adjustment.Builder::createdAt).attributeConverter(Converters.INSTANT))
                    .build();

    private AdjustmentsTable() {
    }
}
