package com.onepoint.devkit.streams;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.onepoint.devkit.BatchItemFailures;
import com.onepoint.devkit.FunctionInvoker;
import com.onepoint.devkit.PollingThread;
import com.onepoint.devkit.Props;
import com.onepoint.devkit.RecordFilter;
import com.onepoint.devkit.UnsupportedTemplateException;
import com.onepoint.devkit.sqs.LocalSqs;
import com.onepoint.devkit.json.Json;
import com.onepoint.shared.log.JsonLog;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The event source mapping of a function's {@code DynamoDB} event: reads every shard of the table's stream in
 * order (a child shard after its parent), hands the function {@link DynamodbEvent} batches, and on failure does what
 * Lambda does: retries from the first failed sequence number reported in {@code batchItemFailures}
 * (ReportBatchItemFailures), splits the batch in two on a function error (BisectBatchOnFunctionError; a split is
 * not a retry), and after MaximumRetryAttempts sends the batch's metadata — shard, sequence numbers, stream ARN, not
 * the data — to the OnFailure queue, then moves on. -1 retries means retry until it succeeds (AWS: until the record
 * expires), blocking the shard as in AWS.
 */
public final class StreamPoller extends PollingThread {
    public static final String EVENT_TYPE = "DynamoDB";
    public static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /**
     * An idle poller backs off from {@link #POLL_INTERVAL} to this: seven idle pollers at 5 polls a second are CPU
     * spent on nothing, and a record on a quiet stream still reaches its function within a second.
     */
    public static final Duration IDLE_POLL_INTERVAL = Duration.ofSeconds(1);
    /** GetRecords' largest page; records beyond a batch wait in the buffer, so a backlog costs fewer GetRecords. */
    private static final int PAGE = 1000;
    private static final Duration SHARD_REFRESH = Duration.ofSeconds(1);
    private static final Set<String> SUPPORTED = Set.of("Stream", "StartingPosition", "BatchSize",
            "MaximumBatchingWindowInSeconds", "BisectBatchOnFunctionError", "MaximumRetryAttempts",
            "FunctionResponseTypes", "DestinationConfig", "FilterCriteria", "Enabled", "MaximumRecordAgeInSeconds");
    /** Per-shard concurrency only changes throughput (order per item is kept either way); the rest is AWS plumbing. */
    private static final Set<String> AWS_ONLY = Set.of("ParallelizationFactor", "KmsKeyArn", "MetricsConfig");
    private static final JsonLog LOG = JsonLog.of(StreamPoller.class);

    /** What the template says about one DynamoDB event source. */
    public record Config(String streamArn, boolean latest, int batchSize, Duration batchingWindow, boolean bisect,
                         int maximumRetryAttempts, boolean reportBatchItemFailures, String onFailureQueueUrl,
                         RecordFilter filter, boolean enabled) {
        public String describe() {
            String table = streamArn.replaceAll(".*:table/([^/]+)/stream/.*", "$1");
            return "DynamoDB stream of " + table + " (" + (latest ? "LATEST" : "TRIM_HORIZON") + ", batch " + batchSize
                    + (bisect ? ", bisect" : "") + ", retries " + (maximumRetryAttempts < 0 ? "unlimited" : maximumRetryAttempts)
                    + (reportBatchItemFailures ? ", partial batch failures" : "")
                    + (onFailureQueueUrl != null ? ", on failure to " + onFailureQueueUrl.substring(onFailureQueueUrl.lastIndexOf('/') + 1) : "")
                    + (filter.size() > 0 ? ", " + filter.size() + " filter(s)" : "")
                    + (enabled ? "" : ", disabled") + ")";
        }
    }

    /** Reads a {@code DynamoDB} event's resolved Properties; every property is honoured or rejected. */
    public static Config config(Props props, LocalSqs sqs) {
        props.only(SUPPORTED, AWS_ONLY);
        String stream = props.required("Stream");
        String position = props.required("StartingPosition");
        if (!position.equals("TRIM_HORIZON") && !position.equals("LATEST")) {
            throw new UnsupportedTemplateException(props.where("StartingPosition"), "must be TRIM_HORIZON or LATEST for DynamoDB");
        }
        int batchSize = props.integer("BatchSize", 100);
        if (batchSize < 1 || batchSize > 10_000) {
            throw new UnsupportedTemplateException(props.where("BatchSize"), "must be 1..10000, got " + batchSize);
        }
        int retries = props.integer("MaximumRetryAttempts", -1);
        if (retries < -1 || retries > 10_000) {
            throw new UnsupportedTemplateException(props.where("MaximumRetryAttempts"), "must be -1..10000, got " + retries);
        }
        if (props.integer("MaximumRecordAgeInSeconds", -1) != -1) {
            throw new UnsupportedTemplateException(props.where("MaximumRecordAgeInSeconds"),
                    "only -1 (no limit) is supported locally");
        }
        List<String> types = props.strings("FunctionResponseTypes");
        for (String t : types) {
            if (!t.equals("ReportBatchItemFailures")) {
                throw new UnsupportedTemplateException(props.where("FunctionResponseTypes"), "unknown response type " + t);
            }
        }
        return new Config(stream, position.equals("LATEST"), batchSize,
                Duration.ofSeconds(props.integer("MaximumBatchingWindowInSeconds", 0)),
                props.bool("BisectBatchOnFunctionError", false), retries, !types.isEmpty(), onFailure(props, sqs),
                props.has("FilterCriteria") ? RecordFilter.of(props.props("FilterCriteria")) : RecordFilter.all(),
                props.bool("Enabled", true));
    }

    private static String onFailure(Props props, LocalSqs sqs) {
        Props destination = props.props("DestinationConfig").only(Set.of("OnFailure"), Set.of());
        if (!destination.has("OnFailure")) {
            return null;
        }
        Props onFailure = destination.props("OnFailure").only(Set.of("Destination", "Type"), Set.of());
        if (onFailure.has("Type") && !onFailure.string("Type").equals("SQS")) {
            throw new UnsupportedTemplateException(onFailure.where("Type"), "only SQS destinations are supported locally");
        }
        String arn = onFailure.required("Destination");
        if (!sqs.has(arn)) {
            throw new UnsupportedTemplateException(onFailure.where("Destination"), arn + " is not a queue of this template");
        }
        return sqs.urlOf(arn);
    }

    /** Read position in one shard. */
    private static final class Shard {
        final String id;
        final String parentId;
        final boolean existedAtStart;
        String iterator;
        String lastFetched;
        boolean drained;
        final List<Record> buffer = new ArrayList<>();
        long bufferedSince;

        Shard(String id, String parentId, boolean existedAtStart) {
            this.id = id;
            this.parentId = parentId;
            this.existedAtStart = existedAtStart;
        }
    }

    /** How one invocation went: success, a function error, or a failure from record {@code failedFrom} on. */
    private record Outcome(boolean success, boolean functionError, int failedFrom, String error) {
    }

    private final String functionId;
    private final String functionArn;
    private final Config config;
    private final DynamoDbStreamsClient streams;
    private final SqsClient sqs;
    private final FunctionInvoker invoker;
    private final Clock clock;
    private final Map<String, String> positions;

    public StreamPoller(String functionId, String functionArn, Config config, DynamoDbStreamsClient streams,
                        SqsClient sqs, FunctionInvoker invoker, Clock clock) {
        this(functionId, functionArn, config, streams, sqs, invoker, clock, new java.util.concurrent.ConcurrentHashMap<>());
    }

    /**
     * {@code positions} keeps, per function and shard, the sequence number of the last record handled (delivered,
     * filtered out, or given up on), so a poller started again on the same data resumes after it, as Lambda's
     * event source mapping does after a restart of the poller fleet.
     */
    public StreamPoller(String functionId, String functionArn, Config config, DynamoDbStreamsClient streams,
                        SqsClient sqs, FunctionInvoker invoker, Clock clock, Map<String, String> positions) {
        super("stream-poller-" + functionId);
        this.positions = positions;
        this.functionId = functionId;
        this.functionArn = functionArn;
        this.config = config;
        this.streams = streams;
        this.sqs = sqs;
        this.invoker = invoker;
        this.clock = clock;
    }

    public StreamPoller start() {
        if (config.enabled()) {
            startThread();
        }
        return this;
    }

    @Override
    protected void poll() {
        Map<String, Shard> shards = new LinkedHashMap<>();
        long lastRefresh = 0;
        boolean first = true;
        Duration idlePause = POLL_INTERVAL;
        while (running()) {
            int fetched = 0;
            boolean backlog = false;
            try {
                if (first || System.nanoTime() - lastRefresh > SHARD_REFRESH.toNanos()) {
                    refreshShards(shards, first);
                    first = false;
                    lastRefresh = System.nanoTime();
                }
                for (Shard shard : shards.values()) {
                    if (running() && !shard.drained && parentDone(shard, shards)) {
                        int n = read(shard);
                        fetched += n;
                        backlog |= n == PAGE;
                    }
                }
            } catch (Exception e) {
                if (!running()) {
                    return;
                }
                LOG.error(null, "stream poll failed", Map.of("function", functionId, "stream", config.streamArn(),
                        "error", String.valueOf(e)));
                pause(Duration.ofSeconds(1));
            }
            if (backlog) {
                continue; // a full page: more is waiting
            }
            if (fetched > 0 || shards.values().stream().anyMatch(shard -> !shard.buffer.isEmpty())) {
                idlePause = POLL_INTERVAL; // records came, or wait in a batching window: not idle
                pause(POLL_INTERVAL);
            } else {
                pause(idlePause);
                idlePause = idlePause.multipliedBy(2).compareTo(IDLE_POLL_INTERVAL) > 0 ? IDLE_POLL_INTERVAL
                        : idlePause.multipliedBy(2);
            }
        }
    }

    private void refreshShards(Map<String, Shard> shards, boolean atStart) {
        String from = null;
        do {
            String start = from;
            DescribeStreamResponse r = streams.describeStream(b -> b.streamArn(config.streamArn()).exclusiveStartShardId(start));
            r.streamDescription().shards().forEach(s -> shards.computeIfAbsent(s.shardId(), id -> {
                Shard shard = new Shard(id, s.parentShardId(), atStart);
                shard.lastFetched = positions.get(positionKey(id));
                return shard;
            }));
            from = r.streamDescription().lastEvaluatedShardId();
        } while (from != null);
    }

    private static boolean parentDone(Shard shard, Map<String, Shard> shards) {
        Shard parent = shard.parentId == null ? null : shards.get(shard.parentId);
        return parent == null || (parent.drained && parent.buffer.isEmpty());
    }

    /** Reads one page of a shard and delivers what is due; returns how many records the page had. */
    private int read(Shard shard) {
        if (shard.iterator == null) {
            shard.iterator = iterator(shard);
        }
        GetRecordsResponse response;
        try {
            String it = shard.iterator;
            response = streams.getRecords(b -> b.shardIterator(it).limit(PAGE));
        } catch (ExpiredIteratorException | TrimmedDataAccessException e) {
            shard.iterator = null; // taken up again after the last record read
            return 0;
        }
        if (shard.buffer.isEmpty() && !response.records().isEmpty()) {
            shard.bufferedSince = System.nanoTime();
        }
        shard.buffer.addAll(response.records());
        if (!response.records().isEmpty()) {
            shard.lastFetched = response.records().get(response.records().size() - 1).dynamodb().sequenceNumber();
        }
        shard.iterator = response.nextShardIterator();
        if (shard.iterator == null) {
            shard.drained = true; // closed and fully read: its children may start
        }
        while (running() && !shard.buffer.isEmpty() && (shard.buffer.size() >= config.batchSize() || shard.drained
                || System.nanoTime() - shard.bufferedSince >= config.batchingWindow().toNanos())) {
            List<Record> batch = new ArrayList<>(shard.buffer.subList(0, Math.min(config.batchSize(), shard.buffer.size())));
            shard.buffer.subList(0, batch.size()).clear();
            shard.bufferedSince = System.nanoTime();
            List<Record> matching = batch.stream()
                    .filter(r -> config.filter().matches(StreamRecords.toWireJson(StreamRecords.toLambda(r, config.streamArn()))))
                    .toList();
            if (!matching.isEmpty()) {
                yieldToApi();
                process(shard.id, matching);
            }
            if (running()) {
                positions.put(positionKey(shard.id), batch.get(batch.size() - 1).dynamodb().sequenceNumber());
            }
        }
        return response.records().size();
    }

    private String positionKey(String shardId) {
        return functionId + " " + config.streamArn() + " " + shardId;
    }

    private String iterator(Shard shard) {
        if (shard.lastFetched != null) {
            return streams.getShardIterator(b -> b.streamArn(config.streamArn()).shardId(shard.id)
                    .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(shard.lastFetched)).shardIterator();
        }
        // LATEST applies to the shards open when the mapping starts; shards born later are read from their start
        ShardIteratorType type = config.latest() && shard.existedAtStart ? ShardIteratorType.LATEST : ShardIteratorType.TRIM_HORIZON;
        return streams.getShardIterator(b -> b.streamArn(config.streamArn()).shardId(shard.id).shardIteratorType(type))
                .shardIterator();
    }

    /** Delivers a batch until it succeeds, is split, or is given up on after the retries. */
    private void process(String shardId, List<Record> records) {
        List<Record> pending = records;
        int attempts = 0;
        while (running()) {
            attempts++;
            Outcome outcome = invoke(pending);
            if (outcome.success()) {
                return;
            }
            if (outcome.functionError() && config.bisect() && pending.size() > 1) {
                int half = pending.size() / 2;
                LOG.info(null, "stream batch failed; bisecting", Map.of("function", functionId, "shard", shardId,
                        "records", pending.size()));
                process(shardId, pending.subList(0, half));
                process(shardId, pending.subList(half, pending.size()));
                return;
            }
            pending = pending.subList(outcome.failedFrom(), pending.size()); // what succeeded before stays done
            if (config.maximumRetryAttempts() >= 0 && attempts > config.maximumRetryAttempts()) {
                giveUp(shardId, pending, attempts, outcome);
                return;
            }
            pause(Duration.ofMillis(Math.min(2000, 100L << Math.min(attempts - 1, 5))));
        }
    }

    private Outcome invoke(List<Record> records) {
        DynamodbEvent event = StreamRecords.toEvent(records, config.streamArn());
        Object response;
        try {
            response = invoker.invoke(functionId, event);
        } catch (Exception e) {
            return new Outcome(false, true, 0, String.valueOf(e));
        }
        Optional<List<String>> failures = config.reportBatchItemFailures() ? BatchItemFailures.of(response) : Optional.empty();
        if (failures.isEmpty() || failures.get().isEmpty()) {
            return new Outcome(true, false, 0, null);
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            index.put(records.get(i).dynamodb().sequenceNumber(), i);
        }
        int from = records.size();
        for (String id : failures.get()) {
            Integer at = index.get(id);
            if (at == null) {
                from = 0; // an identifier Lambda cannot match fails the whole batch
                break;
            }
            from = Math.min(from, at);
        }
        return new Outcome(false, false, from, "batchItemFailures " + failures.get());
    }

    /** Sends what Lambda sends an on-failure destination for a stream: where the records are, not the records. */
    private void giveUp(String shardId, List<Record> records, int attempts, Outcome outcome) {
        Record first = records.get(0);
        Record last = records.get(records.size() - 1);
        Map<String, Object> responseContext = new LinkedHashMap<>();
        responseContext.put("statusCode", 200);
        responseContext.put("executedVersion", "$LATEST");
        if (outcome.functionError()) {
            responseContext.put("functionError", "Unhandled");
        }
        Map<String, Object> batchInfo = new LinkedHashMap<>();
        batchInfo.put("shardId", shardId);
        batchInfo.put("startSequenceNumber", first.dynamodb().sequenceNumber());
        batchInfo.put("endSequenceNumber", last.dynamodb().sequenceNumber());
        batchInfo.put("approximateArrivalOfFirstRecord", String.valueOf(first.dynamodb().approximateCreationDateTime()));
        batchInfo.put("approximateArrivalOfLastRecord", String.valueOf(last.dynamodb().approximateCreationDateTime()));
        batchInfo.put("batchSize", records.size());
        batchInfo.put("streamArn", config.streamArn());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("requestContext", Map.of("requestId", UUID.randomUUID().toString(), "functionArn", functionArn,
                "condition", "RetryAttemptsExhausted", "approximateInvokeCount", attempts));
        message.put("responseContext", responseContext);
        message.put("version", "1.0");
        message.put("timestamp", Instant.now(clock).toString());
        message.put("DDBStreamBatchInfo", batchInfo);
        Map<String, Object> log = Map.of("function", functionId, "shard", shardId, "records", records.size(),
                "startSequenceNumber", first.dynamodb().sequenceNumber(), "error", String.valueOf(outcome.error()));
        if (config.onFailureQueueUrl() == null) {
            LOG.error(null, "stream records skipped after retries: no on-failure destination", log);
            return;
        }
        LOG.warn(null, "stream records sent to the on-failure destination", log);
        sqs.sendMessage(b -> b.queueUrl(config.onFailureQueueUrl()).messageBody(Json.write(message)));
    }

}
