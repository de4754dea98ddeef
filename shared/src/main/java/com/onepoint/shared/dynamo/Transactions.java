package com.onepoint.shared.dynamo;

import com.onepoint.shared.snapstart.FreshRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;
import java.util.Map;

/**
 * Runs TransactWriteItems the way every invariant in OnePoint needs it:
 * <ul>
 *   <li>a client request token per attempt, so the SDK's own network retries cannot apply it twice;</li>
 *   <li>a cancellation caused only by a concurrent transaction on the same items (TransactionConflict)
 *       was not applied, so it is retried after a jittered pause;</li>
 *   <li>a cancellation by a failed condition is handed to the caller, who reads the reasons.</li>
 * </ul>
 */
public final class Transactions {
    public static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
    private static final int MAX_ATTEMPTS = 12;

    private Transactions() {
    }

    /** Writes all items atomically; throws TransactionCanceledException when a condition failed. */
    public static void write(DynamoDbClient db, List<TransactWriteItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                db.transactWriteItems(TransactWriteItemsRequest.builder()
                        .transactItems(items)
                        .clientRequestToken(FreshRandom.uuid().toString())
                        .build());
                return;
            } catch (TransactionCanceledException e) {
                if (!onlyConflicts(e) || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    /** True when the item at {@code index} of the cancelled transaction failed its condition. */
    public static boolean conditionFailed(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return reasons != null && index < reasons.size()
                && CONDITIONAL_CHECK_FAILED.equals(reasons.get(index).code());
    }

    /** The item DynamoDB returned for a failed condition (ReturnValuesOnConditionCheckFailure ALL_OLD); empty if none. */
    public static Map<String, AttributeValue> oldItem(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = e.cancellationReasons();
        if (reasons == null || index >= reasons.size() || reasons.get(index).item() == null) {
            return Map.of();
        }
        return reasons.get(index).item();
    }

    private static boolean onlyConflicts(TransactionCanceledException e) {
        List<CancellationReason> reasons = e.cancellationReasons();
        if (reasons == null || reasons.isEmpty()) {
            return false;
        }
        boolean conflict = false;
        for (CancellationReason r : reasons) {
            String code = r.code();
            if (CONDITIONAL_CHECK_FAILED.equals(code)) {
                return false;
            }
            if ("TransactionConflict".equals(code)) {
                conflict = true;
            }
        }
        return conflict;
    }

    private static void pause(int attempt) {
        long capMillis = Math.min(200, 5L << Math.min(attempt, 6));
        try {
            Thread.sleep(FreshRandom.between(1, capMillis));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a transaction", ie);
        }
    }
}
