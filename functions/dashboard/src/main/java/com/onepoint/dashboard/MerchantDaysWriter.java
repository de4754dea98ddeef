package com.onepoint.dashboard;

import com.onepoint.shared.dynamo.Transactions;
import com.onepoint.shared.table.MerchantDaysTable;
import com.onepoint.shared.table.MerchantDaysTable.Applied;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.s;

/**
 * Counts one {@link MerchantDayChange} exactly once: one TransactWriteItems of the day's {@code ADD}s and the change's
 * marker, put on condition it does not exist. A redelivered change finds its marker, the transaction is cancelled
 * naming it, and nothing is counted. Unlike the billing view, no month is ever frozen here, so a change always goes to
 * its own day and needs no second round.
 */
final class MerchantDaysWriter {
    /**
     * Far beyond the longest an event can come back: 14 days in the queue, 14 more in its dead-letter queue before a
     * redrive, plus the rule's 24 h of delivery retries.
     */
    static final Duration MARKER_TTL = Duration.ofDays(60);

    enum Outcome { APPLIED, ALREADY_APPLIED }

    private final DynamoDbClient db;
    private final String daysTable;
    private final String appliedTable;
    private final Clock clock;

    MerchantDaysWriter(DynamoDbClient db, String daysTable, String appliedTable, Clock clock) {
        this.db = db;
        this.daysTable = daysTable;
        this.appliedTable = appliedTable;
        this.clock = clock;
    }

    Outcome apply(MerchantDayChange change) {
        Instant now = clock.instant();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder add = new StringBuilder("ADD ");
        List<Long> counters = change.counters().values();
        for (int i = 0; i < counters.size(); i++) {
            // every counter, zeros included, so each item has all of them
            add.append(i == 0 ? "" : ", ").append(MerchantDaysTable.COUNTERS.get(i)).append(" :c").append(i);
            values.put(":c" + i, n(counters.get(i)));
        }
        values.put(":now", s(now.toString()));
        Update day = Update.builder().tableName(daysTable)
                .key(MerchantDaysTable.key(change.merchantId(), change.day()))
                .updateExpression(add + " SET " + MerchantDaysTable.UPDATED_AT + " = :now")
                .expressionAttributeValues(values)
                .build();
        Applied.Marker marker = new Applied.Marker(change.changeKey(), change.merchantId(), change.day(), now,
                now.plus(MARKER_TTL));
        Put put = Put.builder().tableName(appliedTable).item(Applied.SCHEMA.itemToMap(marker, true))
                .conditionExpression("attribute_not_exists(" + Applied.CHANGE_KEY + ")").build();
        try {
            Transactions.write(db, List.of(TransactWriteItem.builder().update(day).build(),
                    TransactWriteItem.builder().put(put).build()));
            return Outcome.APPLIED;
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 1)) {
                return Outcome.ALREADY_APPLIED;
            }
            throw e;
        }
    }
}
