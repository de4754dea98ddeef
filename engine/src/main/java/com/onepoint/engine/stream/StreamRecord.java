package com.onepoint.engine.stream;

import com.onepoint.engine.store.ImageCodec;
import com.onepoint.engine.value.Value;

import java.util.Map;

/**
 * One change of one item, as the table's stream keeps it: both images are kept whatever the view type, which
 * only decides what GetRecords shows. {@code byTtl} marks a deletion by the TTL sweeper (userIdentity Service).
 * <p>
 * The keys and images are held encoded ({@link ImageCodec}): a stream keeps every change for 24 hours, and as
 * objects each old image would be some forty small objects that every young collection copies again.
 */
public record StreamRecord(long sequence, String eventId, EventName eventName, long createdMillis, byte[] images,
                           boolean byTtl) {
    public enum EventName { INSERT, MODIFY, REMOVE }

    /** The keys and images of a record, decoded. */
    public record Images(Map<String, Value> keys, Map<String, Value> newImage, Map<String, Value> oldImage) {
    }

    public Images decode() {
        return ImageCodec.decode(images);
    }
}
