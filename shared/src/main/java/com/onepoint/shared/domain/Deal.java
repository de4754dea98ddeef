package com.onepoint.shared.domain;

/**
 * One earn or use at a merchant, as recorded; refused attempts are recorded too (status FAILED with a reason).
 * Instants are ISO-8601 UTC strings, the form they are stored and returned in.
 */
public record Deal(String dealId, String memberId, String merchantId, DealType type, long amount, long points,
                   DealStatus status, FailureReason failureReason, String occurredAt, String createdAt,
                   String cancelledAt, String restoration) {

    /** This deal cancelled at {@code at}; a use's points then await restoration ({@code restoration} non-null). */
    public Deal cancelled(String at, Restoration restoration) {
        return new Deal(dealId, memberId, merchantId, type, amount, points, DealStatus.CANCELLED, failureReason,
                occurredAt, createdAt, at, restoration == null ? null : restoration.name());
    }

    public Deal failed(FailureReason reason) {
        return new Deal(dealId, memberId, merchantId, type, amount, points, DealStatus.FAILED, reason,
                occurredAt, createdAt, cancelledAt, restoration);
    }
}
