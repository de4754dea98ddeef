package com.onepoint.shared.event;

import com.onepoint.shared.domain.Deal;

/**
 * {@code detail} of DealRecorded, DealCancelled and PointsRestored: the deal as it stood after the change.
 * {@code eventId} is derived from the table stream record, so a redelivered event keeps its id.
 */
public record DealEventDetail(String eventId, String occurredAt, int schemaVersion, String dealId, String memberId,
                              String merchantId, String type, long amount, long points, String status,
                              String failureReason, String dealOccurredAt, String cancelledAt, String restoration) {

    public static DealEventDetail of(String eventId, String occurredAt, Deal deal) {
        return new DealEventDetail(eventId, occurredAt, EventType.SCHEMA_VERSION, deal.dealId(), deal.memberId(),
                deal.merchantId(), deal.type().wire(), deal.amount(), deal.points(), deal.status().name(),
                deal.failureReason() == null ? null : deal.failureReason().name(), text(deal.occurredAt()),
                text(deal.cancelledAt()), deal.restoration() == null ? null : deal.restoration().name());
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
