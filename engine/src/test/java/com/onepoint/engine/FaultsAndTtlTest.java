package com.onepoint.engine;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The injected faults do what a client sees from DynamoDB; the TTL sweeper deletes as the service does. */
class FaultsAndTtlTest {

    @Test
    void aCrashAfterCommitIsRetriedByTheSdkAndTheClientRequestTokenAppliesTheTransactionOnce() {
        try (DynamoEngine engine = DynamoEngine.inMemory(); DynamoDbClient db = engine.dynamoDbClient()) {
            table(db, "counters", false);
            db.putItem(b -> b.tableName("counters").item(Map.of("id", s("c"), "n", n(0))));
            engine.faults().add(Faults.Rule.of("counters", "TransactWriteItems", Faults.Kind.CRASH_AFTER_COMMIT, 1.0));
            // the first attempt commits, then answers 500; the SDK's retry carries the same token and gets the
            // first attempt's answer instead of a second increment
            db.transactWriteItems(b -> b.clientRequestToken("once").transactItems(TransactWriteItem.builder()
                    .update(u -> u.tableName("counters").key(Map.of("id", s("c")))
                            .updateExpression("SET n = n + :one").expressionAttributeValues(Map.of(":one", n(1))))
                    .build()));
            assertEquals(1, engine.faults().injected(Faults.Kind.CRASH_AFTER_COMMIT));
            engine.faults().clear();
            assertEquals("1", db.getItem(b -> b.tableName("counters").key(Map.of("id", s("c")))).item().get("n").n());
        }
    }

    @Test
    void injectedConflictsThrottlingAndLatencyAreWhatTheClientSees() {
        try (DynamoEngine engine = DynamoEngine.inMemory(); DynamoDbClient db = engine.dynamoDbClient()) {
            table(db, "tab", false);
            engine.faults().add(Faults.Rule.of("tab", "PutItem", Faults.Kind.TRANSACTION_CONFLICT, 1.0));
            assertThrows(TransactionConflictException.class,
                    () -> db.putItem(b -> b.tableName("tab").item(Map.of("id", s("a")))));
            engine.faults().clear();

            engine.faults().add(Faults.Rule.of("tab", "TransactWriteItems", Faults.Kind.TRANSACTION_CONFLICT, 1.0));
            TransactionCanceledException cancelled = assertThrows(TransactionCanceledException.class,
                    () -> db.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder()
                            .put(p -> p.tableName("tab").item(Map.of("id", s("b")))).build())));
            assertEquals("TransactionConflict", cancelled.cancellationReasons().get(0).code());
            assertNull(db.getItem(b -> b.tableName("tab").key(Map.of("id", s("b")))).item().isEmpty() ? null : "written",
                    "a cancelled transaction writes nothing");
            engine.faults().clear();

            // throttled a fifth of the time: the SDK retries (10 attempts) until it gets through, each throttle counted
            engine.faults().add(Faults.Rule.of("tab", "GetItem", Faults.Kind.THROTTLING, 0.2));
            for (int i = 0; i < 80; i++) { // none of 80 throttled at 20%: odds of 2 in 10^8
                db.getItem(b -> b.tableName("tab").key(Map.of("id", s("a"))));
            }
            assertTrue(engine.faults().injected(Faults.Kind.THROTTLING) > 0);
            engine.faults().clear();

            engine.faults().add(Faults.Rule.latency("tab", "GetItem", 50));
            long started = System.nanoTime();
            db.getItem(b -> b.tableName("tab").key(Map.of("id", s("a"))));
            assertTrue((System.nanoTime() - started) / 1_000_000 >= 50, "50 ms were added");
        }
    }

    @Test
    void theTtlSweeperDeletesExpiredItemsAsTheServiceWithARemoveRecord() {
        try (DynamoEngine engine = DynamoEngine.inMemory();
             DynamoDbClient db = engine.dynamoDbClient();
             DynamoDbStreamsClient streams = engine.streamsClient()) {
            table(db, "sessions", true);
            db.updateTimeToLive(b -> b.tableName("sessions").timeToLiveSpecification(t -> t.enabled(true).attributeName("expiresAt")));
            long now = Instant.now().getEpochSecond();
            db.putItem(b -> b.tableName("sessions").item(Map.of("id", s("old"), "expiresAt", n(now - 60))));
            db.putItem(b -> b.tableName("sessions").item(Map.of("id", s("new"), "expiresAt", n(now + 3600))));
            db.putItem(b -> b.tableName("sessions").item(Map.of("id", s("text"), "expiresAt", s("not a number"))));
            db.deleteItem(b -> b.tableName("sessions").key(Map.of("id", s("text")))); // a user's delete, for contrast

            assertEquals(1, engine.sweepExpiredItems());
            assertTrue(db.getItem(b -> b.tableName("sessions").key(Map.of("id", s("old")))).item().isEmpty());
            assertTrue(db.getItem(b -> b.tableName("sessions").key(Map.of("id", s("new")))).hasItem());

            String arn = db.describeTable(b -> b.tableName("sessions")).table().latestStreamArn();
            String shard = streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards().get(0).shardId();
            String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            List<Record> records = streams.getRecords(b -> b.shardIterator(iterator)).records();
            assertEquals(5, records.size(), "three inserts, the user's delete, the sweeper's delete");
            Record userDelete = records.get(3);
            assertEquals("REMOVE", userDelete.eventNameAsString());
            assertNull(userDelete.userIdentity(), "a user's delete carries no service identity");
            Record ttlDelete = records.get(4);
            assertEquals("REMOVE", ttlDelete.eventNameAsString());
            assertEquals("old", ttlDelete.dynamodb().keys().get("id").s());
            assertEquals("Service", ttlDelete.userIdentity().type());
            assertEquals("dynamodb.amazonaws.com", ttlDelete.userIdentity().principalId());
            assertEquals(now - 60, Long.parseLong(ttlDelete.dynamodb().oldImage().get("expiresAt").n()));
        }
    }

    private static void table(DynamoDbClient db, String name, boolean stream) {
        db.createTable(b -> {
            b.tableName(name).billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                    .keySchema(k -> k.attributeName("id").keyType("HASH"));
            if (stream) {
                b.streamSpecification(s -> s.streamEnabled(true).streamViewType("NEW_AND_OLD_IMAGES"));
            }
        });
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }
}
