package com.onepoint.billing;

import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.domain.Merchant;
import com.onepoint.shared.domain.Rate;
import com.onepoint.shared.domain.SettlementStatus;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.table.BillingTable;
import com.onepoint.shared.table.BillingTable.MerchantMonth;
import com.onepoint.shared.table.BillingTable.Settlement;
import com.onepoint.shared.table.BillingTable.View;
import com.onepoint.shared.table.Converters;
import com.onepoint.shared.snapstart.FreshRandom;
import com.onepoint.shared.table.MerchantsTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.s;

/**
 * Settles a merchant-month from its billing view and reads settlements.
 *
 * <p>A settlement is written once, by one conditional UpdateItem on the merchant-month item: the condition is
 * "not settled yet AND the view is still the one I computed from" ({@code viewVersion}, which every projector write
 * increments). So two concurrent settles make one settlement (the loser re-reads and answers the winner's), and a
 * projector write between the read and the write makes the settle recompute instead of settling stale figures.
 * Once settled the projector's own condition ({@code attribute_not_exists(status)}) keeps it off the item forever.
 *
 * <p>{@code settlementAmount = round_half_up((usedPoints + adjustments) × settlementRate)}: one rounding over the
 * net total, never per part, so carrying points between months cannot create or lose a unit by double rounding.
 * The rate is the merchant's at settlement time and is stored with the settlement.
 */
public final class BillingService {
    /** Each failed attempt means the view moved or another settle won; either ends the loop within a few rounds. */
    static final int MAX_ATTEMPTS = 25;

    private final DynamoDbClient db;
    private final DynamoDbTable<MerchantMonth> months;
    private final DynamoDbIndex<MerchantMonth> monthsByMonth;
    private final DynamoDbTable<Merchant> merchants;
    private final Tables tables;
    private final Clock clock;
    private final ZoneId zone;

    /** The two table names the settling functions are given. */
    public record Tables(String billing, String merchants) {
    }

    /** A settlement and whether this call made it (201) or found it made (200). */
    public record SettleResult(Settlement settlement, boolean created) {
    }

    public BillingService(DynamoDbClient db, Tables tables, Clock clock, ZoneId zone) {
        this.db = db;
        DynamoDbEnhancedClient enhanced = AwsClients.enhanced(db);
        this.months = enhanced.table(tables.billing(), BillingTable.SCHEMA);
        this.monthsByMonth = months.index(BillingTable.BY_MONTH_INDEX);
        this.merchants = enhanced.table(tables.merchants(), MerchantsTable.SCHEMA);
        this.tables = tables;
        this.clock = clock;
        this.zone = zone;
    }

    /** round_half_up((usedPoints + adjustments) × rate); 500 at 0.98 is 490, a negative net rounds away from zero. */
    public static long settlementAmount(long usedPoints, long adjustments, Rate rate) {
        return rate.applyHalfUp(Math.addExact(usedPoints, adjustments));
    }

    /**
     * Settles {@code merchantId} for {@code billingMonth} (well-formed YYYYMM), or returns the settlement already made.
     * The current month may be settled (an early close, SPEC §8 step 7): what lands in it afterwards is carried into
     * the next month as an adjustment. A month after the current one is refused: it has nothing to settle yet.
     */
    public SettleResult settle(String merchantId, String billingMonth) {
        if (BillingMonths.isAfter(billingMonth, clock.instant(), zone)) {
            throw new ApiException(400, "VALIDATION_FAILED", "billingMonth: must not be after the current month "
                    + BillingMonths.of(clock.instant(), zone), Map.of("field", "billingMonth"));
        }
        Rate rate = settlementRate(merchantId);
        MerchantMonth item = read(merchantId, billingMonth);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<Settlement> existing = item == null ? Optional.empty() : item.settlement();
            if (existing.isPresent()) {
                return new SettleResult(existing.get(), false);
            }
            View view = item == null ? View.EMPTY : item.view();
            Settlement settlement = new Settlement(merchantId, billingMonth, view.usedPoints(), view.useCount(),
                    view.adjustments(), settlementAmount(view.usedPoints(), view.adjustments(), rate), rate,
                    SettlementStatus.SETTLED, clock.instant());
            try {
                write(settlement, view.viewVersion());
                return new SettleResult(settlement, true);
            } catch (ConditionalCheckFailedException e) {
                // settled by someone else, or the view moved: decide again on what is there now; if the view keeps
                // moving (a busy merchant's current month), let a projector batch or two go by first
                if (attempt >= 3) {
                    pause(attempt);
                    item = read(merchantId, billingMonth);
                } else {
                    item = e.hasItem() && !e.item().isEmpty() ? BillingTable.SCHEMA.mapToItem(e.item())
                            : read(merchantId, billingMonth);
                }
            } catch (TransactionConflictException e) {
                // a projector transaction holds the item right now; it commits in milliseconds
                pause(attempt);
                item = read(merchantId, billingMonth);
            }
        }
        throw new IllegalStateException("settlement of " + merchantId + "/" + billingMonth
                + " did not converge in " + MAX_ATTEMPTS + " attempts");
    }

    /** The settlement of a merchant-month, or 404 SETTLEMENT_NOT_FOUND while there is none. */
    public Settlement get(String merchantId, String billingMonth) {
        MerchantMonth month = read(merchantId, billingMonth);
        return Optional.ofNullable(month).flatMap(MerchantMonth::settlement).orElseThrow(() -> new ApiException(404,
                "SETTLEMENT_NOT_FOUND", "merchant " + merchantId + " has no settlement for " + billingMonth,
                Map.of("merchantId", merchantId, "billingMonth", billingMonth)));
    }

    /**
     * The merchants with a billing item for {@code billingMonth} that is not settled yet, from the month index: one
     * index entry per merchant, however many deals they made. The index is eventually consistent; a merchant it still
     * shows unsettled is settled idempotently, and a run for a month that ended 30 minutes ago sees every item.
     */
    public List<String> merchantsToSettle(String billingMonth) {
        List<String> open = new ArrayList<>();
        // the index projects the keys and status only: the view figures of these items read as 0
        for (Page<MerchantMonth> page : monthsByMonth.query(QueryConditional.keyEqualTo(
                Key.builder().partitionValue(billingMonth).build()))) {
            for (MerchantMonth entry : page.items()) {
                if (entry.status() != SettlementStatus.SETTLED) {
                    open.add(entry.merchantId());
                }
            }
        }
        return open;
    }

    private void write(Settlement s, long viewVersion) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":settled", s(s.status().name()));
        values.put(":used", n(s.usedPoints()));
        values.put(":count", n(s.useCount()));
        values.put(":adj", n(s.adjustments()));
        values.put(":rate", Converters.RATE.transformFrom(s.settlementRate()));
        values.put(":amount", n(s.settlementAmount()));
        values.put(":at", Converters.INSTANT.transformFrom(s.settledAt()));
        String viewUnchanged;
        if (viewVersion == 0) {
            viewUnchanged = "attribute_not_exists(" + BillingTable.VIEW_VERSION + ")";
        } else {
            viewUnchanged = BillingTable.VIEW_VERSION + " = :version";
            values.put(":version", n(viewVersion));
        }
        db.updateItem(b -> b.tableName(tables.billing())
                .key(BillingTable.key(s.merchantId(), s.billingMonth()))
                .updateExpression("SET #status = :settled, " + BillingTable.USED_POINTS + " = :used, "
                        + BillingTable.USE_COUNT + " = :count, " + BillingTable.ADJUSTMENTS + " = :adj, "
                        + BillingTable.SETTLEMENT_RATE + " = :rate, " + BillingTable.SETTLEMENT_AMOUNT + " = :amount, "
                        + BillingTable.SETTLED_AT + " = :at")
                .conditionExpression("attribute_not_exists(#status) AND " + viewUnchanged)
                .expressionAttributeNames(Map.of("#status", BillingTable.STATUS))
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    }

    /** The merchant-month, or null while it has no item. */
    private MerchantMonth read(String merchantId, String billingMonth) {
        return months.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(merchantId).sortValue(billingMonth).build()).consistentRead(true).build());
    }

    private Rate settlementRate(String merchantId) {
        Merchant merchant = merchants.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(merchantId).build()).consistentRead(true).build());
        if (merchant == null) {
            throw new ApiException(404, "MERCHANT_NOT_FOUND", "merchant " + merchantId + " does not exist",
                    Map.of("merchantId", merchantId));
        }
        return merchant.settlementRate();
    }

    private static void pause(int attempt) {
        long capMillis = Math.min(100, 2L << Math.min(attempt, 6));
        try {
            Thread.sleep(FreshRandom.between(1, capMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while settling", e);
        }
    }
}
