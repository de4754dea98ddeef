package com.onepoint.outbox;

import com.onepoint.shared.event.EventType;

/** One domain event derived from a table change, ready to publish: {@code detail} is one of the shared detail records. */
public record DomainEvent(EventType type, String eventId, String occurredAt, Object detail) {
}
