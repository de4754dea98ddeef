package com.onepoint.dashboard;

import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.Member;
import com.onepoint.shared.domain.PointAccount;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.table.DashboardTable;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.MembersTable;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.HashMap;
import java.util.Map;

import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.putIfPresent;
import static com.onepoint.shared.dynamo.Items.s;

/**
 * Turns one source item (a member, a point account or a deal, as its table stores it) into its dashboard item and
 * writes it on condition that the dashboard holds an older version of it, or none. A stream record delivered twice,
 * late or out of order, and a rebuild running beside the stream, therefore change nothing that is newer.
 * Used by the stream projector and by the rebuild alike, so both produce the same items.
 */
public final class DashboardProjection {
    /** The source tables; each dashboard item copies exactly one item of one of them. */
    public enum Source { MEMBERS, POINTS, DEALS }

    /** What a write did: changed the dashboard, or found that item at the same or a newer version already. */
    public enum Outcome { APPLIED, ALREADY_APPLIED }

    private static final String OLDER_OR_ABSENT = "attribute_not_exists(#version) OR #version < :version";
    private static final String NOT_NEWER_OR_ABSENT = "attribute_not_exists(#version) OR #version <= :version";
    private static final Map<String, String> VERSION_NAME = Map.of("#version", DashboardTable.VERSION);

    private final DynamoDbClient db;
    private final String dashboardTable;

    public DashboardProjection(DynamoDbClient db, String dashboardTable) {
        this.db = db;
        this.dashboardTable = dashboardTable;
    }

    /** Projects the source item as it now is (a stream record's NewImage, or an item read by the rebuild). */
    public Outcome upsert(Source source, Map<String, AttributeValue> sourceItem) {
        long version = Items.num(sourceItem, DashboardTable.VERSION);
        Map<String, AttributeValue> item = switch (source) {
            case MEMBERS -> profile(sourceItem);
            case POINTS -> balance(sourceItem);
            case DEALS -> deal(sourceItem);
        };
        item.put(DashboardTable.VERSION, n(version));
        try {
            db.putItem(b -> b.tableName(dashboardTable).item(item)
                    .conditionExpression(OLDER_OR_ABSENT)
                    .expressionAttributeNames(VERSION_NAME)
                    .expressionAttributeValues(Map.of(":version", n(version))));
            return Outcome.APPLIED;
        } catch (ConditionalCheckFailedException e) {
            return Outcome.ALREADY_APPLIED;
        }
    }

    /**
     * Deletes the dashboard item of a source item that was deleted ({@code lastSourceItem} is the record's OldImage).
     * The ledger deletes nothing today; this keeps the read model true to its sources should that change.
     */
    public Outcome remove(Source source, Map<String, AttributeValue> lastSourceItem) {
        long version = Items.num(lastSourceItem, DashboardTable.VERSION);
        Map<String, AttributeValue> key = key(source, lastSourceItem);
        try {
            db.deleteItem(b -> b.tableName(dashboardTable).key(key)
                    .conditionExpression(NOT_NEWER_OR_ABSENT)
                    .expressionAttributeNames(VERSION_NAME)
                    .expressionAttributeValues(Map.of(":version", n(version))));
            return Outcome.APPLIED;
        } catch (ConditionalCheckFailedException e) {
            return Outcome.ALREADY_APPLIED;
        }
    }

    private static Map<String, AttributeValue> key(Source source, Map<String, AttributeValue> sourceItem) {
        Map<String, AttributeValue> item = switch (source) {
            case MEMBERS -> profile(sourceItem);
            case POINTS -> balance(sourceItem);
            case DEALS -> deal(sourceItem);
        };
        return Map.of(DashboardTable.MEMBER_ID, item.get(DashboardTable.MEMBER_ID), DashboardTable.SK, item.get(DashboardTable.SK));
    }

    /** Status and name only: the dashboard needs no phone or e-mail, so it holds none. */
    static Map<String, AttributeValue> profile(Map<String, AttributeValue> memberItem) {
        Member member = MembersTable.fromItem(memberItem);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(DashboardTable.MEMBER_ID, s(member.memberId()));
        item.put(DashboardTable.SK, s(DashboardTable.PROFILE));
        item.put(DashboardTable.STATUS, s(member.status().name()));
        putIfPresent(item, DashboardTable.NAME, member.name());
        putIfPresent(item, DashboardTable.JOINED_AT, member.joinedAt());
        putIfPresent(item, DashboardTable.WITHDRAWN_AT, member.withdrawnAt());
        return item;
    }

    static Map<String, AttributeValue> balance(Map<String, AttributeValue> accountItem) {
        PointAccount account = PointsTable.fromItem(accountItem);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(DashboardTable.MEMBER_ID, s(account.memberId()));
        item.put(DashboardTable.SK, s(DashboardTable.BALANCE));
        item.put(DashboardTable.BALANCE_POINTS, n(account.balance()));
        item.put(DashboardTable.ACCOUNT_STATUS, s(account.status().name()));
        return item;
    }

    /** The deal in the deals table's own attributes (read back with DealsTable.fromItem), keyed for newest-first. */
    static Map<String, AttributeValue> deal(Map<String, AttributeValue> dealItem) {
        Deal deal = DealsTable.fromItem(dealItem);
        Map<String, AttributeValue> item = new HashMap<>(DealsTable.toItem(deal));
        item.put(DashboardTable.SK, s(DashboardTable.dealSortKey(deal.createdAt(), deal.dealId())));
        return item;
    }
}
