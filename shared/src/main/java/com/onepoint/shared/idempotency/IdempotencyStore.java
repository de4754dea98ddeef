package com.onepoint.shared.idempotency;

import com.onepoint.shared.ThreadLocals;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.lambda.powertools.idempotency.IdempotencyConfig;
import software.amazon.lambda.powertools.idempotency.exceptions.IdempotencyItemAlreadyExistsException;
import software.amazon.lambda.powertools.idempotency.exceptions.IdempotencyItemNotFoundException;
import software.amazon.lambda.powertools.idempotency.persistence.BasePersistenceStore;
import software.amazon.lambda.powertools.idempotency.persistence.DataRecord;
import software.amazon.lambda.powertools.idempotency.persistence.DynamoDBPersistenceStore;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The persistence store Powertools is configured with, once per JVM. Powertools 1.x keeps ONE store in a global
 * singleton; this store routes each call to the table and client of the {@link IdempotentRequests} that is running
 * the request on this thread, so handlers built on different clients (tests, the local runtime's one JVM) never use
 * each other's table, whatever order they were built in.
 *
 * <p>Reads, the success update and the delete are Powertools' own {@link DynamoDBPersistenceStore}. The conditional
 * put of the in-progress record is done here: Powertools 1.15.0 compares {@code in_progress_expiration}
 * (milliseconds) with the time in seconds (powertools-lambda-java#1281, fixed after 1.15.0), so an attempt that died
 * mid-request (a Lambda timeout) would block its key until expiry. Here the in-progress record carries a lease and a
 * retry after the lease takes the key over. Attribute names are Powertools' defaults, so the table stays compatible.
 */
final class IdempotencyStore extends BasePersistenceStore {
    static final String ID = "id";
    static final String EXPIRATION = "expiration";
    static final String IN_PROGRESS_EXPIRATION = "in_progress_expiration";
    static final String STATUS = "status";
    static final String VALIDATION = "validation";

    static final IdempotencyStore INSTANCE = new IdempotencyStore();

    /**
     * Where one {@link IdempotentRequests} keeps its records. A {@code dryRun} target (SnapStart priming) reads where
     * the real one would write: its put reads the record and answers "already exists", it never updates or deletes.
     */
    record Target(DynamoDbClient db, String table, Duration inProgressLease, DynamoDBPersistenceStore powertools,
                  boolean dryRun) {
        Target dryRunCopy() {
            return new Target(db, table, inProgressLease, powertools, true);
        }

        static Target of(DynamoDbClient db, String table, Duration inProgressLease, IdempotencyConfig config) {
            DynamoDBPersistenceStore store = DynamoDBPersistenceStore.builder()
                    .withTableName(table)
                    .withDynamoDbClient(db)
                    .withKeyAttr(ID)
                    .withExpiryAttr(EXPIRATION)
                    .withInProgressExpiryAttr(IN_PROGRESS_EXPIRATION)
                    .withStatusAttr(STATUS)
                    .withValidationAttr(VALIDATION)
                    .build();
            store.configure(config, null); // turns its payload validation on: the success update stores the hash
            return new Target(db, table, inProgressLease, store, false);
        }
    }

    private static final ThreadLocal<Target> CURRENT = new ThreadLocal<>();

    private volatile boolean configured;

    private IdempotencyStore() {
    }

    /**
     * Configures once; later calls do nothing. Powertools 1.15.0 calls this on every request, and the base class first
     * sets its function name to "{AWS_LAMBDA_FUNCTION_NAME}" and then appends ".{method}": a request hashing its key
     * on another thread in between gets another record id and runs again (seen under 20 concurrent retries in one
     * JVM: two deals). Lambda runs one request at a time per container; the local runtime and the tests do not.
     */
    @Override
    public void configure(IdempotencyConfig config, String functionName) {
        if (configured) {
            return;
        }
        synchronized (this) {
            if (!configured) {
                super.configure(config, functionName);
                configured = true;
            }
        }
    }

    /** Runs {@code call} with {@code target} as this thread's store. */
    static <T> T using(Target target, java.util.function.Supplier<T> call) {
        return ThreadLocals.with(CURRENT, target, call);
    }

    private static Target current() {
        Target target = CURRENT.get();
        if (target == null) {
            // Powertools reached the store outside IdempotentRequests: a method annotated elsewhere, or a bug
            throw new IllegalStateException("idempotency store used outside IdempotentRequests");
        }
        return target;
    }

    @Override
    public DataRecord getRecord(String idempotencyKey) throws IdempotencyItemNotFoundException {
        return current().powertools().getRecord(idempotencyKey);
    }

    @Override
    public void putRecord(DataRecord record, Instant now) throws IdempotencyItemAlreadyExistsException {
        Target target = current();
        if (target.dryRun()) {
            target.db().getItem(b -> b.tableName(target.table()).consistentRead(true)
                    .key(Map.of(ID, AttributeValue.fromS(record.getIdempotencyKey()))));
            throw new IdempotencyItemAlreadyExistsException("dry run: nothing is written for " + record.getIdempotencyKey(), null);
        }
        long leaseEnd = record.getInProgressExpiryTimestamp()
                .orElse(now.plus(target.inProgressLease()).toEpochMilli());
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, AttributeValue.fromS(record.getIdempotencyKey()));
        item.put(EXPIRATION, AttributeValue.fromN(Long.toString(record.getExpiryTimestamp())));
        item.put(STATUS, AttributeValue.fromS(record.getStatus().toString()));
        item.put(IN_PROGRESS_EXPIRATION, AttributeValue.fromN(Long.toString(leaseEnd)));
        if (payloadValidationEnabled) {
            item.put(VALIDATION, AttributeValue.fromS(record.getPayloadHash()));
        }
        try {
            target.db().putItem(b -> b.tableName(target.table()).item(item)
                    // free, expired (seconds), or in progress by an attempt whose lease ended (milliseconds)
                    .conditionExpression("attribute_not_exists(#id) OR #expiry < :nowSeconds"
                            + " OR (#status = :inProgress AND #leaseEnd < :nowMillis)")
                    .expressionAttributeNames(Map.of("#id", ID, "#expiry", EXPIRATION, "#status", STATUS,
                            "#leaseEnd", IN_PROGRESS_EXPIRATION))
                    .expressionAttributeValues(Map.of(
                            ":nowSeconds", AttributeValue.fromN(Long.toString(now.getEpochSecond())),
                            ":nowMillis", AttributeValue.fromN(Long.toString(now.toEpochMilli())),
                            ":inProgress", AttributeValue.fromS(DataRecord.Status.INPROGRESS.toString()))));
        } catch (ConditionalCheckFailedException e) {
            throw new IdempotencyItemAlreadyExistsException("an idempotency record exists for " + record.getIdempotencyKey(), e);
        }
    }

    @Override
    public void updateRecord(DataRecord record) {
        writable().powertools().updateRecord(record);
    }

    @Override
    public void deleteRecord(String idempotencyKey) {
        writable().powertools().deleteRecord(idempotencyKey);
    }

    private static Target writable() {
        Target target = current();
        if (target.dryRun()) {
            throw new IllegalStateException("a dry run reached a write of the idempotency store");
        }
        return target;
    }
}
