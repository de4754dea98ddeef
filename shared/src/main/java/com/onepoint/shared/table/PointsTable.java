package com.onepoint.shared.table;

import com.onepoint.shared.domain.AccountStatus;
import com.onepoint.shared.domain.PointAccount;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

import java.time.Instant;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;

/**
 * Table of point accounts, key {@code memberId}. {@code balance} only ever changes inside a transaction
 * whose condition keeps it ≥ 0 and the account OPEN. Name from POINTS_TABLE.
 */
public final class PointsTable {
    public static final String ENV = "POINTS_TABLE";
    public static final String MEMBER_ID = "memberId";
    public static final String BALANCE = "balance";
    public static final String STATUS = "status";
    public static final String OPENED_AT = "openedAt";
    public static final String CLOSED_AT = "closedAt";
    public static final String FORFEITED_POINTS = "forfeitedPoints";
    public static final String UPDATED_AT = "updatedAt";
    /** Starts at 1 and grows by 1 with every write, so read models can apply changes once and in order. */
    public static final String VERSION = "version";

    public static final TableSchema<PointAccount> SCHEMA =
            StaticImmutableTableSchema.builder(PointAccount.class, PointAccount.Builder.class)
                    .newItemBuilder(PointAccount::builder, PointAccount.Builder::build)
                    .addAttribute(String.class, a -> a.name(MEMBER_ID).getter(PointAccount::memberId)
                            .setter(PointAccount.Builder::memberId).tags(primaryPartitionKey()))
                    .addAttribute(Long.class, a -> a.name(BALANCE).getter(PointAccount::balance)
                            .setter(PointAccount.Builder::balance))
                    .addAttribute(AccountStatus.class, a -> a.name(STATUS).getter(PointAccount::status)
                            .setter(PointAccount.Builder::status).attributeConverter(Converters.byName(AccountStatus.class)))
                    .addAttribute(Instant.class, a -> a.name(OPENED_AT).getter(PointAccount::openedAt)
                            .setter(PointAccount.Builder::openedAt).attributeConverter(Converters.INSTANT))
                    .addAttribute(Instant.class, a -> a.name(UPDATED_AT).getter(PointAccount::updatedAt)
                            .setter(PointAccount.Builder::updatedAt).attributeConverter(Converters.INSTANT))
                    .addAttribute(Instant.class, a -> a.name(CLOSED_AT).getter(PointAccount::closedAt)
                            .setter(PointAccount.Builder::closedAt).attributeConverter(Converters.INSTANT))
                    .addAttribute(Long.class, a -> a.name(FORFEITED_POINTS).getter(PointAccount::forfeitedPoints)
                            .setter(PointAccount.Builder::forfeitedPoints))
                    .addAttribute(Long.class, a -> a.name(VERSION).getter(PointAccount::version)
                            .setter(PointAccount.Builder::version))
                    .build();

    private PointsTable() {
    }
}
