package com.onepoint.shared.idempotency;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The idempotency table's records. One record per scoped key: claimed {@code INPROGRESS} with a lease by a
 * conditional put, then {@code COMPLETED} with the stored response, or deleted when nothing is to be stored. The
 * attribute names are those of Powertools for AWS Lambda's DynamoDB store, so the table reads the same to an operator
 * who knows that one: {@code id}, {@code status}, {@code expiration} (epoch seconds, the table's TTL attribute),
 * {@code in_progress_expiration} (epoch milliseconds), {@code validation} (the body's hash) and {@code data}.
 */
final class IdempotencyStore {
    static final String ID = "id";
    static final String STATUS = "status";
    static final String EXPIRATION = "expiration";
    static final String IN_PROGRESS_EXPIRATION = "in_progress_expiration";
    static final String VALIDATION = "validation";
    static final String DATA = "data";
    static final String IN_PROGRESS = "INPROGRESS";
    static final String COMPLETED = "COMPLETED";

    /** The record is still the claim this attempt made, not a later attempt's after the lease ended. */
    private static final String HELD_BY_CLAIM = "#status = :inProgress AND #leaseEnd = :lease";

    private final DynamoDbClient db;
    private final String table;
    private final Duration expiry;
    private final Duration inProgressLease;

    IdempotencyStore(DynamoDbClient db, String table, Duration expiry, Duration inProgressLease) {
        this.db = db;
        this.table = table;
        this.expiry = expiry;
        this.inProgressLease = inProgressLease;
    }

    /**
     * One attempt's claim on a key: {@code holder} is null when the attempt holds the key, else the record that holds
     * it (the failed condition's ALL_OLD, so no second read). {@code leaseEnd} tells this attempt's record from that of
     * a later attempt that took the key over after the lease.
     */
    record Claim(long leaseEnd, Map<String, AttributeValue> holder) {
        boolean granted() {
            return holder == null;
        }
    }

    /** Claims {@code id} for one attempt: free, expired, or held by an attempt whose lease ended. */
    Claim claim(String id, String validation, Instant now) {
        long leaseEnd = now.plus(inProgressLease).toEpochMilli();
        try {
            db.putItem(b -> b.tableName(table)
                    .item(Map.of(ID, AttributeValue.fromS(id),
                            STATUS, AttributeValue.fromS(IN_PROGRESS),
                            EXPIRATION, number(now.plus(expiry).getEpochSecond()),
                            IN_PROGRESS_EXPIRATION, number(leaseEnd),
                            VALIDATION, AttributeValue.fromS(validation)))
                    .conditionExpression("attribute_not_exists(#id) OR #expiry < :nowSeconds"
                            + " OR (#status = :inProgress AND #leaseEnd < :nowMillis)")
                    .expressionAttributeNames(Map.of("#id", ID, "#expiry", EXPIRATION, "#status", STATUS,
                            "#leaseEnd", IN_PROGRESS_EXPIRATION))
                    .expressionAttributeValues(Map.of(
                            ":nowSeconds", number(now.getEpochSecond()),
                            ":nowMillis", number(now.toEpochMilli()),
                            ":inProgress", AttributeValue.fromS(IN_PROGRESS)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Claim(leaseEnd, null);
        } catch (ConditionalCheckFailedException e) {
            return new Claim(leaseEnd, e.hasItem() ? e.item() : Map.of());
        }
    }

    /**
     * Stores the answer of the attempt that made {@code claim}; its replays are this text.
     *
     * @return false when the lease had ended and a later attempt holds the key: its record stays
     */
    boolean complete(String id, Claim claim, String data, Instant now) {
        try {
            db.updateItem(b -> b.tableName(table)
                    .key(Map.of(ID, AttributeValue.fromS(id)))
                    .updateExpression("SET #status = :completed, #data = :data, #expiry = :expiry REMOVE #leaseEnd")
                    .conditionExpression(HELD_BY_CLAIM)
                    .expressionAttributeNames(Map.of("#status", STATUS, "#data", DATA, "#expiry", EXPIRATION,
                            "#leaseEnd", IN_PROGRESS_EXPIRATION))
                    .expressionAttributeValues(Map.of(":completed", AttributeValue.fromS(COMPLETED),
                            ":data", AttributeValue.fromS(data),
                            ":expiry", number(now.plus(expiry).getEpochSecond()),
                            ":inProgress", AttributeValue.fromS(IN_PROGRESS),
                            ":lease", number(claim.leaseEnd()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Gives the key back: nothing was decided, so a retry with the same key runs the request again. */
    void release(String id, Claim claim) {
        try {
            db.deleteItem(b -> b.tableName(table).key(Map.of(ID, AttributeValue.fromS(id)))
                    .conditionExpression(HELD_BY_CLAIM)
                    .expressionAttributeNames(Map.of("#status", STATUS, "#leaseEnd", IN_PROGRESS_EXPIRATION))
                    .expressionAttributeValues(Map.of(":inProgress", AttributeValue.fromS(IN_PROGRESS),
                            ":lease", number(claim.leaseEnd()))));
        } catch (ConditionalCheckFailedException e) {
            // a later attempt took the key over after this one's lease: its claim stays
        }
    }

    /** A strongly consistent read of a record, for SnapStart priming: the request path without a write. */
    Map<String, AttributeValue> read(String id) {
        return db.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(ID, AttributeValue.fromS(id)))).item();
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }
}
