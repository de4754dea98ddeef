package com.onepoint.dashboard;

import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.MemberStatus;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.table.DashboardTable;
import com.onepoint.shared.table.DashboardTable.Balance;
import com.onepoint.shared.table.DashboardTable.Profile;
import com.onepoint.shared.table.DealsTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.onepoint.shared.dynamo.Items.s;

/**
 * Reads one member's dashboard from the read model: profile, balance and deals newest first, a page at a time.
 * Reads are eventually consistent, like the projection that feeds them: a change shows up once its stream record
 * has been projected, usually within a second.
 */
public final class DashboardService {
    /** Deals per response; the rest is reached with nextToken. */
    public static final int PAGE_SIZE = 100;

    private final DynamoDbClient db;
    private final DynamoDbTable<Profile> profiles;
    private final DynamoDbTable<Balance> balances;
    private final String table;
    private final int pageSize;

    public DashboardService(DynamoDbClient db, String table, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be ≥ 1");
        }
        this.db = db;
        DynamoDbEnhancedClient enhanced = AwsClients.enhanced(db);
        this.profiles = enhanced.table(table, DashboardTable.PROFILE_SCHEMA);
        this.balances = enhanced.table(table, DashboardTable.BALANCE_SCHEMA);
        this.table = table;
        this.pageSize = pageSize;
    }

    /**
     * One member's dashboard. {@code balance} is 0 until the point account is projected (join writes both in one
     * transaction, so that window is short); {@code nextToken} is present only when older deals remain.
     */
    public record MemberDashboard(String memberId, String name, MemberStatus status, long balance, List<Deal> deals,
                                  String nextToken) {
    }

    /** @param pageToken null for the newest deals, else the {@code nextToken} of the previous page */
    public MemberDashboard get(String memberId, String pageToken) {
        String startAfter = pageToken == null || pageToken.isEmpty() ? null : PageToken.decode(pageToken);
        Profile profile = profiles.getItem(key(memberId, DashboardTable.PROFILE));
        if (profile == null) {
            throw new ApiException(404, "MEMBER_NOT_FOUND", "member " + memberId + " does not exist",
                    Map.of("memberId", memberId));
        }
        Balance balance = balances.getItem(key(memberId, DashboardTable.BALANCE));
        List<Map<String, AttributeValue>> dealItems = newestDeals(memberId, startAfter, pageSize + 1);
        String nextToken = null;
        if (dealItems.size() > pageSize) { // one more than a page was asked for, so a token never leads to nothing
            dealItems = dealItems.subList(0, pageSize);
            nextToken = PageToken.encode(Items.str(dealItems.get(pageSize - 1), DashboardTable.SK));
        }
        List<Deal> deals = dealItems.stream().map(DealsTable.SCHEMA::mapToItem).toList();
        return new MemberDashboard(memberId, profile.name(), profile.status(),
                balance == null ? 0 : balance.balance(), deals, nextToken);
    }

    private static Key key(String memberId, String sk) {
        return Key.builder().partitionValue(memberId).sortValue(sk).build();
    }

    /**
     * Up to {@code max} DEAL# items, newest first, after {@code startAfter} when given; follows 1 MB query pages.
     * A low-level Query: the items are read with the deals' schema, whose key is not the dashboard's.
     */
    private List<Map<String, AttributeValue>> newestDeals(String memberId, String startAfter, int max) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> exclusiveStart = startAfter == null ? null
                : Map.of(DashboardTable.MEMBER_ID, s(memberId), DashboardTable.SK, s(startAfter));
        do {
            Map<String, AttributeValue> from = exclusiveStart;
            int wanted = max - out.size();
            QueryResponse page = db.query(b -> b.tableName(table)
                    .keyConditionExpression("#member = :member AND begins_with(#sk, :deal)")
                    .expressionAttributeNames(Map.of("#member", DashboardTable.MEMBER_ID, "#sk", DashboardTable.SK))
                    .expressionAttributeValues(Map.of(":member", s(memberId), ":deal", s(DashboardTable.DEAL_PREFIX)))
                    .scanIndexForward(false)
                    .limit(wanted)
                    .exclusiveStartKey(from));
            out.addAll(page.items());
            exclusiveStart = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (exclusiveStart != null && out.size() < max);
        return out;
    }
}
