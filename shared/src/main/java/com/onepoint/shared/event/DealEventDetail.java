package com.onepoint.shared.event;

import com.onepoint.shared.domain.Deal;

/**
 * {@code detail} of DealRecorded, DealCancelled, DealRefunded, PointsRestored and RestorationForfeited: the deal as it
 * stood after the change, with the deals item's {@code version} (1 when recorded, +1 per later write). A consumer that
 * keeps a copy of the deal applies an event only when its version is newer than the copy's, so redelivered and
 * reordered events are harmless. {@code eventId} is derived from the table stream record, so a redelivered event keeps
 * its id. {@code receiptId}, the refund figures and {@code refund} were added with partial refunds (additions: the
 * schemaVersion stays 1); {@code refund} is set on DealRefunded only.
 */
public record DealEventDetail(String eventId, String occurredAt, int schemaVersion, String dealId, String memberId,
                              String merchantId, String type, long amount, long points, String status,
                              String failureReason, String dealOccurredAt, String createdAt, String cancelledAt,
                              String restoration, long version, String receiptId, long refundedAmount,
                              long refundedPoints, long restoredPoints, RefundDetail refund) {

    /** The refund a DealRefunded announces: {@code amount} for an earn only. */
    public record RefundDetail(String refundId, Long amount, long points) {
    }

    public static DealEventDetail of(String eventId, String occurredAt, Deal deal) {
        return of(eventId, occurredAt, deal, null);
    }

    public static DealEventDetail of(String eventId, String occurredAt, Deal deal, RefundDetail refund) {
        return new DealEventDetail(eventId, occurredAt, EventType.SCHEMA_VERSION, deal.dealId(), deal.memberId(),
                deal.merchantId(), deal.type().wire(), deal.amount(), deal.points(), deal.status().name(),
                deal.failureReason() == null ? null : deal.failureReason().name(), text(deal.occurredAt()),
                text(deal.createdAt()), text(deal.cancelledAt()), deal.restoration() == null ? null : deal.restoration().name(),
                deal.version(), deal.receiptId(), deal.refundedAmount(), deal.refundedPoints(), deal.restoredPoints(),
                refund);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
