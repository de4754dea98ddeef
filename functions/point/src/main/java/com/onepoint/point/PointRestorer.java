package com.onepoint.point;

import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.domain.AccountStatus;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.Restoration;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.dynamo.LedgerMovement;
import com.onepoint.shared.dynamo.Transactions;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.PointsTable;
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
 * restoration DONE, fails the condition, and changes nothing.
 */
public final class PointRestorer {
    private static final int DEAL = 0;
    private static final int ACCOUNT = 1;

    public enum Outcome { RESTORED, ALREADY_DONE, FORFEITED }

    private final DynamoDbClient db;
    private final DynamoDbTable<Deal> deals;
    private final String dealsTable;
    private final String pointsTable;
    private final Clock clock;

    public PointRestorer(DynamoDbClient db, String dealsTable, String pointsTable, Clock clock) {
        this.db = db;
        this.deals = AwsClients.enhanced(db).table(dealsTable, DealsTable.SCHEMA);
        this.dealsTable = dealsTable;
        this.pointsTable = pointsTable;
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
        try {
            Transactions.write(db, List.of(
                    TransactWriteItem.builder().update(Update.builder().tableName(dealsTable)
                            .key(Items.key(DealsTable.DEAL_ID, dealId))
                            // restoredPoints grows by what this restore credits, in the same transaction: the audit
                            // counts the use as −points + restoredPoints
                            .updateExpression("SET restoration = :done, restoredAt = :now, " + DealsTable.RESTORED_POINTS
                                    + " = if_not_exists(" + DealsTable.RESTORED_POINTS + ", :zero) + :p, version = version + :one")
                            .conditionExpression("restoration = :pending")
                            .expressionAttributeValues(Map.of(":done", s(Restoration.DONE.name()),
                                    ":pending", s(Restoration.PENDING.name()), ":now", s(now), ":p", n(deal.points()),
                                    ":zero", n(0), ":one", n(1)))
                            .build()).build(),
                    TransactWriteItem.builder().update(LedgerMovement.useRestore(dealId, null, deal.points(),
                            Instant.parse(now)).recordedBy(Update.builder().tableName(pointsTable)
                            .key(Items.key(PointsTable.MEMBER_ID, deal.memberId()))
                            .updateExpression("SET balance = balance + :p, updatedAt = :now, version = version + :one")
                            .conditionExpression("#status = :open")
                            .expressionAttributeNames(Map.of("#status", PointsTable.STATUS))
                            .expressionAttributeValues(Map.of(":p", n(deal.points()), ":open", s(AccountStatus.OPEN.name()),
                                    ":now", s(now), ":one", n(1)))
                            .build())).build()));
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
