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
import com.onepoint.shared.domain.Proration;
import com.onepoint.shared.domain.Rate;
import com.onepoint.shared.domain.Receipt;
import com.onepoint.shared.domain.Refund;
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
import com.onepoint.shared.table.ReceiptsTable;
import com.onepoint.shared.table.RefundsTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
    private static final int RECEIPT = 3;
    /** In a refund's transaction: DEAL, then the refund's put; an earn's refund also debits the ACCOUNT. */
    private static final int EARN_REFUND = 2;
    private static final int USE_REFUND = 1;
    /**
     * Rounds of "write on the deal as read, learn its newer state from the cancellation, write again" for a refund or
     * cancel of an earn; every round that fails lost to a write that succeeded, so 20 racing refunds need at most 20.
     */
    static final int MAX_ROUNDS = 64;

    private static final Expression NEW_DEAL = Expression.builder()
            .expression("attribute_not_exists(#id)").putExpressionName("#id", DealsTable.DEAL_ID).build();

    private final DynamoDbClient db;
    private final DynamoDbTable<Deal> deals;
    private final DynamoDbTable<Merchant> merchants;
    private final DynamoDbTable<Receipt> receipts;
    private final Tables tables;
    private final Clock clock;
    /** Earn rates by merchant id; bounded, since merchant ids come from requests. */
    private final Map<String, Rate> earnRates = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_RATES = 10_000;

    /** The table names DealFunction is given. */
    public record Tables(String deals, String points, String members, String merchants, String receipts, String refunds) {
    }

    /** A validated request to record an earn or a use; {@code points} only for a use; {@code receiptId} optional. */
    public record NewDeal(String memberId, String merchantId, DealType type, long amount, long points, Instant occurredAt,
                          String receiptId) {
        public NewDeal(String memberId, String merchantId, DealType type, long amount, long points, Instant occurredAt) {
            this(memberId, merchantId, type, amount, points, occurredAt, null);
        }
    }

    /** A refund request as sent: {@code amount} for an earn, {@code points} for a use (null when absent). */
    public record RefundRequest(Long amount, Long points) {
    }

    public DealService(DynamoDbClient db, Tables tables, Clock clock) {
        this.db = db;
        DynamoDbEnhancedClient enhanced = AwsClients.enhanced(db);
        this.deals = enhanced.table(tables.deals(), DealsTable.SCHEMA);
        this.merchants = enhanced.table(tables.merchants(), MerchantsTable.SCHEMA);
        this.receipts = enhanced.table(tables.receipts(), ReceiptsTable.SCHEMA);
        this.tables = tables;
        this.clock = clock;
    }

    /**
     * Records the deal and moves the balance in one transaction. A use beyond the balance, or any deal of a member
     * who is not ACTIVE, is recorded as FAILED and refused with a 409 carrying that deal. A receiptId is held by
     * putting its receipts item, on condition there is none, in the same transaction: a receipt another deal holds
     * is 409 DUPLICATE_RECEIPT naming that deal (from the item the failed condition returns), and nothing is written;
     * a FAILED deal records the receiptId but holds nothing, so the POS can retry with it.
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
                request.type(), request.amount(), points, DealStatus.SUCCESS, null, occurredAt, now, request.receiptId());

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
        List<TransactWriteItem> items = new ArrayList<>(List.of(
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
        if (deal.receiptId() != null) {
            items.add(TransactWriteItem.builder().put(Put.builder().tableName(tables.receipts())
                    .item(ReceiptsTable.SCHEMA.itemToMap(new Receipt(deal.merchantId(), deal.receiptId(), deal.dealId(),
                            now), true))
                    .conditionExpression("attribute_not_exists(#m)")
                    .expressionAttributeNames(Map.of("#m", ReceiptsTable.MERCHANT_ID))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build()).build());
        }
        try {
            Transactions.write(db, items);
            return deal;
        } catch (TransactionCanceledException e) {
            // a receipt already held answers first: the POS is most likely retrying a deal that was recorded
            if (deal.receiptId() != null && Transactions.conditionFailed(e, RECEIPT)) {
                Receipt held = ReceiptsTable.SCHEMA.mapToItem(Transactions.oldItem(e, RECEIPT));
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("dealId", held == null ? null : held.dealId());
                details.put("merchantId", deal.merchantId());
                details.put("receiptId", deal.receiptId());
                throw new ApiException(409, "DUPLICATE_RECEIPT", "receipt " + deal.receiptId()
                        + " is already held by a deal of merchant " + deal.merchantId(), details);
            }
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

    /** The deal holding {@code receiptId} of {@code merchantId}: SUCCESS, or CANCELLED (a cancelled deal keeps it). */
    public Deal byReceipt(String merchantId, String receiptId) {
        Receipt receipt = receipts.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(merchantId).sortValue(receiptId).build()).consistentRead(true).build());
        if (receipt == null) {
            throw new ApiException(404, "RECEIPT_NOT_FOUND", "no deal of merchant " + merchantId + " holds receipt "
                    + receiptId, Map.of("merchantId", merchantId, "receiptId", receiptId));
        }
        return get(receipt.dealId());
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
     * Cancels a successful deal, once, reversing what refunds have not. An earn: the deal becomes CANCELLED and its
     * unrefunded points are deducted in one transaction, on condition that the deal is still SUCCESS with the refunded
     * amount read (so the figure deducted is the one the deal still holds) and the balance still holds them. A use:
     * see {@link #cancelUse(Deal)}.
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
        for (int round = 1; ; round++) {
            Instant now = clock.instant();
            long deducted = deal.unrefundedPoints();
            try {
                Map<String, AttributeValue> values = new HashMap<>(Map.of(":cancelled", s(DealStatus.CANCELLED.name()),
                        ":success", s(DealStatus.SUCCESS.name()), ":now", s(now.toString()), ":one", n(1),
                        ":ra", n(deal.refundedAmount())));
                Transactions.write(db, List.of(
                        TransactWriteItem.builder().update(Update.builder().tableName(tables.deals())
                                .key(Items.key(DealsTable.DEAL_ID, dealId))
                                .updateExpression("SET #status = :cancelled, cancelledAt = :now, version = version + :one")
                                .conditionExpression("#status = :success AND " + refundedIs(DealsTable.REFUNDED_AMOUNT, deal.refundedAmount()))
                                .expressionAttributeNames(Map.of("#status", DealsTable.STATUS))
                                .expressionAttributeValues(values)
                                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                                .build()).build(),
                        TransactWriteItem.builder().update(debit(deal.memberId(), deducted, now,
                                LedgerMovement.earnCancel(dealId, deducted, now))).build()));
                return deal.cancelled(now, null);
            } catch (TransactionCanceledException e) {
                if (Transactions.conditionFailed(e, DEAL)) {
                    Deal current = dealOf(e, DEAL, dealId);
                    if (current.status() != DealStatus.SUCCESS) {
                        throw notCancellable(current); // lost the race to another cancel
                    }
                    if (round >= MAX_ROUNDS) {
                        throw busy(dealId);
                    }
                    deal = current; // a refund landed in between: cancel what remains now
                    continue;
                }
                if (Transactions.conditionFailed(e, ACCOUNT)) {
                    throw accountRefusal(e, ACCOUNT, deal, deducted,
                            "the earned points have already been spent; the earn cannot be cancelled");
                }
                throw e;
            }
        }
    }

    /**
     * Cancels a successful use at once (CANCELLED, restoration PENDING) and leaves the points to the restore queue:
     * the deals stream publishes DealCancelled, a rule routes it to SQS, and PointRestoreFunction credits the
     * balance exactly once with what refunds have not given back. Under a flood of cancellations this write is all the
     * caller waits for. Once CANCELLED no refund can land (they require SUCCESS), so refundedPoints is final.
     */
    private Deal cancelUse(Deal deal) {
        Instant now = clock.instant();
        try {
            Map<String, AttributeValue> after = db.updateItem(b -> b.tableName(tables.deals())
                    .key(Items.key(DealsTable.DEAL_ID, deal.dealId()))
                    .updateExpression("SET #status = :cancelled, cancelledAt = :now, restoration = :pending, "
                            + "version = version + :one")
                    .conditionExpression("#status = :success")
                    .expressionAttributeNames(Map.of("#status", DealsTable.STATUS))
                    .expressionAttributeValues(Map.of(":cancelled", s(DealStatus.CANCELLED.name()),
                            ":success", s(DealStatus.SUCCESS.name()), ":now", s(now.toString()),
                            ":pending", s(Restoration.PENDING.name()), ":one", n(1)))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return DealsTable.SCHEMA.mapToItem(after);
        } catch (ConditionalCheckFailedException e) {
            throw notCancellable(get(deal.dealId())); // lost the race to another cancel
        }
    }

    /**
     * Refunds part of a successful deal, never more than it: see {@link #refundEarn} and {@link #refundUse}. The
     * caller must be the deal's merchant or the admin.
     */
    public Refund refund(String dealId, RefundRequest request, Caller caller) {
        Deal deal = get(dealId);
        caller.requireMerchant(deal.merchantId());
        if (deal.type() == DealType.EARN) {
            if (request.points() != null) {
                throw ApiException.validation("points", "must not be sent to refund an earn; send amount, the points are prorated");
            }
            if (request.amount() == null) {
                throw ApiException.validation("amount", "is required to refund an earn");
            }
            return refundEarn(deal, request.amount());
        }
        if (request.amount() != null) {
            throw ApiException.validation("amount", "must not be sent to refund a use; send the points to give back");
        }
        if (request.points() == null) {
            throw ApiException.validation("points", "is required to refund a use");
        }
        return refundUse(deal, request.points());
    }

    /**
     * An earn's refund of {@code n} of its amount deducts floor(P×(R+n)/A) − floor(P×R/A) points at once. One
     * transaction: the deal's refundedAmount moves from R (the condition: it is still R and the deal SUCCESS, so the
     * prorating used the R that holds), the balance is debited on condition it holds the points and the account is
     * OPEN, and the refund is put. A racing refund makes the condition fail; the deal it returns is the new R, and the
     * refund is computed again from it, until it lands or no longer fits.
     */
    private Refund refundEarn(Deal deal, long n) {
        String refundId = FreshRandom.uuid().toString();
        for (int round = 1; ; round++) {
            if (deal.status() != DealStatus.SUCCESS || n > deal.amount() - deal.refundedAmount()) {
                throw notRefundable(deal, n);
            }
            long deducted = Proration.deducted(deal.points(), deal.amount(), deal.refundedAmount(), n);
            Instant now = clock.instant();
            Refund refund = Refund.ofEarn(refundId, deal, n, deducted, now);
            Deal after = deal.refunded(refundId, n, deducted);
            try {
                Transactions.write(db, List.of(
                        TransactWriteItem.builder().update(Update.builder().tableName(tables.deals())
                                .key(Items.key(DealsTable.DEAL_ID, deal.dealId()))
                                .updateExpression("SET " + DealsTable.REFUNDED_AMOUNT + " = :newAmount, "
                                        + DealsTable.REFUNDED_POINTS + " = :newPoints, " + DealsTable.LAST_REFUND_ID
                                        + " = :rid, version = version + :one")
                                .conditionExpression("#status = :success AND " + refundedIs(DealsTable.REFUNDED_AMOUNT, deal.refundedAmount()))
                                .expressionAttributeNames(Map.of("#status", DealsTable.STATUS))
                                .expressionAttributeValues(Map.of(":newAmount", n(after.refundedAmount()),
                                        ":newPoints", n(after.refundedPoints()), ":rid", s(refundId), ":one", n(1),
                                        ":success", s(DealStatus.SUCCESS.name()), ":ra", n(deal.refundedAmount())))
                                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                                .build()).build(),
                        TransactWriteItem.builder().update(debit(deal.memberId(), deducted, now,
                                LedgerMovement.earnRefund(deal.dealId(), refundId, deducted, now))).build(),
                        TransactWriteItem.builder().put(newRefundPut(refund)).build()));
                return refund;
            } catch (TransactionCanceledException e) {
                if (Transactions.conditionFailed(e, DEAL)) {
                    if (round >= MAX_ROUNDS) {
                        throw busy(deal.dealId());
                    }
                    deal = dealOf(e, DEAL, deal.dealId()); // another refund or the cancel landed first
                    continue;
                }
                if (Transactions.conditionFailed(e, ACCOUNT)) {
                    throw accountRefusal(e, ACCOUNT, deal, deducted,
                            "the balance does not hold the " + deducted + " points this refund deducts");
                }
                throw e;
            }
        }
    }

    /**
     * A use's refund of {@code n} points: 202, the deal's refundedPoints grows by n on condition the deal is SUCCESS
     * and refundedPoints ≤ points − n before (DynamoDB conditions have no arithmetic, so the bound is computed here
     * from the immutable points), and the refund is put with restoration PENDING, in one transaction. The deals stream
     * then publishes DealRefunded, which the restore rule routes to the restore queue like a cancellation; the
     * restorer moves this refund's restoration PENDING → DONE as the condition of its credit, so it is credited once.
     */
    private Refund refundUse(Deal deal, long n) {
        if (deal.status() != DealStatus.SUCCESS || n > deal.unrefundedPoints()) {
            throw notRefundable(deal, n);
        }
        String refundId = FreshRandom.uuid().toString();
        Refund refund = Refund.ofUse(refundId, deal, n, clock.instant());
        try {
            Transactions.write(db, List.of(
                    TransactWriteItem.builder().update(Update.builder().tableName(tables.deals())
                            .key(Items.key(DealsTable.DEAL_ID, deal.dealId()))
                            .updateExpression("SET #rp = if_not_exists(#rp, :zero) + :n, " + DealsTable.LAST_REFUND_ID
                                    + " = :rid, version = version + :one")
                            .conditionExpression("#status = :success AND (attribute_not_exists(#rp) OR #rp <= :limit)")
                            .expressionAttributeNames(Map.of("#status", DealsTable.STATUS, "#rp", DealsTable.REFUNDED_POINTS))
                            .expressionAttributeValues(Map.of(":zero", n(0), ":n", n(n), ":rid", s(refundId),
                                    ":one", n(1), ":success", s(DealStatus.SUCCESS.name()), ":limit", n(deal.points() - n)))
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                            .build()).build(),
                    TransactWriteItem.builder().put(newRefundPut(refund)).build()));
            return refund;
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, DEAL)) {
                throw notRefundable(dealOf(e, DEAL, deal.dealId()), n);
            }
            throw e;
        }
    }

    /**
     * The balance debit of an earn's cancel or refund, recording {@code movement}: on condition the account is OPEN
     * and holds the points.
     */
    private Update debit(String memberId, long points, Instant now, LedgerMovement movement) {
        return movement.recordedBy(Update.builder().tableName(tables.points())
                .key(Items.key(PointsTable.MEMBER_ID, memberId))
                .updateExpression("SET balance = balance - :p, updatedAt = :now, version = version + :one")
                .conditionExpression("#status = :open AND balance >= :p")
                .expressionAttributeNames(Map.of("#status", PointsTable.STATUS))
                .expressionAttributeValues(Map.of(":p", n(points), ":open", s(AccountStatus.OPEN.name()),
                        ":now", s(now.toString()), ":one", n(1)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build());
    }

    /** "the attribute is :ra": an item written before refunds existed lacks it, which means 0. */
    private static String refundedIs(String attribute, long value) {
        return value == 0 ? "(attribute_not_exists(" + attribute + ") OR " + attribute + " = :ra)" : attribute + " = :ra";
    }

    /** The deal as the failed condition saw it (ALL_OLD); a deal is never deleted, so it is there. */
    private static Deal dealOf(TransactionCanceledException e, int index, String dealId) {
        Map<String, AttributeValue> item = Transactions.oldItem(e, index);
        if (item.isEmpty()) {
            throw new IllegalStateException("deal " + dealId + " vanished during the write");
        }
        return DealsTable.SCHEMA.mapToItem(item);
    }

    /** An earn's cancel or refund refused by the account: the member left (CLOSED), or the points were spent. */
    private static ApiException accountRefusal(TransactionCanceledException e, int index, Deal deal, long points,
                                               String message) {
        PointAccount account = PointsTable.SCHEMA.mapToItem(Transactions.oldItem(e, index));
        if (account != null && account.status() == AccountStatus.CLOSED) {
            return new ApiException(409, "MEMBER_NOT_ACTIVE", "member " + deal.memberId()
                    + " has left; the points were forfeited", Map.of("dealId", deal.dealId()));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("dealId", deal.dealId());
        details.put("points", points);
        details.put("balance", account == null ? null : account.balance());
        return new ApiException(409, "INSUFFICIENT_POINTS", message, details);
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

    private Put newRefundPut(Refund refund) {
        return Put.builder().tableName(tables.refunds()).item(RefundsTable.SCHEMA.itemToMap(refund, true))
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", RefundsTable.REFUND_ID)).build();
    }

    /** Records the refused attempt as a FAILED deal (readable by its id) and returns the 409 that carries it. */
    private ApiException refuse(Deal deal, FailureReason reason, String message) {
        Deal failed = deal.failed(reason);
        deals.putItem(PutItemEnhancedRequest.builder(Deal.class).item(failed).conditionExpression(NEW_DEAL).build());
        return new ApiException(409, reason.name(), message, Map.of("deal", failed));
    }

    /** More than remains unrefunded, or a deal that is not SUCCESS (FAILED, CANCELLED). */
    private static ApiException notRefundable(Deal deal, long n) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("dealId", deal.dealId());
        details.put("status", deal.status());
        if (deal.status() == DealStatus.SUCCESS) {
            if (deal.type() == DealType.EARN) {
                details.put("amount", n);
                details.put("refundableAmount", deal.amount() - deal.refundedAmount());
            } else {
                details.put("points", n);
                details.put("refundablePoints", deal.unrefundedPoints());
            }
        }
        return new ApiException(409, "NOT_REFUNDABLE", "deal " + deal.dealId() + " cannot be refunded by that much: "
                + "only a SUCCESS deal, and never more than it has left unrefunded", details);
    }

    /** Lost MAX_ROUNDS races in a row: nothing was written; a 503, so an Idempotency-Key retry runs it again. */
    private static ApiException busy(String dealId) {
        return new ApiException(503, "DEAL_BUSY", "deal " + dealId + " is being changed by other requests; retry",
                Map.of("dealId", dealId));
    }

    private static ApiException notCancellable(Deal deal) {
        return new ApiException(409, "DEAL_NOT_CANCELLABLE", "deal " + deal.dealId() + " is " + deal.status()
                + "; only a SUCCESS deal can be cancelled, once", Map.of("dealId", deal.dealId(), "status", deal.status()));
    }
}
