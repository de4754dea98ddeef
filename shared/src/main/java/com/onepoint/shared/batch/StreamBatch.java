package com.onepoint.shared.batch;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.onepoint.shared.log.JsonLog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loop of a DynamoDB stream consumer that applies records one at a time, in order: the first record that throws
 * is reported as the batch item failure and nothing after it is applied, so Lambda retries from that record and no
 * item's changes are applied out of order (the mapping bisects a batch that keeps failing). Images are never logged:
 * they hold personal data.
 */
public final class StreamBatch {
    private StreamBatch() {
    }

    /** Applies one record; returns what it came to ("APPLIED", "ALREADY_APPLIED", ...), counted in the batch's log line. */
    @FunctionalInterface
    public interface RecordConsumer {
        String apply(DynamodbEvent.DynamodbStreamRecord record);
    }

    /**
     * Applies {@code event}'s records in order up to the first failure; logs one line {@code batch} with the records,
     * the outcomes, those not processed, the failed record's sequence number, event id and name and the reason.
     */
    public static StreamsEventResponse inOrder(DynamodbEvent event, String requestId, JsonLog log, RecordConsumer consumer) {
        long started = System.nanoTime();
        List<DynamodbEvent.DynamodbStreamRecord> records = event == null || event.getRecords() == null
                ? List.of() : event.getRecords();
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("records", records.size());
        int processed = 0;
        StreamsEventResponse.BatchItemFailure failure = null;
        for (DynamodbEvent.DynamodbStreamRecord record : records) {
            try {
                outcomes.merge(consumer.apply(record), 1, Integer::sum);
                processed++;
            } catch (RuntimeException e) {
                String sequenceNumber = record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
                failure = new StreamsEventResponse.BatchItemFailure(sequenceNumber);
                fields.put("failedSequenceNumber", sequenceNumber);
                fields.put("failedEventId", record.getEventID());
                fields.put("failedEventName", record.getEventName());
                fields.put("exception", e.getClass().getName());
                fields.put("detail", String.valueOf(e.getMessage()));
                break;
            }
        }
        fields.put("outcomes", outcomes);
        fields.put("notProcessed", records.size() - processed);
        fields.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        if (failure == null) {
            log.info(requestId, "batch", fields);
            return new StreamsEventResponse(List.of());
        }
        log.warn(requestId, "batch", fields);
        return new StreamsEventResponse(List.of(failure));
    }
}
