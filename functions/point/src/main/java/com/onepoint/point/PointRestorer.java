package com.onepoint.point;

import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.domain.AccountStatus;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.Refund;
import com.onepoint.shared.domain.Restoration;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.dynamo.LedgerMovement;
import com.onepoint.shared.dynamo.Transactions;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.PointsTable;
import com.onepoint.shared.table.RefundsTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.s;

/**
 * Gives a cancelled use its points back, exactly once: one transaction moves the deal's restoration from PENDING to
 * DONE (that is the condition) and credits the balance. A second delivery of the same cancellation finds the
 * restoration DONE, fails the condition, and changes nothing. A use's partial refund is restored the same way, with
 * the refund's own restoration as the condition ({@link #restoreRefund}). Both add what they credit to the deal's
 * restoredPoints in the same transaction.
 */
public final class PointRestorer {
    private static final int DEAL = 0;
    private static final int ACCOUNT = 1;
    private static final int REFUND = 0;
    private static final int REFUND_ACCOUNT = 2;

    public enum Outcome { RESTORED, ALREADY_DONE, FORFEITED }

    private final DynamoDbClient db;
    private final DynamoDbTable<Deal> deals;
    private final String dealsTable;
    private final String pointsTable;
    private final DynamoDbTable<Refund> refunds;
    private final String refundsTable;
    private final Clock clock;

    public PointRestorer(DynamoDbClient db, String dealsTable, String pointsTable, String refundsTable, Clock clock) {
        this.db = db;
        this.deals = AwsClients.enhanced(db).table(dealsTable, DealsTable.SCHEMA);
        this.refunds = AwsClients.enhanced(db).table(refundsTable, RefundsTable.SCHEMA);
        this.dealsTable = dealsTable;
        this.pointsTable = pointsTable;
        this.refundsTable = refundsTable;
        this.clock = clock;
    }

    public Outcome restore(String dealId) {
        // memberId and points never change; restoration is re-checked by the transaction's condition
        Deal deal = deals.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(dealId).build()).consistentRead(true).build());
        if (deal == null) {
            throw new IllegalStateException("deal " + dealId + " does not exist"); // poison: let it reach the DLQ
        }
        if (deal.type() != DealType.USE || deal.status() != DealStatus.CANCELLED) {
            throw new IllegalStateException("deal " + dealId + " is not a cancelled use");
        }
        String now = clock.instant().toString();
        // CANCELLED admits no refund, so what refunds have not given back is final: that is what comes back now
        long points = deal.unrefundedPoints();
        try {
            Transactions.write(db, List.of(
                    TransactWriteItem.builder().update(Update.builder().tableName(dealsTable)
                            .key(Items.key(DealsTable.DEAL_ID, dealId))
                            .updateExpression("SET restoration = :done, restoredAt = :now, #restored = if_not_exists(#restored, :zero) + :p, "
                                    + "version = version + :one")
                            .conditionExpression("restoration = :pending")
                            .expressionAttributeNames(Map.of("#restored", DealsTable.RESTORED_POINTS))
                            .expressionAttributeValues(Map.of(":done", s(Restoration.DONE.name()),
                                    ":pending", s(Restoration.PENDING.name()), ":now", s(now), ":one", n(1),
                                    ":zero", n(0), ":p", n(points)))
                            .build()).build(),
                    TransactWriteItem.builder().update(credit(deal.memberId(), points, now,
                            LedgerMovement.useRestore(dealId, null, points, Instant.parse(now)))).build()));
            return Outcome.RESTORED;
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, DEAL)) {
                return Outcome.ALREADY_DONE; // a redelivery: the first delivery restored it
            }
            if (Transactions.conditionFailed(e, ACCOUNT)) {
                return forfeit(dealId, now);
            }
            throw e;
        }
    }

    /**
     * Gives a use's partial refund its points back, exactly once: the refund's restoration moves PENDING → DONE (the
     * condition), the deal's restoredPoints grows by the refund's points, and the balance is credited, in one
     * transaction. A redelivery fails the refund's condition and changes nothing.
     */
    public Outcome restoreRefund(String refundId) {
        Refund refund = refunds.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(refundId).build()).consistentRead(true).build());
        if (refund == null) {
            throw new IllegalStateException("refund " + refundId + " does not exist"); // poison: let it reach the DLQ
        }
        if (refund.type() != DealType.USE) {
            throw new IllegalStateException("refund " + refundId + " is not a use's refund");
        }
        String now = clock.instant().toString();
        try {
            Transactions.write(db, List.of(
                    TransactWriteItem.builder().update(refundRestoration(refundId, Restoration.DONE, now)).build(),
                    TransactWriteItem.builder().update(Update.builder().tableName(dealsTable)
                            .key(Items.key(DealsTable.DEAL_ID, refund.dealId()))
                            .updateExpression("SET #restored = if_not_exists(#restored, :zero) + :p, version = version + :one")
                            .conditionExpression("attribute_exists(#id)")
                            .expressionAttributeNames(Map.of("#restored", DealsTable.RESTORED_POINTS, "#id", DealsTable.DEAL_ID))
                            .expressionAttributeValues(Map.of(":zero", n(0), ":p", n(refund.points()), ":one", n(1)))
                            .build()).build(),
                    TransactWriteItem.builder().update(credit(refund.memberId(), refund.points(), now,
                            LedgerMovement.useRestore(refund.dealId(), refundId, refund.points(), Instant.parse(now)))).build()));
            return Outcome.RESTORED;
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, REFUND)) {
                return Outcome.ALREADY_DONE; // a redelivery: the first delivery restored it
            }
            if (Transactions.conditionFailed(e, REFUND_ACCOUNT)) {
                // the member left before the restore: the account is closed, the refund's points are forfeited
                Update forfeit = refundRestoration(refundId, Restoration.FORFEITED, now);
                try {
                    db.updateItem(b -> b.tableName(forfeit.tableName()).key(forfeit.key())
                            .updateExpression(forfeit.updateExpression()).conditionExpression(forfeit.conditionExpression())
                            .expressionAttributeValues(forfeit.expressionAttributeValues()));
                } catch (ConditionalCheckFailedException already) {
                    return Outcome.ALREADY_DONE;
                }
                return Outcome.FORFEITED;
            }
            throw e;
        }
    }

    /** The refund's restoration PENDING → {@code to}: the condition that makes its restore happen once. */
    private Update refundRestoration(String refundId, Restoration to, String now) {
        return Update.builder().tableName(refundsTable)
                .key(Items.key(RefundsTable.REFUND_ID, refundId))
                .updateExpression("SET restoration = :to, restoredAt = :now")
                .conditionExpression("restoration = :pending")
                .expressionAttributeValues(Map.of(":to", s(to.name()), ":pending", s(Restoration.PENDING.name()),
                        ":now", s(now)))
                .build();
    }

    /** The balance credit of a restore: on condition the account is OPEN (a member who left forfeits it). */
    /** The balance credit of a restore, recording {@code movement}: on condition the account is OPEN. */
    private Update credit(String memberId, long points, String now, LedgerMovement movement) {
        return movement.recordedBy(Update.builder().tableName(pointsTable)
                .key(Items.key(PointsTable.MEMBER_ID, memberId))
                .updateExpression("SET balance = balance + :p, updatedAt = :now, version = version + :one")
                .conditionExpression("#status = :open")
                .expressionAttributeNames(Map.of("#status", PointsTable.STATUS))
                .expressionAttributeValues(Map.of(":p", n(points), ":open", s(AccountStatus.OPEN.name()),
                        ":now", s(now), ":one", n(1)))
                .build());
    }

    /** The member left between the cancellation and the restore: the account is closed, the points are forfeited. */
    private Outcome forfeit(String dealId, String now) {
        try {
            db.updateItem(b -> b.tableName(dealsTable)
                    .key(Items.key(DealsTable.DEAL_ID, dealId))
                    .updateExpression("SET restoration = :forfeited, restoredAt = :now, version = version + :one")
                    .conditionExpression("restoration = :pending")
                    .expressionAttributeValues(Map.of(":forfeited", s(Restoration.FORFEITED.name()),
                            ":pending", s(Restoration.PENDING.name()), ":now", s(now), ":one", n(1))));
            return Outcome.FORFEITED;
        } catch (ConditionalCheckFailedException e) {
            return Outcome.ALREADY_DONE;
        }
    }
}
