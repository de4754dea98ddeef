package com.onepoint.billing;

import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.dynamo.Transactions;
import com.onepoint.shared.table.BillingTable;
import com.onepoint.shared.table.BillingTable.AppliedChanges;
import com.onepoint.shared.table.BillingTable.MerchantMonth;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.s;

/**
 * Applies a batch of {@link DealChange}s to the billing view, exactly once each, with one view write per
 * merchant-month per batch.
 *
 * <h2>Why per-change markers and not a per-shard checkpoint</h2>
 * Deals are keyed by a random dealId, so one merchant's deals are spread over every shard of the deals stream and one
 * merchant-month item is written from several shards at once. Sequence numbers are ordered only within a shard, and a
 * Lambda stream record does not say which shard it came from, so a "highest sequence number applied" kept on the item
 * would either be per shard (impossible to key) or would wrongly skip a lower-numbered record of another shard.
 * What is unique and stable is the change itself: each deal succeeds once and is cancelled at most once. So every
 * change puts a marker item {@code <dealId>#USE} / {@code <dealId>#CANCEL} (condition: it does not exist) in the SAME
 * TransactWriteItems as the ADD to the merchant-month item. A redelivered record (retry, bisection, overlapping
 * batches after a partial failure) finds its marker, the transaction is cancelled naming it, the change is dropped
 * and the rest is written again. Markers expire after {@link #MARKER_TTL}, far beyond the stream's 24 h retention.
 *
 * <h2>Which month a change lands in</h2>
 * A change goes to its deal's own month (occurredAt in the business zone) while that month is not settled: a use adds
 * to {@code grossUsed*}, a cancellation to {@code cancelled*}. Every view write is conditioned on
 * {@code attribute_not_exists(status)}; when it fails the month is settled, and the change is carried into the first
 * later month that is not settled ({@code carriedInUsed*} / {@code carriedInCancelled*}, the settlement's adjustments;
 * found with one Query of the merchant's later months, and re-checked by the same condition). A settlement is therefore
 * never changed, and no point is lost or counted twice: every change lands in exactly one month.
 *
 * <h2>Transactions</h2>
 * Changes are grouped by target merchant-month; a group of n changes is one Update plus n Puts, split at 99 changes so
 * a group fits one transaction (a merchant filling all 100 records of a batch takes two writes). Groups are packed
 * into transactions of at most 100 items. A cancelled transaction is read item by item: a failed marker condition is
 * a duplicate (dropped), a failed view condition a settled month (carried on); everything else is retried as is.
 */
final class BillingViewWriter {
    static final int MAX_TRANSACTION_ITEMS = 100;
    static final Duration MARKER_TTL = Duration.ofDays(7);
    /** Rounds of "write, learn from the cancellation, write again"; each round drops or carries at least one change. */
    static final int MAX_ROUNDS = 24;

    private final DynamoDbClient db;
    private final DynamoDbTable<MerchantMonth> months;
    private final String billingTable;
    private final String appliedTable;
    private final Clock clock;

    BillingViewWriter(DynamoDbClient db, String billingTable, String appliedTable, Clock clock) {
        this.db = db;
        this.months = AwsClients.enhanced(db).table(billingTable, BillingTable.SCHEMA);
        this.billingTable = billingTable;
        this.appliedTable = appliedTable;
        this.clock = clock;
    }

    /** What became of a batch's changes; {@code failed} are neither applied nor known duplicates and must be redelivered. */
    static final class Outcome {
        int applied;
        int carried;
        int duplicates;
        int transactions;
        final List<DealChange> failed = new ArrayList<>();
        String firstError;

        void fail(List<DealChange> changes, String error) {
            failed.addAll(changes);
            if (firstError == null) {
                firstError = error;
            }
        }
    }

    /** The changes of one merchant-month write, all going to {@code month}. */
    private record Group(String merchantId, String month, List<DealChange> changes) {
        int items() {
            return changes.size() + 1;
        }
    }

    Outcome apply(List<DealChange> changes) {
        Outcome outcome = new Outcome();
        Map<DealChange, String> target = new IdentityHashMap<>();
        Set<String> seen = new HashSet<>();
        List<DealChange> pending = new ArrayList<>();
        for (DealChange c : changes) {
            // one transaction may not touch an item twice; a change repeated within a batch is a duplicate anyway
            if (seen.add(AppliedChanges.changeKey(c.dealId(), c.change()))) {
                target.put(c, c.dealMonth());
                pending.add(c);
            } else {
                outcome.duplicates++;
            }
        }
        for (int round = 0; !pending.isEmpty(); round++) {
            if (round == MAX_ROUNDS) {
                outcome.fail(pending, "no open month found in " + MAX_ROUNDS + " rounds");
                break;
            }
            List<DealChange> retry = new ArrayList<>();
            for (List<Group> transaction : pack(groups(pending, target))) {
                write(transaction, target, outcome, retry);
            }
            pending = retry;
        }
        return outcome;
    }

    private void write(List<Group> transaction, Map<DealChange, String> target, Outcome outcome, List<DealChange> retry) {
        Instant now = clock.instant();
        List<TransactWriteItem> items = new ArrayList<>();
        for (Group g : transaction) {
            items.add(TransactWriteItem.builder().update(viewUpdate(g, now)).build());
            for (DealChange c : g.changes()) {
                items.add(TransactWriteItem.builder().put(marker(c, g.month(), now)).build());
            }
        }
        outcome.transactions++;
        try {
            Transactions.write(db, items);
            for (Group g : transaction) {
                for (DealChange c : g.changes()) {
                    outcome.applied++;
                    if (!g.month().equals(c.dealMonth())) {
                        outcome.carried++;
                    }
                }
            }
        } catch (TransactionCanceledException e) {
            if (!anyConditionFailed(e)) { // conflicts beyond the retries, throttling: redeliver later
                outcome.fail(all(transaction), "transaction cancelled: " + codes(e));
                return;
            }
            int index = 0;
            for (Group g : transaction) {
                boolean monthSettled = Transactions.conditionFailed(e, index++);
                String carryTo = null;
                for (DealChange c : g.changes()) {
                    if (Transactions.conditionFailed(e, index++)) {
                        outcome.duplicates++; // its marker exists: applied by an earlier delivery
                    } else {
                        if (monthSettled) {
                            if (carryTo == null) {
                                carryTo = firstOpenMonthAfter(g.merchantId(), g.month());
                            }
                            target.put(c, carryTo);
                        }
                        retry.add(c);
                    }
                }
            }
        } catch (RuntimeException e) {
            outcome.fail(all(transaction), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * The first month after {@code month} that is not settled: one consistent Query over the merchant's later months
     * (a month without an item is open), so a cancellation of a deal settled long ago does not walk month by month.
     * Only a hint: the view write re-checks it by its condition, and a month settled in between is skipped next round.
     */
    private String firstOpenMonthAfter(String merchantId, String month) {
        String candidate = BillingMonths.next(month);
        QueryEnhancedRequest later = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortGreaterThan(
                        Key.builder().partitionValue(merchantId).sortValue(month).build()))
                .consistentRead(true)
                .attributesToProject(BillingTable.BILLING_MONTH, BillingTable.STATUS)
                .build();
        for (MerchantMonth item : months.query(later).items()) {
            String itemMonth = item.billingMonth();
            if (itemMonth.compareTo(candidate) > 0) {
                return candidate; // no item for the candidate: nothing settled it
            }
            if (itemMonth.equals(candidate)) {
                if (item.status() == null) {
                    return candidate;
                }
                candidate = BillingMonths.next(candidate);
            }
        }
        return candidate;
    }

    /** ADD the group's figures to its merchant-month, on condition the month is not settled. */
    private Update viewUpdate(Group g, Instant now) {
        long grossUsedPoints = 0, grossUseCount = 0, cancelledPoints = 0, cancelledCount = 0;
        long carriedUsedPoints = 0, carriedUseCount = 0, carriedCancelledPoints = 0, carriedCancelledCount = 0;
        for (DealChange c : g.changes()) {
            boolean carried = !g.month().equals(c.dealMonth());
            if (c.kind() == DealChange.Kind.USE) {
                if (carried) {
                    carriedUsedPoints = Math.addExact(carriedUsedPoints, c.points());
                    carriedUseCount++;
                } else {
                    grossUsedPoints = Math.addExact(grossUsedPoints, c.points());
                    grossUseCount++;
                }
            } else {
                // a cancellation takes the use off the count; a refund only its points, the use still happened
                long count = c.kind() == DealChange.Kind.CANCEL ? 1 : 0;
                if (carried) {
                    carriedCancelledPoints = Math.addExact(carriedCancelledPoints, c.points());
                    carriedCancelledCount += count;
                } else {
                    cancelledPoints = Math.addExact(cancelledPoints, c.points());
                    cancelledCount += count;
                }
            }
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":gu", n(grossUsedPoints));
        values.put(":gc", n(grossUseCount));
        values.put(":cp", n(cancelledPoints));
        values.put(":cc", n(cancelledCount));
        values.put(":iu", n(carriedUsedPoints));
        values.put(":ic", n(carriedUseCount));
        values.put(":ip", n(carriedCancelledPoints));
        values.put(":icc", n(carriedCancelledCount));
        values.put(":one", n(1));
        values.put(":now", s(now.toString()));
        // every counter is ADDed, zeros included, so a new item starts with all of them present
        return Update.builder().tableName(billingTable)
                .key(BillingTable.key(g.merchantId(), g.month()))
                .updateExpression("ADD " + BillingTable.GROSS_USED_POINTS + " :gu, " + BillingTable.GROSS_USE_COUNT + " :gc, "
                        + BillingTable.CANCELLED_POINTS + " :cp, " + BillingTable.CANCELLED_COUNT + " :cc, "
                        + BillingTable.CARRIED_IN_USED_POINTS + " :iu, " + BillingTable.CARRIED_IN_USE_COUNT + " :ic, "
                        + BillingTable.CARRIED_IN_CANCELLED_POINTS + " :ip, "
                        + BillingTable.CARRIED_IN_CANCELLED_COUNT + " :icc, " + BillingTable.VIEW_VERSION + " :one "
                        + "SET " + BillingTable.UPDATED_AT + " = :now")
                .conditionExpression("attribute_not_exists(#status)")
                .expressionAttributeNames(Map.of("#status", BillingTable.STATUS))
                .expressionAttributeValues(values)
                .build();
    }

    /** A conditional put inside the view transaction: low-level, with the item from the marker schema. */
    private Put marker(DealChange c, String month, Instant now) {
        AppliedChanges.Marker marker = new AppliedChanges.Marker(AppliedChanges.changeKey(c.dealId(), c.change()),
                c.dealId(), c.change(), c.merchantId(), month, !month.equals(c.dealMonth()), c.points(),
                c.sequenceNumber(), now, now.plus(MARKER_TTL));
        return Put.builder().tableName(appliedTable).item(AppliedChanges.SCHEMA.itemToMap(marker, true))
                .conditionExpression("attribute_not_exists(" + AppliedChanges.CHANGE_KEY + ")").build();
    }

    /** Groups by (merchant, target month) in first-seen order, at most MAX_TRANSACTION_ITEMS - 1 changes a group. */
    private static List<Group> groups(List<DealChange> changes, Map<DealChange, String> target) {
        Map<List<String>, List<DealChange>> byKey = new LinkedHashMap<>();
        for (DealChange c : changes) {
            byKey.computeIfAbsent(List.of(c.merchantId(), target.get(c)), k -> new ArrayList<>()).add(c);
        }
        List<Group> groups = new ArrayList<>();
        int max = MAX_TRANSACTION_ITEMS - 1;
        byKey.forEach((key, list) -> {
            for (int from = 0; from < list.size(); from += max) {
                groups.add(new Group(key.get(0), key.get(1), List.copyOf(list.subList(from, Math.min(list.size(), from + max)))));
            }
        });
        return groups;
    }

    /**
     * Packs whole groups into transactions of at most MAX_TRANSACTION_ITEMS items, never two parts of one
     * merchant-month in the same transaction (a transaction may touch an item once).
     */
    private static List<List<Group>> pack(List<Group> groups) {
        List<List<Group>> transactions = new ArrayList<>();
        List<Group> current = new ArrayList<>();
        Set<List<String>> keys = new HashSet<>();
        int items = 0;
        for (Group g : groups) {
            List<String> key = List.of(g.merchantId(), g.month());
            if (items + g.items() > MAX_TRANSACTION_ITEMS || keys.contains(key)) {
                transactions.add(current);
                current = new ArrayList<>();
                keys.clear();
                items = 0;
            }
            current.add(g);
            keys.add(key);
            items += g.items();
        }
        if (!current.isEmpty()) {
            transactions.add(current);
        }
        return transactions;
    }

    private static List<DealChange> all(List<Group> transaction) {
        List<DealChange> out = new ArrayList<>();
        transaction.forEach(g -> out.addAll(g.changes()));
        return out;
    }

    private static boolean anyConditionFailed(TransactionCanceledException e) {
        return e.hasCancellationReasons() && e.cancellationReasons().stream()
                .anyMatch(r -> Transactions.CONDITIONAL_CHECK_FAILED.equals(r.code()));
    }

    private static String codes(TransactionCanceledException e) {
        return e.hasCancellationReasons() ? e.cancellationReasons().stream().map(CancellationReason::code)
                .filter(code -> code != null && !"None".equals(code)).distinct().toList().toString() : "[]";
    }
}
