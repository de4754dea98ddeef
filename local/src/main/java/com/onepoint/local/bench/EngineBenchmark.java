package com.onepoint.local.bench;

import com.onepoint.engine.DynamoEngine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine alone, through the SDK's in-process client: 3-item TransactWriteItems (put a deal, update a balance on
 * a condition, check a member) per second on 1 and 2 threads, in memory and durable. Target: at least 20,000/s on
 * 2 threads in memory. Not a unit test:
 * {@code java @local/jvm.options -cp local/target/onepoint-local.jar com.onepoint.local.bench.EngineBenchmark [seconds]}.
 */
public final class EngineBenchmark {
    static final double TARGET_TWO_THREADS = 20_000;
    private static final int ACCOUNTS = 10_000;

    private EngineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        System.out.printf("engine: 3-item TransactWriteItems through the SDK (in process), %d s per run after %d s warm-up, %d cores%n",
                seconds, seconds, Runtime.getRuntime().availableProcessors());
        for (boolean durable : new boolean[]{false, true}) {
            Path dir = durable ? Files.createTempDirectory("engine-bench") : null;
            try (DynamoEngine engine = durable ? DynamoEngine.open(dir) : DynamoEngine.inMemory();
                 DynamoDbClient db = engine.dynamoDbClient()) {
                if (dir != null) {
                    dir.toFile().deleteOnExit();
                    dir.resolve("engine.mv.db").toFile().deleteOnExit();
                }
                setUp(db);
                run(db, 2, seconds); // warm-up: JIT
                for (int threads : new int[]{1, 2}) {
                    double[] result = run(db, threads, seconds);
                    String verdict = durable || threads == 1 ? "" : result[0] >= TARGET_TWO_THREADS ? "  (target >= 20,000/s: met)"
                            : "  (target >= 20,000/s: MISSED)";
                    System.out.printf("  %-9s %d thread%s: %,8.0f transactions/s, p50 %.3f ms, p99 %.3f ms%s%n",
                            durable ? "durable" : "in memory", threads, threads == 1 ? " " : "s", result[0], result[1], result[2], verdict);
                }
            }
        }
    }

    private static void setUp(DynamoDbClient db) {
        for (String table : List.of("deals", "points", "members")) {
            db.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                    .keySchema(k -> k.attributeName("id").keyType("HASH"))
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType("NEW_AND_OLD_IMAGES")));
        }
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = "m" + i;
            db.putItem(b -> b.tableName("points").item(Map.of("id", s(id), "balance", n(0))));
            db.putItem(b -> b.tableName("members").item(Map.of("id", s(id), "status", s("ACTIVE"))));
        }
    }

    /** Returns {transactions per second, p50 ms, p99 ms}. */
    private static double[] run(DynamoDbClient db, int threads, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong count = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] samples = new long[2_000_001]; // the last slot holds how many were taken
            latencies.add(samples);
            int[] n = new int[1];
            Thread w = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                    String member = "m" + random.nextInt(ACCOUNTS);
                    long started = System.nanoTime();
                    db.transactWriteItems(b -> b.clientRequestToken(UUID.randomUUID().toString()).transactItems(
                            TransactWriteItem.builder().put(p -> p.tableName("deals").item(Map.of("id", s(UUID.randomUUID().toString()),
                                    "memberId", s(member), "points", n(10))).conditionExpression("attribute_not_exists(id)")).build(),
                            TransactWriteItem.builder().update(u -> u.tableName("points").key(Map.of("id", s(member)))
                                    .updateExpression("SET balance = balance + :p").conditionExpression("balance >= :zero")
                                    .expressionAttributeValues(Map.of(":p", n(10), ":zero", n(0)))).build(),
                            TransactWriteItem.builder().conditionCheck(c -> c.tableName("members").key(Map.of("id", s(member)))
                                    .conditionExpression("#s = :active").expressionAttributeNames(Map.of("#s", "status"))
                                    .expressionAttributeValues(Map.of(":active", s("ACTIVE")))).build()));
                    if (n[0] < samples.length - 1) {
                        samples[n[0]++] = System.nanoTime() - started;
                    }
                    count.incrementAndGet();
                }
                samples[samples.length - 1] = n[0];
            });
            workers.add(w);
        }
        long start = System.nanoTime();
        workers.forEach(Thread::start);
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> all = new ArrayList<>();
        for (long[] samples : latencies) {
            int n = (int) samples[samples.length - 1];
            for (int i = 0; i < n; i++) {
                all.add(samples[i]);
            }
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new double[]{count.get() / elapsed, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6};
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }
}
