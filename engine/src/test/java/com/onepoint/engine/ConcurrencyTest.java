package com.onepoint.engine;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 8 threads × 10,000 conditional transactions (credits, guarded debits, transfers) over 100 accounts, through the
 * SDK: no balance goes negative, the balances add up to what the committed transactions moved, and the stream holds
 * each committed change of an account exactly once, in order (each record's old image is the previous new image).
 * Both engines: in memory, and durable, where each write waits for the log's group commit under its item locks, and
 * where a reopened engine must hold the same balances.
 */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int TRANSACTIONS_PER_THREAD = 10_000;
    private static final int ACCOUNTS = 100;
    private static final long OPENING_BALANCE = 1_000;

    @TempDir
    java.nio.file.Path dataDir;

    private DynamoEngine engine(boolean durable) {
        return durable ? DynamoEngine.open(dataDir) : DynamoEngine.inMemory();
    }

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void conditionalTransactionsNeverOverdrawAndStreamEveryCommitOnceInOrder(boolean durable) throws Exception {
        Map<String, Long> balances = new HashMap<>();
        try (DynamoEngine engine = engine(durable);
             DynamoDbClient db = engine.dynamoDbClient();
             DynamoDbStreamsClient streams = engine.streamsClient()) {
            db.createTable(b -> b.tableName("accounts").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                    .keySchema(k -> k.attributeName("id").keyType("HASH"))
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType("NEW_AND_OLD_IMAGES")));
            for (int i = 0; i < ACCOUNTS; i++) {
                String id = account(i);
                db.putItem(b -> b.tableName("accounts").item(Map.of("id", s(id), "balance", n(OPENING_BALANCE))));
            }
            AtomicLong credited = new AtomicLong();
            AtomicLong debited = new AtomicLong();
            AtomicLong committed = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            AtomicLong conflicts = new AtomicLong();
            Map<String, AtomicLong> writesPerAccount = new java.util.concurrent.ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < TRANSACTIONS_PER_THREAD; i++) {
                        String from = account(random.nextInt(ACCOUNTS));
                        String to = account(random.nextInt(ACCOUNTS));
                        long amount = 1 + random.nextInt(300);
                        int kind = random.nextInt(3);
                        List<TransactWriteItem> items = new ArrayList<>();
                        if (kind == 0) {
                            items.add(credit(to, amount));
                        } else if (kind == 1 || from.equals(to)) {
                            items.add(debit(from, amount));
                        } else {
                            items.add(debit(from, amount));
                            items.add(credit(to, amount));
                        }
                        while (true) {
                            try {
                                db.transactWriteItems(b -> b.transactItems(items).clientRequestToken(UUID.randomUUID().toString()));
                                committed.incrementAndGet();
                                if (kind == 0) {
                                    credited.addAndGet(amount);
                                    writesPerAccount.computeIfAbsent(to, k -> new AtomicLong()).incrementAndGet();
                                } else if (kind == 1 || from.equals(to)) {
                                    debited.addAndGet(amount);
                                    writesPerAccount.computeIfAbsent(from, k -> new AtomicLong()).incrementAndGet();
                                } else {
                                    writesPerAccount.computeIfAbsent(from, k -> new AtomicLong()).incrementAndGet();
                                    writesPerAccount.computeIfAbsent(to, k -> new AtomicLong()).incrementAndGet();
                                }
                                break;
                            } catch (TransactionCanceledException e) {
                                if (e.cancellationReasons().stream().map(CancellationReason::code).anyMatch("TransactionConflict"::equals)) {
                                    conflicts.incrementAndGet();
                                    continue;
                                }
                                refused.incrementAndGet(); // the debit's balance condition held: nothing was written
                                break;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();

            long total = 0;
            for (Map<String, AttributeValue> item : db.scan(b -> b.tableName("accounts")).items()) {
                long balance = Long.parseLong(item.get("balance").n());
                assertTrue(balance >= 0, "balance of " + item.get("id").s() + " went negative: " + balance);
                balances.put(item.get("id").s(), balance);
                total += balance;
            }
            assertEquals(ACCOUNTS, balances.size());
            assertEquals(ACCOUNTS * OPENING_BALANCE + credited.get() - debited.get(), total,
                    "Σ balances = Σ opening + Σ credits − Σ debits");
            assertEquals((long) THREADS * TRANSACTIONS_PER_THREAD, committed.get() + refused.get());
            assertTrue(refused.get() > 0, "some debits must have been refused for the test to mean anything");

            Map<String, List<Record>> byAccount = readStream(engine, streams);
            for (int i = 0; i < ACCOUNTS; i++) {
                String id = account(i);
                List<Record> records = byAccount.getOrDefault(id, List.of());
                long expected = 1 + writesPerAccount.getOrDefault(id, new AtomicLong()).get(); // the opening put, then each commit
                assertEquals(expected, records.size(), "stream records of " + id);
                assertEquals("INSERT", records.get(0).eventNameAsString());
                assertTrue(records.get(0).dynamodb().oldImage().isEmpty(), id + ": the opening put has no old image");
                for (int r = 1; r < records.size(); r++) {
                    assertEquals(records.get(r - 1).dynamodb().newImage(), records.get(r).dynamodb().oldImage(),
                            id + ": record " + r + " must follow record " + (r - 1));
                }
                assertEquals(balances.get(id), Long.parseLong(records.get(records.size() - 1).dynamodb().newImage().get("balance").n()));
            }
            assertEquals(0, engine.lockedItems(), "no lock is left behind");
            System.out.printf("concurrency (%s): %d committed, %d refused by condition, %d conflicts retried%n",
                    durable ? "durable" : "in memory", committed.get(), refused.get(), conflicts.get());
        }
        if (durable) {
            try (DynamoEngine reopened = DynamoEngine.open(dataDir); DynamoDbClient db = reopened.dynamoDbClient()) {
                Map<String, Long> after = new HashMap<>();
                for (Map<String, AttributeValue> item : db.scan(b -> b.tableName("accounts")).items()) {
                    after.put(item.get("id").s(), Long.parseLong(item.get("balance").n()));
                }
                assertEquals(balances, after, "a reopened engine holds every balance as it was");
            }
        }
    }

    /**
     * DynamoDB serializes single-item writes of one item; only a transaction in progress makes one fail with
     * TransactionConflict. 16 threads each hold the item's lock as long as they can (a long condition evaluated on
     * a big item): every write is answered with success or its condition's failure, none with a conflict.
     */
    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void singleItemWritesOfOneItemWaitTheirTurnInsteadOfConflicting(boolean durable) throws Exception {
        try (DynamoEngine engine = engine(durable);
             DynamoDbClient db = engine.dynamoDbClient()) {
            db.createTable(b -> b.tableName("keys").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                    .keySchema(k -> k.attributeName("id").keyType("HASH")));
            int threads = 16;
            int writesPerThread = 300;
            AtomicLong created = new AtomicLong();
            AtomicLong updated = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < writesPerThread; i++) {
                        try {
                            // what an idempotency layer does: claim the key once, then every retry sees it taken
                            db.putItem(b -> b.tableName("keys").item(Map.of("id", s("k"), "n", n(0)))
                                    .conditionExpression("attribute_not_exists(id)"));
                            created.incrementAndGet();
                        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
                            db.updateItem(b -> b.tableName("keys").key(Map.of("id", s("k")))
                                    .updateExpression("SET n = n + :one").expressionAttributeValues(Map.of(":one", n(1))));
                            updated.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(); // a TransactionConflictException from any write fails the test here
            }
            pool.shutdown();
            assertEquals(1, created.get());
            assertEquals(threads * writesPerThread - 1, updated.get());
            assertEquals(String.valueOf(updated.get()),
                    db.getItem(b -> b.tableName("keys").key(Map.of("id", s("k"))).consistentRead(true)).item().get("n").n());
        }
    }

    private static Map<String, List<Record>> readStream(DynamoEngine engine, DynamoDbStreamsClient streams) {
        String arn = streams.listStreams(b -> b.tableName("accounts")).streams().get(0).streamArn();
        String shard = streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards().get(0).shardId();
        String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        Map<String, List<Record>> byAccount = new HashMap<>();
        String previousSequence = null;
        while (true) {
            String it = iterator;
            var page = streams.getRecords(b -> b.shardIterator(it).limit(1000));
            if (page.records().isEmpty()) {
                return byAccount;
            }
            for (Record r : page.records()) {
                if (previousSequence != null) {
                    assertTrue(new java.math.BigInteger(r.dynamodb().sequenceNumber()).compareTo(new java.math.BigInteger(previousSequence)) > 0,
                            "sequence numbers increase");
                }
                previousSequence = r.dynamodb().sequenceNumber();
                byAccount.computeIfAbsent(r.dynamodb().keys().get("id").s(), k -> new ArrayList<>()).add(r);
            }
            iterator = page.nextShardIterator();
        }
    }

    private static TransactWriteItem credit(String id, long amount) {
        return TransactWriteItem.builder().update(u -> u.tableName("accounts").key(Map.of("id", s(id)))
                .updateExpression("SET balance = balance + :a").conditionExpression("attribute_exists(id)")
                .expressionAttributeValues(Map.of(":a", n(amount)))).build();
    }

    private static TransactWriteItem debit(String id, long amount) {
        return TransactWriteItem.builder().update(u -> u.tableName("accounts").key(Map.of("id", s(id)))
                .updateExpression("SET balance = balance - :a").conditionExpression("balance >= :a")
                .expressionAttributeValues(Map.of(":a", n(amount)))).build();
    }

    private static String account(int i) {
        return String.format("acct-%03d", i);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }
}
