package com.onepoint.deal;

import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.domain.AccountStatus;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.FailureReason;
import com.onepoint.shared.domain.MemberStatus;
import com.onepoint.shared.domain.Merchant;
import com.onepoint.shared.domain.PointAccount;
import com.onepoint.shared.domain.Rate;
import com.onepoint.shared.domain.Restoration;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.dynamo.LedgerMovement;
import com.onepoint.shared.dynamo.Transactions;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.snapstart.FreshRandom;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.MembersTable;
import com.onepoint.shared.table.MerchantsTable;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.s;

/**
 * Earn, use, read and cancel deals. Every balance change is one DynamoDB transaction whose conditions carry the
 * invariants (balance never below 0, account OPEN, member ACTIVE, a deal cancels once); nothing is decided on a
 * value read earlier.
 */
public final class DealService {
    /** A POS clock may run a little ahead of ours; beyond this an occurredAt is "in the future". */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(2);
    static final Duration MAX_AGE = Duration.ofDays(35);

    // positions of the items in the transactions below; cancellation reasons come back in the same order
    private static final int DEAL = 0;
    private static final int ACCOUNT = 1;
    private static final int MEMBER = 2;

    private static final Expression NEW_DEAL = Expression.builder()
            .expression("attribute_not_exists(#id)").putExpressionName("#id", DealsTable.DEAL_ID).build();

    private final DynamoDbClient db;
    private final DynamoDbTable<Deal> deals;
    private final DynamoDbTable<Merchant> merchants;
    private final Tables tables;
    private final Clock clock;
    /** Earn rates by merchant id; bounded, since merchant ids come from requests. */
    private final Map<String, Rate> earnRates = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_RATES = 10_000;

    /** The four table names DealFunction is given. */
    public record Tables(String deals, String points, String members, String merchants) {
    }

    /** A validated request to record an earn or a use; {@code points} only for a use. */
    public record NewDeal(String memberId, String merchantId, DealType type, long amount, long points, Instant occurredAt) {
    }

    public DealService(DynamoDbClient db, Tables tables, Clock clock) {
        this.db = db;
        DynamoDbEnhancedClient enhanced = AwsClients.enhanced(db);
        this.deals = enhanced.table(tables.deals(), DealsTable.SCHEMA);
        this.merchants = enhanced.table(tables.merchants(), MerchantsTable.SCHEMA);
        this.tables = tables;
        this.clock = clock;
    }

    /**
     * Records the deal and moves the balance in one transaction. A use beyond the balance, or any deal of a member
     * who is not ACTIVE, is recorded as FAILED and refused with a 409 carrying that deal.
     */
    public Deal create(NewDeal request) {
        Rate earnRate = earnRate(request.merchantId());
        Instant now = clock.instant();
        Instant occurredAt = request.occurredAt() == null ? now : request.occurredAt();
        if (occurredAt.isAfter(now.plus(CLOCK_SKEW))) {
            throw ApiException.validation("occurredAt", "must not be in the future");
        }
        if (occurredAt.isBefore(now.minus(MAX_AGE))) {
            throw ApiException.validation("occurredAt", "must not be older than 35 days");
        }
        long points = request.type() == DealType.EARN
                ? earnRate.applyFloor(request.amount()) // floor: 12345 at 0.01 earns 123
                : request.points();
        Deal deal = Deal.recorded(FreshRandom.uuid().toString(), request.memberId(), request.merchantId(),
                request.type(), request.amount(), points, DealStatus.SUCCESS, null, occurredAt, now);

        boolean use = request.type() == DealType.USE;
        Update.Builder account = Update.builder().tableName(tables.points())
                .key(Items.key(PointsTable.MEMBER_ID, deal.memberId()))
                .expressionAttributeNames(Map.of("#status", PointsTable.STATUS))
                .expressionAttributeValues(Map.of(":p", n(points), ":open", s(AccountStatus.OPEN.name()),
                        ":now", s(deal.createdAt().toString()), ":one", n(1)));
        if (use) {
            account.updateExpression("SET balance = balance - :p, updatedAt = :now, version = version + :one")
                    .conditionExpression("#status = :open AND balance >= :p");
        } else {
            account.updateExpression("SET balance = balance + :p, updatedAt = :now, version = version + :one")
                    .conditionExpression("#status = :open");
        }
        try {
            Transactions.write(db, List.of(
                    TransactWriteItem.builder().put(newDealPut(deal)).build(),
                    TransactWriteItem.builder().update((use ? LedgerMovement.use(deal.dealId(), points, deal.createdAt())
                            : LedgerMovement.earn(deal.dealId(), points, deal.createdAt())).recordedBy(account.build())).build(),
                    TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(tables.members())
                            .key(Items.key(MembersTable.MEMBER_ID, deal.memberId()))
                            .conditionExpression("#status = :active")
                            .expressionAttributeNames(Map.of("#status", MembersTable.STATUS))
                            .expressionAttributeValues(Map.of(":active", s(MemberStatus.ACTIVE.name())))
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                            .build()).build()));
            return deal;
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, MEMBER)) {
                if (Transactions.oldItem(e, MEMBER).isEmpty()) {
                    throw new ApiException(404, "MEMBER_NOT_FOUND", "member " + deal.memberId() + " does not exist",
                            Map.of("memberId", deal.memberId()));
                }
                throw refuse(deal, FailureReason.MEMBER_NOT_ACTIVE, "member " + deal.memberId() + " is not active");
            }
            if (use && Transactions.conditionFailed(e, ACCOUNT)) {
                throw refuse(deal, FailureReason.INSUFFICIENT_POINTS,
                        "balance is less than the " + points + " points to use");
            }
            throw e; // an ACTIVE member without an OPEN account, or a dealId collision: a bug, not a refusal
        }
    }

    public Deal get(String dealId) {
        Deal deal = deals.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(dealId).build()).consistentRead(true).build());
        if (deal == null) {
            throw new ApiException(404, "DEAL_NOT_FOUND", "deal " + dealId + " does not exist", Map.of("dealId", dealId));
        }
        return deal;
    }

    /**
     * Cancels a successful deal, once. An earn: the deal becomes CANCELLED and its points are deducted in one
     * transaction, on condition that the deal is still SUCCESS and the balance still holds the points. A use: see
     * {@link #cancelUse(Deal)}.
     */
    public Deal cancel(String dealId, Caller caller) {
        Deal deal = get(dealId); // memberId and points never change; the status is re-checked in the write
        caller.requireMerchant(deal.merchantId());
        if (deal.status() != DealStatus.SUCCESS) {
            throw notCancellable(deal);
        }
        if (deal.type() == DealType.USE) {
            return cancelUse(deal);
        }
        Instant now = clock.instant();
        try {
            Transactions.write(db, List.of(
                    TransactWriteItem.builder().update(Update.builder().tableName(tables.deals())
                            .key(Items.key(DealsTable.DEAL_ID, dealId))
                            .updateExpression("SET #status = :cancelled, cancelledAt = :now, version = version + :one")
                            .conditionExpression("#status = :success")
                            .expressionAttributeNames(Map.of("#status", DealsTable.STATUS))
                            .expressionAttributeValues(Map.of(":cancelled", s(DealStatus.CANCELLED.name()),
                                    ":success", s(DealStatus.SUCCESS.name()), ":now", s(now.toString()), ":one", n(1)))
                            .build()).build(),
                    TransactWriteItem.builder().update(LedgerMovement.earnCancel(dealId, deal.points(), now).recordedBy(
                            Update.builder().tableName(tables.points())
                            .key(Items.key(PointsTable.MEMBER_ID, deal.memberId()))
                            .updateExpression("SET balance = balance - :p, updatedAt = :now, version = version + :one")
                            .conditionExpression("#status = :open AND balance >= :p")
                            .expressionAttributeNames(Map.of("#status", PointsTable.STATUS))
                            .expressionAttributeValues(Map.of(":p", n(deal.points()), ":open", s(AccountStatus.OPEN.name()),
                                    ":now", s(now.toString()), ":one", n(1)))
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                            .build())).build()));
            return deal.cancelled(now, null);
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, DEAL)) {
                throw notCancellable(get(dealId)); // lost the race to another cancel
            }
            if (Transactions.conditionFailed(e, ACCOUNT)) {
                PointAccount account = PointsTable.SCHEMA.mapToItem(Transactions.oldItem(e, ACCOUNT));
                if (account != null && account.status() == AccountStatus.CLOSED) {
                    throw new ApiException(409, "MEMBER_NOT_ACTIVE", "member " + deal.memberId()
                            + " has left; the points were forfeited", Map.of("dealId", dealId));
                }
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("dealId", dealId);
                details.put("points", deal.points());
                details.put("balance", account == null ? null : account.balance());
                throw new ApiException(409, "INSUFFICIENT_POINTS",
                        "the earned points have already been spent; the earn cannot be cancelled", details);
            }
            throw e;
        }
    }

    /**
     * Cancels a successful use at once (CANCELLED, restoration PENDING) and leaves the points to the restore queue:
     * the deals stream publishes DealCancelled, a rule routes it to SQS, and PointRestoreFunction credits the
     * balance exactly once. Under a flood of cancellations this write is all the caller waits for.
     */
    private Deal cancelUse(Deal deal) {
        Instant now = clock.instant();
        try {
            db.updateItem(b -> b.tableName(tables.deals())
                    .key(Items.key(DealsTable.DEAL_ID, deal.dealId()))
                    .updateExpression("SET #status = :cancelled, cancelledAt = :now, restoration = :pending, "
                            + "version = version + :one")
                    .conditionExpression("#status = :success")
                    .expressionAttributeNames(Map.of("#status", DealsTable.STATUS))
                    .expressionAttributeValues(Map.of(":cancelled", s(DealStatus.CANCELLED.name()),
                            ":success", s(DealStatus.SUCCESS.name()), ":now", s(now.toString()),
                            ":pending", s(Restoration.PENDING.name()), ":one", n(1))));
        } catch (ConditionalCheckFailedException e) {
            throw notCancellable(get(deal.dealId())); // lost the race to another cancel
        }
        return deal.cancelled(now, Restoration.PENDING);
    }

    /**
     * The merchant's earn rate. A merchant is never deleted and its rates never change once registered (SPEC §3 has
     * no route that changes them), so a rate read once serves the container for good; an unknown merchant is not
     * remembered, so one registered a moment later is found.
     */
    private Rate earnRate(String merchantId) {
        Rate rate = earnRates.get(merchantId);
        if (rate != null) {
            return rate;
        }
        Merchant merchant = merchants.getItem(Key.builder().partitionValue(merchantId).build());
        if (merchant == null) {
            throw new ApiException(404, "MERCHANT_NOT_FOUND", "merchant " + merchantId + " does not exist",
                    Map.of("merchantId", merchantId));
        }
        if (earnRates.size() < MAX_CACHED_RATES) {
            earnRates.put(merchantId, merchant.earnRate());
        }
        return merchant.earnRate();
    }

    /** The deal's put inside the create transaction: low-level, with the item from the schema. */
    private Put newDealPut(Deal deal) {
        return Put.builder().tableName(tables.deals()).item(DealsTable.SCHEMA.itemToMap(deal, true))
                .conditionExpression(NEW_DEAL.expression()).expressionAttributeNames(NEW_DEAL.expressionNames()).build();
    }

    /** Records the refused attempt as a FAILED deal (readable by its id) and returns the 409 that carries it. */
    private ApiException refuse(Deal deal, FailureReason reason, String message) {
        Deal failed = deal.failed(reason);
        deals.putItem(PutItemEnhancedRequest.builder(Deal.class).item(failed).conditionExpression(NEW_DEAL).build());
        return new ApiException(409, reason.name(), message, Map.of("deal", failed));
    }

    private static ApiException notCancellable(Deal deal) {
        return new ApiException(409, "DEAL_NOT_CANCELLABLE", "deal " + deal.dealId() + " is " + deal.status()
                + "; only a SUCCESS deal can be cancelled, once", Map.of("dealId", deal.dealId(), "status", deal.status()));
    }
}
