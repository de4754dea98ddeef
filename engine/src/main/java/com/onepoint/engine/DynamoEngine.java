package com.onepoint.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.onepoint.engine.http.EngineHttpClient;
import com.onepoint.engine.store.EngineStore;
import com.onepoint.engine.store.ItemLocks;
import org.h2.mvstore.MVMap;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * OnePoint's embedded DynamoDB: tables, items, indexes, transactions and streams on one {@link EngineStore}, answering
 * the DynamoDB and DynamoDB Streams JSON 1.0 operations ({@link #call}). Reach it through {@link #dynamoDbClient()}
 * (in process, no port), {@link EngineHttpClient} for a client of your own, or
 * {@link com.onepoint.engine.http.EngineServer} on a loopback port. See the module README.
 */
public final class DynamoEngine implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENDPOINT = "http://dynamodb.engine.internal";
    private static final software.amazon.awssdk.retries.api.RetryStrategy LOCAL_RETRIES =
            software.amazon.awssdk.awscore.retry.AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(10)
                    .backoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.exponentialDelay(
                            Duration.ofMillis(2), Duration.ofMillis(100)))
                    .throttlingBackoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.exponentialDelay(
                            Duration.ofMillis(2), Duration.ofMillis(100)))
                    .circuitBreakerEnabled(false)
                    .build();

    /** Where and how the engine runs. {@code dataDir} null keeps everything in memory. */
    public record Options(Path dataDir, String region, String accountId, Clock clock, Duration ttlSweepInterval) {
        public static Options inMemory() {
            return new Options(null, "us-east-1", "000000000000", Clock.systemUTC(), Duration.ofSeconds(30));
        }

        public static Options durable(Path dataDir) {
            return inMemory().withDataDir(dataDir);
        }

        public Options withDataDir(Path dir) {
            return new Options(dir, region, accountId, clock, ttlSweepInterval);
        }

        public Options withRegion(String r) {
            return new Options(dataDir, r, accountId, clock, ttlSweepInterval);
        }

        public Options withAccountId(String a) {
            return new Options(dataDir, region, a, clock, ttlSweepInterval);
        }

        public Options withClock(Clock c) {
            return new Options(dataDir, region, accountId, c, ttlSweepInterval);
        }

        public Options withTtlSweepInterval(Duration d) {
            return new Options(dataDir, region, accountId, clock, d);
        }
    }

    final Options options;
    final EngineStore store;
    final ItemLocks locks = new ItemLocks();
    final Faults faults = new Faults();
    private final CapacityMeter meter = new CapacityMeter();
    final Map<String, Table> tables = new ConcurrentSkipListMap<>();
    final MVMap<String, String> tableMeta;
    final TableOperations tableOps;
    final ItemOperations itemOps;
    final ReadOperations readOps;
    final TransactOperations transactOps;
    final StreamOperations streamOps;
    private final Housekeeping housekeeping;
    private final Map<String, DurableMap> durableMaps = new ConcurrentHashMap<>();

    private DynamoEngine(Options options) {
        this.options = options;
        this.store = options.dataDir() == null ? EngineStore.inMemory() : EngineStore.open(options.dataDir());
        this.tableMeta = store.meta("tables");
        this.tableOps = new TableOperations(this);
        this.itemOps = new ItemOperations(this);
        this.readOps = new ReadOperations(this);
        this.transactOps = new TransactOperations(this);
        this.streamOps = new StreamOperations(this);
        tableOps.reopenAll();
        this.housekeeping = new Housekeeping(this);
    }

    public static DynamoEngine inMemory() {
        return start(Options.inMemory());
    }

    /** Opens (or creates) a durable engine in {@code dataDir}; everything acknowledged before is there again. */
    public static DynamoEngine open(Path dataDir) {
        return start(Options.durable(dataDir));
    }

    public static DynamoEngine start(Options options) {
        return new DynamoEngine(options);
    }

    public boolean durable() {
        return store.durable();
    }

    public Faults faults() {
        return faults;
    }

    public Options options() {
        return options;
    }

    /**
     * Runs one operation, e.g. {@code call("PutItem", body)}; throws {@link DynamoException} as DynamoDB answers an
     * error. Stream operations ({@code GetRecords}, ...) share the namespace: no name is in both APIs.
     */
    public JsonNode call(String operation, JsonNode body) {
        if (meter.meters(operation) && body != null && body.isObject()) {
            return meter.metered(operation, body, b -> dispatch(operation, b));
        }
        return dispatch(operation, body);
    }

    /** Tallies every call's capacity once enabled (cost models). */
    public CapacityMeter meter() {
        return meter;
    }

    private JsonNode dispatch(String operation, JsonNode body) {
        Request r = new Request(body);
        switch (operation) {
            case "CreateTable": return tableOps.create(r);
            case "DescribeTable": return tableOps.describe(r);
            case "ListTables": return tableOps.list(r);
            case "DeleteTable": return tableOps.delete(r);
            case "UpdateTimeToLive": return tableOps.updateTimeToLive(r);
            case "DescribeTimeToLive": return tableOps.describeTimeToLive(r);
            case "PutItem": return itemOps.put(r);
            case "GetItem": return itemOps.get(r);
            case "UpdateItem": return itemOps.update(r);
            case "DeleteItem": return itemOps.delete(r);
            case "BatchGetItem": return itemOps.batchGet(r);
            case "BatchWriteItem": return itemOps.batchWrite(r);
            case "Query": return readOps.query(r);
            case "Scan": return readOps.scan(r);
            case "TransactWriteItems": return transactOps.write(r);
            case "TransactGetItems": return transactOps.get(r);
            case "ListStreams": return streamOps.listStreams(r);
            case "DescribeStream": return streamOps.describeStream(r);
            case "GetShardIterator": return streamOps.getShardIterator(r);
            case "GetRecords": return streamOps.getRecords(r);
            case "DescribeLimits": return tableOps.describeLimits();
            case "DescribeEndpoints": return tableOps.describeEndpoints();
            default:
                throw new DynamoException(DynamoException.UNKNOWN_OPERATION, "An unknown operation was requested.");
        }
    }

    /**
     * A DynamoDB client wired to this engine in process: no port, no signing. It retries what the SDK's standard
     * strategy retries, up to 10 attempts, but after milliseconds: the only throttling here is injected by a test.
     */
    public DynamoDbClient dynamoDbClient() {
        return inProcess(DynamoDbClient.builder().endpointProvider(params -> IN_PROCESS_ENDPOINT));
    }

    /** A DynamoDB Streams client wired to this engine in process, like {@link #dynamoDbClient()}. */
    public DynamoDbStreamsClient streamsClient() {
        return inProcess(DynamoDbStreamsClient.builder().endpointProvider(params -> IN_PROCESS_ENDPOINT));
    }

    /** The SDK's endpoint rules would only rediscover the override, on every call. */
    private static final CompletableFuture<Endpoint> IN_PROCESS_ENDPOINT =
            CompletableFuture.completedFuture(Endpoint.builder().url(URI.create(ENDPOINT)).build());

    private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> C inProcess(B builder) {
        return builder.overrideConfiguration(c -> c.retryStrategy(LOCAL_RETRIES))
                .httpClient(new EngineHttpClient(this))
                .endpointOverride(URI.create(ENDPOINT))
                .region(Region.of(options.region()))
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .build();
    }

    /**
     * A small string map kept in the engine's store, for state that must survive a restart with the data (stream
     * pollers' positions). A put returns once durable, like a write.
     */
    public Map<String, String> durableMap(String name) {
        return durableMaps.computeIfAbsent(name, n -> new DurableMap(store, store.meta("user." + n)));
    }

    /** Runs the TTL sweep now (tests; otherwise it runs every {@code ttlSweepInterval}). Returns items deleted. */
    public int sweepExpiredItems() {
        return housekeeping.sweepTtl();
    }

    /** Stream records held, per table (tests and benchmarks). */
    public Map<String, Long> streamRecordCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        tables.forEach((name, t) -> {
            if (t.stream != null) {
                counts.put(name, t.stream.size());
            }
        });
        return counts;
    }

    /** Items locked right now; 0 when the engine is idle (tests: nothing is left locked). */
    public int lockedItems() {
        return locks.size();
    }

    Table table(String name) {
        if (name == null) {
            throw DynamoException.validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
        }
        Table t = tables.get(name);
        if (t == null) {
            // no table has an invalid name, so checking it only here costs the found path nothing
            TableOperations.checkName(name, "tableName");
            throw DynamoException.notFound("Requested resource not found");
        }
        return t;
    }

    Table tableByStreamArn(String arn) {
        for (Table t : tables.values()) {
            if (t.stream != null && t.stream.arn().equals(arn)) {
                return t;
            }
        }
        throw DynamoException.notFound("Requested resource not found: Stream: " + arn + " not found");
    }

    long now() {
        return options.clock().millis();
    }

    String tableArn(String table) {
        return "arn:aws:dynamodb:" + options.region() + ":" + options.accountId() + ":table/" + table;
    }

    List<ItemLocks.LockKey> lockKeys(List<ItemLocks.LockKey> keys) {
        return keys.stream().sorted().toList();
    }

    @Override
    public void close() {
        housekeeping.close();
        store.close();
    }
}
