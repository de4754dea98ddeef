package com.onepoint.shared.domain;

/**
 * One earn or use at a merchant, as recorded; refused attempts are recorded too (status FAILED with a reason).
 * Instants are ISO-8601 UTC strings, the form they are stored and returned in.
 */
public record Deal(String dealId, String memberId, String merchantId, DealType type, long amount, long points,
                   DealStatus status, FailureReason failureReason, String occurredAt, String createdAt,
                   String cancelledAt, String restoration) {

    public Deal cancelled(String at) {
        return new Deal(dealId, memberId, merchantId, type, amount, points, DealStatus.CANCELLED, failureReason,
                occurredAt, createdAt, at, restoration);
    }

    public Deal failed(FailureReason reason) {
        return new Deal(dealId, memberId, merchantId, type, amount, points, DealStatus.FAILED, reason,
                occurredAt, createdAt, cancelledAt, restoration);
    }
}
