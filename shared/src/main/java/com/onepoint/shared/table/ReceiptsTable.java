package com.onepoint.shared.table;

import com.onepoint.shared.domain.Receipt;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

import java.time.Instant;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

/**
 * Table of receipt numbers held by deals, key {@code merchantId} + {@code receiptId}; no stream (nothing reads its
 * changes). Name from RECEIPTS_TABLE. A table of its own rather than items in the deals table: every reader of the
 * deals table and its stream (outbox, billing view, dashboard rebuild, audit) maps each item as a deal.
 */
public final class ReceiptsTable {
    public static final String ENV = "RECEIPTS_TABLE";
    public static final String MERCHANT_ID = "merchantId";
    public static final String RECEIPT_ID = "receiptId";
    public static final String DEAL_ID = "dealId";
    public static final String CREATED_AT = "createdAt";

    public static final TableSchema<Receipt> SCHEMA = StaticImmutableTableSchema.builder(Receipt.class, Receipt.Builder.class)
            .newItemBuilder(Receipt::builder, Receipt.Builder::build)
            .addAttribute(String.class, a -> a.name(MERCHANT_ID).getter(Receipt::merchantId)
                    .setter(Receipt.Builder::merchantId).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(RECEIPT_ID).getter(Receipt::receiptId)
                    .setter(Receipt.Builder::receiptId).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(DEAL_ID).getter(Receipt::dealId).setter(Receipt.Builder::dealId))
            .addAttribute(Instant.class, a -> a.name(CREATED_AT).getter(Receipt::createdAt)
                    .setter(Receipt.Builder::createdAt).attributeConverter(Converters.INSTANT))
            .build();

    private ReceiptsTable() {
    }
}
