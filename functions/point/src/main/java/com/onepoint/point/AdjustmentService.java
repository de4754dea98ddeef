package com.onepoint.point;

import com.onepoint.shared.domain.AccountStatus;
import com.onepoint.shared.domain.Adjustment;
import com.onepoint.shared.domain.MemberStatus;
import com.onepoint.shared.domain.PointAccount;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.dynamo.LedgerMovement;
import com.onepoint.shared.dynamo.Transactions;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.snapstart.FreshRandom;
import com.onepoint.shared.table.AdjustmentsTable;
import com.onepoint.shared.table.MembersTable;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.s;

/**
 * Manual adjustments (admin): one transaction puts the adjustment record, moves the balance (on condition the
 * account is OPEN and, for a negative one, that the balance holds it) and checks the member is ACTIVE. The record's
 * stream publishes PointsAdjusted; no settlement reads it.
 */
public final class AdjustmentService {
    private static final int ADJUSTMENT = 0;
    private static final int ACCOUNT = 1;
    private static final int MEMBER = 2;

    private final DynamoDbClient db;
    private final String adjustmentsTable;
    private final String pointsTable;
    private final String membersTable;
    private final Clock clock;

    public AdjustmentService(DynamoDbClient db, String adjustmentsTable, String pointsTable, String membersTable,
                             Clock clock) {
        this.db = db;
        this.adjustmentsTable = adjustmentsTable;
        this.pointsTable = pointsTable;
        this.membersTable = membersTable;
        this.clock = clock;
    }

    /** @param points signed, not 0, |points| ≤ 10^12 (the handler validates) */
    public Adjustment adjust(String memberId, long points, String reason) {
        Instant now = clock.instant();
        Adjustment adjustment = new Adjustment(FreshRandom.uuid().toString(), memberId, points, reason, now);
        Update.Builder account = Update.builder().tableName(pointsTable)
                .key(Items.key(PointsTable.MEMBER_ID, memberId))
                .updateExpression("SET balance = balance + :p, updatedAt = :now, version = version + :one")
                .expressionAttributeNames(Map.of("#status", PointsTable.STATUS))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (points < 0) {
            account.conditionExpression("#status = :open AND balance >= :abs")
                    .expressionAttributeValues(Map.of(":p", n(points), ":abs", n(-points),
                            ":open", s(AccountStatus.OPEN.name()), ":now", s(now.toString()), ":one", n(1)));
        } else {
            account.conditionExpression("#status = :open")
                    .expressionAttributeValues(Map.of(":p", n(points), ":open", s(AccountStatus.OPEN.name()),
                            ":now", s(now.toString()), ":one", n(1)));
        }
        try {
            Transactions.write(db, List.of(
                    TransactWriteItem.builder().put(Put.builder().tableName(adjustmentsTable)
                            .item(AdjustmentsTable.SCHEMA.itemToMap(adjustment, true))
                            .conditionExpression("attribute_not_exists(#id)")
                            .expressionAttributeNames(Map.of("#id", AdjustmentsTable.ADJUSTMENT_ID)).build()).build(),
                    TransactWriteItem.builder().update(LedgerMovement.adjustment(adjustment.adjustmentId(), points, now)
                            .recordedBy(account.build())).build(),
                    TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(membersTable)
                            .key(Items.key(MembersTable.MEMBER_ID, memberId))
                            .conditionExpression("#status = :active")
                            .expressionAttributeNames(Map.of("#status", MembersTable.STATUS))
                            .expressionAttributeValues(Map.of(":active", s(MemberStatus.ACTIVE.name())))
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                            .build()).build()));
            return adjustment;
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, MEMBER)) {
                if (Transactions.oldItem(e, MEMBER).isEmpty()) {
                    throw new ApiException(404, "MEMBER_NOT_FOUND", "member " + memberId + " does not exist",
                            Map.of("memberId", memberId));
                }
                throw new ApiException(409, "MEMBER_NOT_ACTIVE", "member " + memberId + " is not active",
                        Map.of("memberId", memberId));
            }
            if (Transactions.conditionFailed(e, ACCOUNT)) {
                PointAccount current = Transactions.oldItem(e, ACCOUNT).isEmpty() ? null
                        : PointsTable.SCHEMA.mapToItem(Transactions.oldItem(e, ACCOUNT));
                if (current == null || current.status() != AccountStatus.OPEN) {
                    // an ACTIVE member always has an OPEN account; leave closes both in one transaction
                    throw new ApiException(409, "MEMBER_NOT_ACTIVE", "member " + memberId + " is not active",
                            Map.of("memberId", memberId));
                }
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("memberId", memberId);
                details.put("points", points);
                details.put("balance", current.balance());
                throw new ApiException(409, "INSUFFICIENT_POINTS",
                        "the balance is less than the " + (-points) + " points to remove", details);
            }
            throw e; // an adjustmentId collision: a bug, not a refusal
        }
    }
}
