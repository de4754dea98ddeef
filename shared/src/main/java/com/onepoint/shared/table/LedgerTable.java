package com.onepoint.shared.table;

import com.onepoint.shared.domain.LedgerEntry;
import com.onepoint.shared.domain.MovementKind;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

import java.time.Instant;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

/**
 * The statement (a read model of the points stream): key {@code memberId} + {@code version} (N), the point account's
 * version that the movement made, so a Query with ScanIndexForward=false lists a member's movements newest first.
 * Name from LEDGER_TABLE.
 */
public final class LedgerTable {
    public static final String ENV = "LEDGER_TABLE";
    public static final String MEMBER_ID = "memberId";
    public static final String VERSION = "version";
    public static final String KIND = "kind";
    public static final String POINTS = "points";
    public static final String BALANCE_AFTER = "balanceAfter";
    public static final String DEAL_ID = "dealId";
    public static final String REFUND_ID = "refundId";
    public static final String ADJUSTMENT_ID = "adjustmentId";
    public static final String AT = "at";

    public static final TableSchema<LedgerEntry> SCHEMA =
            StaticImmutableTableSchema.builder(LedgerEntry.class, LedgerEntry.Builder.class)
                    .newItemBuilder(LedgerEntry::builder, LedgerEntry.Builder::build)
                    .addAttribute(String.class, a -> a.name(MEMBER_ID).getter(LedgerEntry::memberId)
                            .setter(LedgerEntry.Builder::memberId).tags(primaryPartitionKey()))
                    .addAttribute(Long.class, a -> a.name(VERSION).getter(LedgerEntry::version)
                            .setter(LedgerEntry.Builder::version).tags(primarySortKey()))
                    .addAttribute(MovementKind.class, a -> a.name(KIND).getter(LedgerEntry::kind)
                            .setter(LedgerEntry.Builder::kind).attributeConverter(Converters.byName(MovementKind.class)))
                    .addAttribute(Long.class, a -> a.name(POINTS).getter(LedgerEntry::points)
                            .setter(LedgerEntry.Builder::points))
                    .addAttribute(Long.class, a -> a.name(BALANCE_AFTER).getter(LedgerEntry::balanceAfter)
                            .setter(LedgerEntry.Builder::balanceAfter))
                    .addAttribute(String.class, a -> a.name(DEAL_ID).getter(LedgerEntry::dealId)
                            .setter(LedgerEntry.Builder::dealId))
                    .addAttribute(String.class, a -> a.name(REFUND_ID).getter(LedgerEntry::refundId)
                            .setter(LedgerEntry.Builder::refundId))
                    .addAttribute(String.class, a -> a.name(ADJUSTMENT_ID).getter(LedgerEntry::adjustmentId)
                            .setter(LedgerEntry.Builder::adjustmentId))
                    .addAttribute(Instant.class, a -> a.name(AT).getter(LedgerEntry::at)
                            .setter(LedgerEntry.Builder::at).attributeConverter(Converters.INSTANT))
                    .build();

    private LedgerTable() {
    }
}
