package com.onepoint.billing.bench;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.onepoint.billing.BillingViewProjector;
import com.onepoint.billing.MonthlySettlement;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.streams.StreamRecords;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.Deal;
import com.onepoint.shared.domain.DealStatus;
import com.onepoint.shared.domain.DealType;
import com.onepoint.shared.domain.Merchant;
import com.onepoint.shared.domain.Rate;
import com.onepoint.shared.table.BillingTable;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.MerchantsTable;
import org.joda.time.DateTime;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.io.PrintStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds N synthetic use deals (uniform over M merchants, all in July 2026) through the real BillingViewProjector as
 * DynamodbEvent batches of 100, on the embedded engine built from template.yaml, then runs the real
 * MonthlySettlement for July and counts every item it reads. Run once per deal count on a fresh engine, so the
 * settlement's reads can be compared across deal counts over the same merchants.
 *
 * <pre>
 * mvn -B -o -q -pl functions/billing -am install -Dmaven.test.skip=true
 * mvn -B -o -q -pl functions/billing test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx6g -cp "$(cat functions/billing/target/cp.txt):functions/billing/target/classes:functions/billing/target/test-classes" \
 *   com.onepoint.billing.bench.SettlementBenchmark --deals=100000,1000000 --merchants=10000 --shards=2
 * </pre>
 * Run from the repository root (template.yaml is read from there). Handler log lines are silenced.
 */
public final class SettlementBenchmark {
    private static final Instant RUN_AT = OffsetDateTime.parse("2026-08-01T00:30:00+09:00").toInstant();
    private static final long JULY_START = OffsetDateTime.parse("2026-07-01T00:00:00+09:00").toEpochSecond();
    private static final long JULY_SECONDS = 31L * 24 * 3600;
    private static final int BATCH = 100;

    public static void main(String[] args) throws Exception {
        List<Integer> dealCounts = List.of(100_000, 1_000_000);
        int merchants = 10_000;
        int shards = 2;
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            switch (kv[0]) {
                case "deals" -> dealCounts = java.util.Arrays.stream(kv[1].split(",")).map(String::trim).map(Integer::parseInt).toList();
                case "merchants" -> merchants = Integer.parseInt(kv[1]);
                case "shards" -> shards = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException("unknown flag " + arg + " (--deals=a,b --merchants=m --shards=s)");
            }
        }
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream())); // the handlers' JSON log lines
        out.printf("deals,merchants,shards,projection_s,deals_per_s,settlement_s,merchants_settled,items_read,"
                + "read_calls,items_read_per_merchant,points_match%n");
        for (int deals : dealCounts) {
            out.println(run(deals, merchants, shards, out));
        }
        System.exit(0); // whatever threads a library left behind end with the JVM
    }

    private static String run(int deals, int merchants, int shards, PrintStream out) throws Exception {
        SamTemplate template = SamTemplate.load(Path.of("template.yaml"));
        try (LocalDynamo dynamo = LocalDynamo.start(template)) {
            Clock clock = Clock.fixed(RUN_AT, ZoneOffset.UTC);
            Env viewEnv = new Env(template.functionEnvironment("BillingViewFunction", dynamo));
            Env monthlyEnv = new Env(template.functionEnvironment("MonthlySettlementFunction", dynamo));
            seedMerchants(dynamo.client(), monthlyEnv.require(MerchantsTable.ENV), merchants);
            // real clock for the markers' TTL: a past date would let the engine's TTL sweeper delete them
            BillingViewProjector projector = new BillingViewProjector(viewEnv, dynamo.client(), Clock.systemUTC());

            // phase 1: the deals stream, as `shards` concurrent shard consumers each taking batches of 100
            AtomicLong expectedPoints = new AtomicLong();
            AtomicLong done = new AtomicLong();
            int batches = (deals + BATCH - 1) / BATCH;
            long projectionStarted = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(shards);
            List<Future<?>> consumers = new ArrayList<>();
            for (int s = 0; s < shards; s++) {
                int shard = s;
                consumers.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(42 + shard);
                    AtomicLong sequence = new AtomicLong((shard + 1) * 1_000_000_000_000L);
                    for (int b = shard; b < batches; b += shards) {
                        int size = Math.min(BATCH, deals - b * BATCH);
                        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>(size);
                        for (int i = 0; i < size; i++) {
                            long points = 1 + random.nextInt(1000);
                            expectedPoints.addAndGet(points);
                            records.add(insert(merchantId(random.nextInt(merchants)), points,
                                    Instant.ofEpochSecond(JULY_START + random.nextLong(JULY_SECONDS)), sequence.incrementAndGet()));
                        }
                        DynamodbEvent event = new DynamodbEvent();
                        event.setRecords(records);
                        StreamsEventResponse response = projector.handleRequest(event, null);
                        if (!response.getBatchItemFailures().isEmpty()) {
                            throw new IllegalStateException("batch " + b + " reported failures " + response.getBatchItemFailures());
                        }
                        long total = done.addAndGet(size);
                        if (total % (deals / 10 == 0 ? deals : deals / 10) < size) {
                            out.printf("  projected %,d / %,d deals in %.0f s%n", total, deals, seconds(projectionStarted));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : consumers) {
                f.get();
            }
            pool.shutdown();
            double projection = seconds(projectionStarted);

            // phase 2: the monthly run for July, reads counted
            ReadCounter counter = new ReadCounter();
            MonthlySettlement monthly = new MonthlySettlement(monthlyEnv, counter.wrap(dynamo.client()), clock);
            long started = System.nanoTime();
            Map<String, Object> summary = monthly.handleRequest(new ScheduledEvent().withTime(new DateTime(RUN_AT.toEpochMilli()))
                    .withDetail(Map.of()), null);
            double settlement = seconds(started);

            long settledPoints = sumSettledPoints(dynamo.client(), monthlyEnv.require(BillingTable.ENV));
            int settled = (Integer) summary.get("settled");
            return String.format("%d,%d,%d,%.1f,%.0f,%.1f,%d,%d,%d,%.2f,%s", deals, merchants, shards, projection,
                    deals / projection, settlement, settled, counter.items.get(), counter.calls.get(),
                    (double) counter.items.get() / Math.max(1, settled), settledPoints == expectedPoints.get());
        }
    }

    static String merchantId(int i) {
        return String.format("m%05d", i);
    }

    private static DynamodbEvent.DynamodbStreamRecord insert(String merchantId, long points, Instant occurredAt, long seq) {
        Deal deal = Deal.recorded(UUID.randomUUID().toString(), "member", merchantId, DealType.USE, points * 100, points,
                DealStatus.SUCCESS, null, occurredAt, occurredAt);
        Map<String, AttributeValue> image = DealsTable.SCHEMA.itemToMap(deal, true);
        StreamRecord sr = new StreamRecord();
        sr.setKeys(StreamRecords.toLambda(Map.of(DealsTable.DEAL_ID, image.get(DealsTable.DEAL_ID))));
        sr.setNewImage(StreamRecords.toLambda(image));
        sr.setSequenceNumber(String.format("%021d", seq));
        sr.setStreamViewType(StreamViewType.NEW_AND_OLD_IMAGES);
        DynamodbEvent.DynamodbStreamRecord r = new DynamodbEvent.DynamodbStreamRecord();
        r.setEventName("INSERT");
        r.setEventSource("aws:dynamodb");
        r.setDynamodb(sr);
        return r;
    }

    private static void seedMerchants(DynamoDbClient db, String table, int merchants) {
        List<WriteRequest> pending = new ArrayList<>();
        for (int i = 0; i < merchants; i++) {
            Map<String, AttributeValue> item = MerchantsTable.SCHEMA.itemToMap(new Merchant(merchantId(i), "Merchant " + i,
                    Rate.DEFAULT_EARN, Rate.DEFAULT_SETTLEMENT, RUN_AT, "0".repeat(64), null), true);
            pending.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            if (pending.size() == 25 || i == merchants - 1) {
                List<WriteRequest> chunk = List.copyOf(pending);
                Map<String, List<WriteRequest>> left = db.batchWriteItem(b -> b.requestItems(Map.of(table, chunk))).unprocessedItems();
                if (left != null && !left.isEmpty()) {
                    throw new IllegalStateException("the engine left merchants unwritten");
                }
                pending.clear();
            }
        }
    }

    private static long sumSettledPoints(DynamoDbClient db, String table) {
        long sum = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = db.scan(b -> b.tableName(table).exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                sum += BillingTable.settlementOf(item).map(BillingTable.Settlement::usedPoints).orElse(0L);
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return sum;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Counts the items DynamoDB returns to the wrapped client: GetItem (0 or 1), Query and Scan (their items). */
    static final class ReadCounter {
        final AtomicLong items = new AtomicLong();
        final AtomicLong calls = new AtomicLong();

        DynamoDbClient wrap(DynamoDbClient real) {
            return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                    new Class<?>[]{DynamoDbClient.class}, (proxy, method, args) -> {
                        Object result;
                        try {
                            result = method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (result instanceof GetItemResponse r) {
                            calls.incrementAndGet();
                            items.addAndGet(r.hasItem() && !r.item().isEmpty() ? 1 : 0);
                        } else if (result instanceof QueryResponse r) {
                            calls.incrementAndGet();
                            items.addAndGet(r.count());
                        } else if (result instanceof software.amazon.awssdk.services.dynamodb.model.ScanResponse r) {
                            calls.incrementAndGet();
                            items.addAndGet(r.count());
                        }
                        return result;
                    });
        }
    }
}
