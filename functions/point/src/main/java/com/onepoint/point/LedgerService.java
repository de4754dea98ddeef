package com.onepoint.point;

import com.onepoint.shared.domain.LedgerEntry;
import com.onepoint.shared.domain.PointAccount;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.table.LedgerTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.s;

/**
 * A member's statement, newest first, a page at a time. The balance is the account's (read consistently); the
 * entries come from the ledger projection and so follow it within about a second.
 */
public final class LedgerService {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;
    static final String NEXT_TOKEN = "nextToken";
    private static final String TOKEN_PREFIX = "v";

    private final DynamoDbClient db;
    private final String ledgerTable;
    private final Accounts accounts;

    LedgerService(DynamoDbClient db, String ledgerTable, Accounts accounts) {
        this.db = db;
        this.ledgerTable = ledgerTable;
        this.accounts = accounts;
    }

    /** {@code nextToken} only when older entries remain. */
    public record Statement(String memberId, long balance, List<LedgerEntry> entries, String nextToken) {
    }

    public Statement statement(String memberId, int limit, String pageToken) {
        Long before = pageToken == null || pageToken.isEmpty() ? null : decode(pageToken);
        PointAccount account = accounts.get(memberId); // 404 for an unknown member
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = before == null ? null
                : Map.of(LedgerTable.MEMBER_ID, s(memberId), LedgerTable.VERSION, n(before));
        int wanted = limit + 1; // one more than a page, so a token never leads to an empty page
        do {
            Map<String, AttributeValue> from = start;
            int left = wanted - items.size();
            QueryResponse page = db.query(b -> b.tableName(ledgerTable)
                    .keyConditionExpression("#member = :member")
                    .expressionAttributeNames(Map.of("#member", LedgerTable.MEMBER_ID))
                    .expressionAttributeValues(Map.of(":member", s(memberId)))
                    .scanIndexForward(false).limit(left).exclusiveStartKey(from));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && items.size() < wanted);
        String nextToken = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            nextToken = encode(LedgerTable.SCHEMA.mapToItem(items.get(limit - 1)).version());
        }
        return new Statement(memberId, account.balance(), items.stream().map(LedgerTable.SCHEMA::mapToItem).toList(),
                nextToken);
    }

    /** A position only (the version to continue below); the member always comes from the path. */
    static String encode(long version) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((TOKEN_PREFIX + version).getBytes(StandardCharsets.UTF_8));
    }

    static long decode(String token) {
        try {
            if (token.length() <= 64) {
                String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                if (text.startsWith(TOKEN_PREFIX)) {
                    long version = Long.parseLong(text.substring(TOKEN_PREFIX.length()));
                    if (version > 0) {
                        return version;
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal; NumberFormatException is one too
        }
        throw ApiException.validation(NEXT_TOKEN, "is not a token this API issued");
    }
}
