package com.onepoint.shared.table;

import com.onepoint.shared.domain.AccountStatus;
import com.onepoint.shared.domain.PointAccount;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static com.onepoint.shared.dynamo.Items.num;
import static com.onepoint.shared.dynamo.Items.str;

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

    private PointsTable() {
    }

    public static PointAccount fromItem(Map<String, AttributeValue> item) {
        return new PointAccount(str(item, MEMBER_ID), num(item, BALANCE), AccountStatus.valueOf(str(item, STATUS)));
    }
}
