package com.onepoint.devkit.sqs;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.onepoint.devkit.BatchItemFailures;
import com.onepoint.devkit.FunctionInvoker;
import com.onepoint.devkit.PollingThread;
import com.onepoint.devkit.Props;
import com.onepoint.devkit.RecordFilter;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.UnsupportedTemplateException;
import com.onepoint.devkit.json.Json;
import com.onepoint.shared.log.JsonLog;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The event source mapping of a function's {@code SQS} event: long-polls the queue, hands the function an
 * {@link SQSEvent} as Lambda builds it, then deletes what succeeded: everything on success, everything but the
 * reported {@code batchItemFailures} (with ReportBatchItemFailures), nothing when the function throws. What is not
 * deleted reappears after the visibility timeout; ElasticMQ moves it to the DLQ after maxReceiveCount.
 * One thread, one batch at a time (Lambda would scale out; ordering and failure semantics are the same).
 */
public final class SqsPoller extends PollingThread {
    public static final String EVENT_TYPE = "SQS";
    private static final Set<String> SUPPORTED = Set.of("Queue", "BatchSize", "MaximumBatchingWindowInSeconds",
            "FunctionResponseTypes", "Enabled", "FilterCriteria");
    /** Concurrency and encryption settings: they change nothing a single local consumer can observe. */
    private static final Set<String> AWS_ONLY = Set.of("ScalingConfig", "KmsKeyArn", "MetricsConfig");
    private static final JsonLog LOG = JsonLog.of(SqsPoller.class);
    /** Long-poll wait: short, so that close() returns within about a second. */
    private static final int WAIT_SECONDS = 1;

    /** What the template says about one SQS event source. */
    public record Config(String queueUrl, String queueArn, int batchSize, Duration batchingWindow,
                         boolean reportBatchItemFailures, boolean enabled, RecordFilter filter) {
        public String describe() {
            return "SQS " + queueArn.substring(queueArn.lastIndexOf(':') + 1) + " (batch " + batchSize
                    + (reportBatchItemFailures ? ", partial batch failures" : "")
                    + (filter.size() > 0 ? ", " + filter.size() + " filter(s)" : "")
                    + (enabled ? "" : ", disabled") + ")";
        }
    }

    /** Reads an {@code SQS} event's resolved Properties; every property is honoured or rejected. */
    public static Config config(Props props, LocalSqs sqs) {
        props.only(SUPPORTED, AWS_ONLY);
        String arn = props.required("Queue");
        if (!sqs.has(arn)) {
            throw new UnsupportedTemplateException(props.where("Queue"), arn + " is not a queue of this template");
        }
        int batchSize = props.integer("BatchSize", 10);
        int window = props.integer("MaximumBatchingWindowInSeconds", 0);
        if (batchSize < 1 || batchSize > 10_000 || (batchSize > 10 && window < 1)) {
            throw new UnsupportedTemplateException(props.where("BatchSize"),
                    "must be 1..10 (1..10000 with MaximumBatchingWindowInSeconds), got " + batchSize);
        }
        return new Config(sqs.urlOf(arn), sqs.queue(arn).arn(), batchSize, Duration.ofSeconds(window),
                responseTypes(props), props.bool("Enabled", true),
                props.has("FilterCriteria") ? RecordFilter.of(props.props("FilterCriteria")) : RecordFilter.all());
    }

    static boolean responseTypes(Props props) {
        List<String> types = props.strings("FunctionResponseTypes");
        for (String t : types) {
            if (!t.equals("ReportBatchItemFailures")) {
                throw new UnsupportedTemplateException(props.where("FunctionResponseTypes"), "unknown response type " + t);
            }
        }
        return !types.isEmpty();
    }

    private final String functionId;
    private final Config config;
    private final SqsClient sqs;
    private final FunctionInvoker invoker;

    public SqsPoller(String functionId, Config config, SqsClient sqs, FunctionInvoker invoker) {
        super("sqs-poller-" + functionId);
        this.functionId = functionId;
        this.config = config;
        this.sqs = sqs;
        this.invoker = invoker;
    }

    public SqsPoller start() {
        if (config.enabled()) {
            startThread();
        }
        return this;
    }

    @Override
    protected void poll() {
        while (running()) {
            yieldToApi();
            try {
                List<Message> batch = receiveBatch();
                if (!batch.isEmpty()) {
                    process(batch);
                }
            } catch (Exception e) {
                if (!running()) {
                    return;
                }
                LOG.error(null, "sqs poll failed", Map.of("function", functionId, "queue", config.queueUrl(),
                        "error", String.valueOf(e)));
                pause(Duration.ofSeconds(1));
            }
        }
    }

    /** Gathers up to BatchSize messages, for at most the batching window once the first one arrived. */
    private List<Message> receiveBatch() {
        List<Message> batch = new ArrayList<>();
        long deadline = 0;
        while (running() && batch.size() < config.batchSize()) {
            int wait = batch.isEmpty() ? WAIT_SECONDS : (int) Math.min(WAIT_SECONDS,
                    Math.max(0, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())));
            int max = Math.min(10, config.batchSize() - batch.size());
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(config.queueUrl()).maxNumberOfMessages(max)
                    .waitTimeSeconds(wait).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty() && !got.isEmpty()) {
                deadline = System.nanoTime() + config.batchingWindow().toNanos();
            }
            for (Message m : got) {
                // a window longer than the visibility timeout can receive a message twice: keep the newest receipt
                batch.removeIf(earlier -> earlier.messageId().equals(m.messageId()));
                batch.add(m);
            }
            if (got.isEmpty() && wait == 0) {
                pause(Duration.ofMillis(50)); // under a second of window left: poll without spinning
            }
            if (!batch.isEmpty() && System.nanoTime() >= deadline) {
                break;
            }
            if (batch.isEmpty()) {
                return batch; // give run() a chance to notice close()
            }
        }
        return batch;
    }

    private void process(List<Message> received) {
        List<Message> batch = new ArrayList<>();
        List<Message> filteredOut = new ArrayList<>();
        for (Message m : received) {
            (config.filter().matches(filterView(m)) ? batch : filteredOut).add(m);
        }
        delete(filteredOut); // Lambda deletes messages that match no filter
        if (batch.isEmpty()) {
            return;
        }
        SQSEvent event = toEvent(batch, config.queueArn());
        Object response;
        try {
            response = invoker.invoke(functionId, event);
        } catch (Exception e) {
            LOG.warn(null, "sqs batch failed; messages return after the visibility timeout", Map.of(
                    "function", functionId, "queue", config.queueUrl(), "messages", batch.size(), "error", String.valueOf(e)));
            return;
        }
        Optional<List<String>> failures = config.reportBatchItemFailures() ? BatchItemFailures.of(response) : Optional.empty();
        if (failures.isEmpty() || failures.get().isEmpty()) {
            delete(batch);
            return;
        }
        Set<String> failed = new HashSet<>(failures.get());
        Set<String> ids = new HashSet<>();
        batch.forEach(m -> ids.add(m.messageId()));
        if (!ids.containsAll(failed)) {
            // an identifier Lambda cannot match (empty, unknown) fails the whole batch
            LOG.warn(null, "sqs batch response names unknown message ids; whole batch retried", Map.of(
                    "function", functionId, "queue", config.queueUrl()));
            return;
        }
        delete(batch.stream().filter(m -> !failed.contains(m.messageId())).toList());
        LOG.info(null, "sqs partial batch failure", Map.of("function", functionId, "queue", config.queueUrl(),
                "failed", failed.size(), "messages", batch.size()));
    }

    private void delete(List<Message> messages) {
        for (int i = 0; i < messages.size(); i += 10) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (Message m : messages.subList(i, Math.min(messages.size(), i + 10))) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(String.valueOf(entries.size()))
                        .receiptHandle(m.receiptHandle()).build());
            }
            sqs.deleteMessageBatch(b -> b.queueUrl(config.queueUrl()).entries(entries));
        }
    }

    /** The message as FilterCriteria see it: a JSON body is matched as JSON, any other body as a string. */
    private static Map<String, Object> filterView(Message m) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("messageId", m.messageId());
        Object body = m.body();
        try {
            body = Json.read(m.body());
        } catch (Exception notJson) {
            // matched as plain text
        }
        view.put("body", body);
        view.put("attributes", m.attributesAsStrings());
        Map<String, Object> attrs = new LinkedHashMap<>();
        m.messageAttributes().forEach((k, v) -> attrs.put(k, Map.of("stringValue", String.valueOf(v.stringValue()),
                "dataType", v.dataType())));
        view.put("messageAttributes", attrs);
        return view;
    }

    /** The {@link SQSEvent} Lambda would build for these messages of {@code queueArn}. */
    public static SQSEvent toEvent(List<Message> messages, String queueArn) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setMd5OfBody(m.md5OfBody());
            r.setMd5OfMessageAttributes(m.md5OfMessageAttributes());
            r.setAttributes(new LinkedHashMap<>(m.attributesAsStrings()));
            Map<String, SQSEvent.MessageAttribute> attrs = new LinkedHashMap<>();
            m.messageAttributes().forEach((name, value) -> attrs.put(name, attribute(value)));
            r.setMessageAttributes(attrs);
            r.setEventSource("aws:sqs");
            r.setEventSourceArn(queueArn);
            r.setAwsRegion(SamTemplate.REGION);
            records.add(r);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static SQSEvent.MessageAttribute attribute(MessageAttributeValue v) {
        SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
        a.setDataType(v.dataType());
        a.setStringValue(v.stringValue());
        if (v.binaryValue() != null) {
            a.setBinaryValue(ByteBuffer.wrap(v.binaryValue().asByteArray()));
        }
        a.setStringListValues(v.hasStringListValues() ? v.stringListValues() : List.of());
        a.setBinaryListValues(v.hasBinaryListValues()
                ? v.binaryListValues().stream().map(b -> ByteBuffer.wrap(b.asByteArray())).toList() : List.of());
        return a;
    }

}
