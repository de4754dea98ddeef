package com.onepoint.shared.idempotency;

/**
 * What Powertools sees of an idempotent request: {@code key} is the scoped idempotency key (the JMESPath {@code key}
 * selects it), {@code body} the canonical request body whose hash must match on a repeat (JMESPath {@code body}).
 * Only {@link IdempotentRequests} builds one, and only when the caller sent an {@code Idempotency-Key}.
 */
public record IdempotentRequest(String key, String body) {
}
