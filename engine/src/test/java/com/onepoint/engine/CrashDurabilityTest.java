package com.onepoint.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A durable engine killed with SIGKILL in the middle of a stream of transactions: every transaction it acknowledged
 * is there after a restart, no transaction is there by half, and the stream holds each surviving write once. It is
 * killed after checkpoints have run (more than {@link #KILL_NOT_BEFORE_MILLIS}), so the restart takes the last
 * checkpoint and replays the log written since.
 */
class CrashDurabilityTest {
    private static final int KILL_AFTER = Integer.getInteger("crash.killAfter", 3000);
    /** The engine cuts a checkpoint once a second. */
    private static final long KILL_NOT_BEFORE_MILLIS = 2_500;

    @Test
    void everyAcknowledgedTransactionSurvivesKillMinus9AndNoneIsHalfApplied(@TempDir Path dir) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Writer.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        List<String> acknowledged = new ArrayList<>();
        long started = 0;
        long logBytesAtKill = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = readLine(out, acknowledged)) != null) {
                if (line.startsWith("ack ")) {
                    acknowledged.add(line.substring(4));
                    if (started == 0) {
                        started = System.nanoTime();
                    }
                    if (logBytesAtKill < 0 && acknowledged.size() >= KILL_AFTER
                            && System.nanoTime() - started > KILL_NOT_BEFORE_MILLIS * 1_000_000) {
                        child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no final checkpoint
                        child.waitFor(10, TimeUnit.SECONDS);
                        logBytesAtKill = logBytes(dir);
                    }
                } else if (!line.isBlank()) {
                    System.out.println("writer: " + line);
                }
            }
        }
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertTrue(acknowledged.size() >= KILL_AFTER, "the writer acknowledged " + acknowledged.size());
        assertTrue(logBytesAtKill > 0, "the kill left log records after the last checkpoint to replay");

        try (DynamoEngine engine = DynamoEngine.open(dir);
             DynamoDbClient db = engine.dynamoDbClient();
             DynamoDbStreamsClient streams = engine.streamsClient()) {
            Set<String> orders = new HashSet<>();
            db.scanPaginator(b -> b.tableName("orders")).items().forEach(i -> orders.add(i.get("id").s()));
            Set<String> receipts = new HashSet<>();
            db.scanPaginator(b -> b.tableName("receipts")).items().forEach(i -> receipts.add(i.get("id").s()));
            for (String id : acknowledged) {
                assertTrue(orders.contains(id), "acknowledged order " + id + " is missing after the crash");
            }
            assertEquals(orders, receipts, "each transaction wrote an order and its receipt: both or neither");

            String arn = db.describeTable(b -> b.tableName("orders")).table().latestStreamArn();
            String shard = streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards().get(0).shardId();
            String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            List<String> streamed = new ArrayList<>();
            while (true) {
                String it = iterator;
                var page = streams.getRecords(b -> b.shardIterator(it));
                if (page.records().isEmpty()) {
                    break;
                }
                for (Record r : page.records()) {
                    streamed.add(r.dynamodb().keys().get("id").s());
                }
                iterator = page.nextShardIterator();
            }
            assertEquals(orders, new HashSet<>(streamed), "the stream holds exactly the surviving orders");
            assertEquals(streamed.size(), new HashSet<>(streamed).size(), "each once");

            // the restarted engine keeps numbering after the records it holds
            db.putItem(b -> b.tableName("orders").item(Map.of("id", AttributeValue.builder().s("after-restart").build())));
            String it = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            long records = 0;
            String last = null;
            while (true) {
                String cur = it;
                var page = streams.getRecords(b -> b.shardIterator(cur));
                if (page.records().isEmpty()) {
                    break;
                }
                records += page.records().size();
                last = page.records().get(page.records().size() - 1).dynamodb().keys().get("id").s();
                it = page.nextShardIterator();
            }
            assertEquals(streamed.size() + 1, records);
            assertEquals("after-restart", last);
            System.out.printf("crash: %d acknowledged before SIGKILL, %d orders on disk after, %d bytes of log replayed%n",
                    acknowledged.size(), orders.size(), logBytesAtKill);
        }
    }

    private static long logBytes(Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".wal")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** The next line, or null at the end; once the child is killed its pipe is closed under the reader. */
    private static String readLine(BufferedReader out, List<String> acknowledged) throws java.io.IOException {
        try {
            return out.readLine();
        } catch (java.io.IOException e) {
            if (acknowledged.size() < KILL_AFTER) { // killed before the test meant to
                throw e;
            }
            return null;
        }
    }

    /** The child: a durable engine writing an order and its receipt per transaction, printing each acknowledged one. */
    public static final class Writer {
        public static void main(String[] args) {
            DynamoEngine engine = DynamoEngine.open(Path.of(args[0]));
            DynamoDbClient db = engine.dynamoDbClient();
            for (String table : List.of("orders", "receipts")) {
                db.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                        .keySchema(k -> k.attributeName("id").keyType("HASH"))
                        .streamSpecification(s -> s.streamEnabled(true).streamViewType("NEW_IMAGE")));
            }
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                Thread w = new Thread(() -> {
                    for (int i = 0; ; i++) {
                        String id = "o-" + thread + "-" + i;
                        Map<String, AttributeValue> item = Map.of("id", AttributeValue.builder().s(id).build());
                        db.transactWriteItems(b -> b.transactItems(
                                TransactWriteItem.builder().put(p -> p.tableName("orders").item(item)
                                        .conditionExpression("attribute_not_exists(id)")).build(),
                                TransactWriteItem.builder().put(p -> p.tableName("receipts").item(item)).build()));
                        synchronized (System.out) {
                            System.out.println("ack " + id);
                            System.out.flush();
                        }
                    }
                });
                w.start();
                threads.add(w);
            }
            for (Thread w : threads) {
                try {
                    w.join();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
