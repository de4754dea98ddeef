package com.onepoint.shared.batch;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.onepoint.shared.log.JsonLog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loop of every SQS consumer (the model is Powertools' batch module): each message is applied on its own; one
 * that throws becomes a batch item failure, so Lambda redelivers only it (and, after the queue's receives, moves it to
 * the dead-letter queue), and the others are not retried. Consumers are idempotent, so a redelivery is harmless.
 */
public final class SqsBatch {
    private SqsBatch() {
    }

    /** Applies one message; returns what it came to ("APPLIED", "ALREADY_APPLIED", ...), counted in the batch's log line. */
    @FunctionalInterface
    public interface MessageConsumer {
        String apply(SQSEvent.SQSMessage message);
    }

    /**
     * Applies every message of {@code event}. A failure is logged with the message id, its receive count and the reason,
     * never the body; the batch ends with one line: {@code <what> batch} with the messages, outcomes, failures and time.
     */
    public static SQSBatchResponse process(SQSEvent event, String requestId, JsonLog log, String what,
                                           MessageConsumer consumer) {
        long started = System.nanoTime();
        List<SQSEvent.SQSMessage> messages = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : messages) {
            try {
                outcomes.merge(consumer.apply(message), 1, Integer::sum);
            } catch (RuntimeException e) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("messageId", message.getMessageId());
                failed.put("receiveCount", message.getAttributes() == null ? null
                        : message.getAttributes().get("ApproximateReceiveCount"));
                failed.put("exception", e.getClass().getName());
                failed.put("detail", String.valueOf(e.getMessage()));
                log.warn(requestId, what + " not applied", failed);
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("messages", messages.size());
        fields.put("outcomes", outcomes);
        fields.put("failed", failures.size());
        fields.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        log.info(requestId, what + " batch", fields);
        return new SQSBatchResponse(failures);
    }
}
