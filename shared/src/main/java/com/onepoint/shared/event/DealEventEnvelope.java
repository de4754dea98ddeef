package com.onepoint.shared.event;

import com.onepoint.shared.json.Json;
import com.onepoint.shared.json.JsonSyntaxException;

/**
 * A deal event as an EventBridge rule delivers it to a queue: the envelope's {@code detail-type} and its
 * {@link DealEventDetail}. Anything else is refused with the reason (never the body), so the message goes back to its
 * queue and, after its retries, to the dead-letter queue.
 */
public record DealEventEnvelope(EventType type, DealEventDetail detail) {

    public static DealEventEnvelope parse(String envelopeJson) {
        Object envelope;
        try {
            envelope = Json.parse(envelopeJson);
        } catch (JsonSyntaxException e) {
            throw new IllegalArgumentException("message is not JSON");
        }
        String detailType = Json.at(envelope, "detail-type") instanceof String t ? t : null;
        EventType type;
        try {
            type = EventType.valueOf(String.valueOf(detailType));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown detail-type " + detailType);
        }
        if (type.detailType() != DealEventDetail.class) {
            throw new IllegalArgumentException(detailType + " is not a deal event");
        }
        Object detail = Json.at(envelope, "detail");
        if (!(detail instanceof java.util.Map<?, ?>)) {
            throw new IllegalArgumentException("message has no detail");
        }
        long schemaVersion = Json.at(detail, "schemaVersion") instanceof Long v ? v : -1;
        if (schemaVersion != EventType.SCHEMA_VERSION) {
            throw new IllegalArgumentException("schemaVersion " + schemaVersion + " is not " + EventType.SCHEMA_VERSION);
        }
        try {
            return new DealEventEnvelope(type, Json.toRecord(detail, DealEventDetail.class));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("detail is not a deal: " + e.getMessage());
        }
    }
}
