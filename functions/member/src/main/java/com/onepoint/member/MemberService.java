package com.onepoint.member;

import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.domain.AccountStatus;
import com.onepoint.shared.domain.Member;
import com.onepoint.shared.domain.MemberStatus;
import com.onepoint.shared.domain.PointAccount;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.dynamo.LedgerMovement;
import com.onepoint.shared.dynamo.Transactions;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.table.MembersTable;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.s;

/** Membership: join (member + point account, atomically), read, and leave (withdraw + forfeit, atomically). */
public final class MemberService {
    /** How often leave re-reads the balance when uses keep moving it; each try is one transaction. */
    private static final int LEAVE_ATTEMPTS = 50;

    private final DynamoDbClient db;
    private final DynamoDbTable<Member> members;
    private final DynamoDbTable<PointAccount> accounts;
    private final String membersTable;
    private final String pointsTable;
    private final Clock clock;

    public MemberService(DynamoDbClient db, String membersTable, String pointsTable, Clock clock) {
        this.db = db;
        this.members = AwsClients.enhanced(db).table(membersTable, MembersTable.SCHEMA);
        this.accounts = AwsClients.enhanced(db).table(pointsTable, PointsTable.SCHEMA);
        this.membersTable = membersTable;
        this.pointsTable = pointsTable;
        this.clock = clock;
    }

    /** The outcome of a leave: the balance that was forfeited. */
    public record Withdrawal(String memberId, MemberStatus status, long forfeitedPoints) {
    }

    /** Creates the member and an OPEN point account with balance 0 in one transaction; 409 if the id is taken. */
    public Member join(String memberId, String name, String phone, String email) {
        Instant now = clock.instant();
        Member member = Member.joined(memberId, name, phone, email, now);
        // a transaction of two conditional puts: the low-level client, with items from the schemas
        try {
            Transactions.write(db, List.of(
                    TransactWriteItem.builder().put(Put.builder().tableName(membersTable)
                            .item(MembersTable.SCHEMA.itemToMap(member, true))
                            .conditionExpression("attribute_not_exists(#id)")
                            .expressionAttributeNames(Map.of("#id", MembersTable.MEMBER_ID)).build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(pointsTable)
                            .item(PointsTable.SCHEMA.itemToMap(PointAccount.opened(memberId, now), true))
                            .conditionExpression("attribute_not_exists(#id)")
                            .expressionAttributeNames(Map.of("#id", PointsTable.MEMBER_ID)).build()).build()));
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 0) || Transactions.conditionFailed(e, 1)) {
                // a withdrawn member keeps its id: ids are never reused, so history stays unambiguous
                throw new ApiException(409, "MEMBER_EXISTS", "member " + memberId + " already exists",
                        Map.of("memberId", memberId));
            }
            throw e;
        }
        return member;
    }

    public Member get(String memberId) {
        Member member = members.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(memberId).build()).consistentRead(true).build());
        if (member == null) {
            throw notFound(memberId);
        }
        return member;
    }

    /**
     * Withdraws the member, forfeiting the whole balance. One transaction sets the member WITHDRAWN (on condition
     * ACTIVE) and closes the account at balance 0 (on condition that the balance is still the one read): a use
     * that lands in between changes the balance, fails the condition, and the leave retries with the new figure.
     * Uses check member ACTIVE and account OPEN in their own transactions, so none can commit after the leave.
     */
    public Withdrawal leave(String memberId) {
        for (int attempt = 1; attempt <= LEAVE_ATTEMPTS; attempt++) {
            PointAccount account = accounts.getItem(GetItemEnhancedRequest.builder()
                    .key(Key.builder().partitionValue(memberId).build()).consistentRead(true).build());
            if (account == null) {
                throw notFound(memberId);
            }
            long balance = account.balance();
            String now = clock.instant().toString();
            try {
                Transactions.write(db, List.of(
                        TransactWriteItem.builder().update(Update.builder().tableName(membersTable)
                                .key(Items.key(MembersTable.MEMBER_ID, memberId))
                                .updateExpression("SET #status = :withdrawn, withdrawnAt = :now, forfeitedPoints = :balance, "
                                        + "version = version + :one")
                                .conditionExpression("#status = :active")
                                .expressionAttributeNames(Map.of("#status", MembersTable.STATUS))
                                .expressionAttributeValues(Map.of(":withdrawn", s(MemberStatus.WITHDRAWN.name()),
                                        ":active", s(MemberStatus.ACTIVE.name()), ":now", s(now), ":balance", n(balance), ":one", n(1)))
                                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                                .build()).build(),
                        TransactWriteItem.builder().update(LedgerMovement.forfeit(balance, Instant.parse(now)).recordedBy(
                                Update.builder().tableName(pointsTable)
                                .key(Items.key(PointsTable.MEMBER_ID, memberId))
                                .updateExpression("SET balance = :zero, #status = :closed, closedAt = :now, "
                                        + "forfeitedPoints = :balance, updatedAt = :now, version = version + :one")
                                .conditionExpression("#status = :open AND balance = :balance")
                                .expressionAttributeNames(Map.of("#status", PointsTable.STATUS))
                                .expressionAttributeValues(Map.of(":zero", n(0), ":closed", s(AccountStatus.CLOSED.name()),
                                        ":open", s(AccountStatus.OPEN.name()), ":now", s(now), ":balance", n(balance), ":one", n(1)))
                                .build())).build()));
                return new Withdrawal(memberId, MemberStatus.WITHDRAWN, balance);
            } catch (TransactionCanceledException e) {
                if (Transactions.conditionFailed(e, 0)) {
                    if (Transactions.oldItem(e, 0).isEmpty()) {
                        throw notFound(memberId);
                    }
                    throw new ApiException(409, "MEMBER_NOT_ACTIVE", "member " + memberId + " is not active",
                            Map.of("memberId", memberId));
                }
                if (!Transactions.conditionFailed(e, 1)) {
                    throw e;
                }
                // the balance moved under us (a concurrent earn or use): read it again
            }
        }
        throw new ApiException(503, "BUSY", "the point account kept changing; retry the request",
                Map.of("memberId", memberId));
    }

    static ApiException notFound(String memberId) {
        return new ApiException(404, "MEMBER_NOT_FOUND", "member " + memberId + " does not exist",
                Map.of("memberId", memberId));
    }
}
