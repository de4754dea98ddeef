package com.onepoint.engine.stream;

import com.onepoint.engine.value.Value;

import java.util.Map;

/**
 * One change of one item, as the table's stream keeps it: both images are kept whatever the view type, which
 * only decides what GetRecords shows. {@code byTtl} marks a deletion by the TTL sweeper (userIdentity Service).
 */
public record StreamRecord(long sequence, String eventId, EventName eventName, long createdMillis,
                           Map<String, Value> keys, Map<String, Value> newImage, Map<String, Value> oldImage,
                           boolean byTtl) {
    public enum EventName { INSERT, MODIFY, REMOVE }
}
