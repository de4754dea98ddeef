package com.onepoint.dashboard;

import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.Member;
import com.onepoint.shared.domain.PointAccount;
import com.onepoint.shared.table.DashboardTable;
import com.onepoint.shared.table.DashboardTable.Balance;
import com.onepoint.shared.table.DashboardTable.Profile;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.MembersTable;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.Map;

import static com.onepoint.shared.dynamo.Items.n;
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
    private final DynamoDbTable<Profile> profiles;
    private final DynamoDbTable<Balance> balances;

    public DashboardProjection(DynamoDbClient db, String dashboardTable) {
        this.db = db;
        this.dashboardTable = dashboardTable;
        DynamoDbEnhancedClient enhanced = AwsClients.enhanced(db);
        this.profiles = enhanced.table(dashboardTable, DashboardTable.PROFILE_SCHEMA);
        this.balances = enhanced.table(dashboardTable, DashboardTable.BALANCE_SCHEMA);
    }

    /** Projects the source item as it now is (a stream record's NewImage, or an item read by the rebuild). */
    public Outcome upsert(Source source, Map<String, AttributeValue> sourceItem) {
        return switch (source) {
            case MEMBERS -> upsert(MembersTable.SCHEMA.mapToItem(sourceItem));
            case POINTS -> upsert(PointsTable.SCHEMA.mapToItem(sourceItem));
            case DEALS -> upsert(DealsTable.SCHEMA.mapToItem(sourceItem));
        };
    }

    public Outcome upsert(Member member) {
        Expression olderOrAbsent = olderOrAbsent(version(member.version(), member.memberId()));
        return putIfNewer(() -> profiles.putItem(PutItemEnhancedRequest.builder(Profile.class)
                .item(profile(member)).conditionExpression(olderOrAbsent).build()));
    }

    public Outcome upsert(PointAccount account) {
        Expression olderOrAbsent = olderOrAbsent(version(account.version(), account.memberId()));
        return putIfNewer(() -> balances.putItem(PutItemEnhancedRequest.builder(Balance.class)
                .item(balance(account)).conditionExpression(olderOrAbsent).build()));
    }

    /** A DEAL# item is the deal's own item plus a sort key, so it is put as a map (see DashboardTable.dealEntry). */
    public Outcome upsert(Deal deal) {
        long version = version(deal.version(), deal.dealId());
        return putIfNewer(() -> db.putItem(b -> b.tableName(dashboardTable).item(DashboardTable.dealEntry(deal))
                .conditionExpression(OLDER_OR_ABSENT)
                .expressionAttributeNames(VERSION_NAME)
                .expressionAttributeValues(Map.of(":version", n(version)))));
    }

    /**
     * Deletes the dashboard item of a source item that was deleted ({@code lastSourceItem} is the record's OldImage).
     * The ledger deletes nothing today; this keeps the read model true to its sources should that change.
     */
    public Outcome remove(Source source, Map<String, AttributeValue> lastSourceItem) {
        Map<String, AttributeValue> key;
        long version;
        switch (source) {
            case MEMBERS -> {
                Member member = MembersTable.SCHEMA.mapToItem(lastSourceItem);
                key = key(member.memberId(), DashboardTable.PROFILE);
                version = version(member.version(), member.memberId());
            }
            case POINTS -> {
                PointAccount account = PointsTable.SCHEMA.mapToItem(lastSourceItem);
                key = key(account.memberId(), DashboardTable.BALANCE);
                version = version(account.version(), account.memberId());
            }
            case DEALS -> {
                Deal deal = DealsTable.SCHEMA.mapToItem(lastSourceItem);
                key = key(deal.memberId(), DashboardTable.dealSortKey(deal.createdAt(), deal.dealId()));
                version = version(deal.version(), deal.dealId());
            }
            default -> throw new IllegalArgumentException("unknown source " + source);
        }
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

    /** Status and name only: the dashboard needs no phone or e-mail, so it holds none. */
    static Profile profile(Member member) {
        return Profile.of(member.memberId(), member.status(), member.name(), member.joinedAt(), member.withdrawnAt(),
                member.version());
    }

    static Balance balance(PointAccount account) {
        return Balance.of(account.memberId(), account.balance(), account.status(), account.version());
    }

    /** Versions start at 1, so 0 is a source item without one: ordering it would be a guess, so it is refused. */
    private static long version(long version, String id) {
        if (version < 1) {
            throw new IllegalArgumentException("source item " + id + " has no " + DashboardTable.VERSION);
        }
        return version;
    }

    private static Map<String, AttributeValue> key(String memberId, String sk) {
        return Map.of(DashboardTable.MEMBER_ID, s(memberId), DashboardTable.SK, s(sk));
    }

    private static Expression olderOrAbsent(long version) {
        return Expression.builder().expression(OLDER_OR_ABSENT).expressionNames(VERSION_NAME)
                .putExpressionValue(":version", n(version)).build();
    }

    private static Outcome putIfNewer(Runnable put) {
        try {
            put.run();
            return Outcome.APPLIED;
        } catch (ConditionalCheckFailedException e) {
            return Outcome.ALREADY_APPLIED;
        }
    }
}
