package com.onepoint.shared.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/**
 * One earn or use at a merchant, as recorded; refused attempts are recorded too (status FAILED with a reason).
 * {@code restoredAt} and {@code version} are the table's bookkeeping, stored but not part of the API's deal.
 *
 * @param version starts at 1 and grows by 1 with every write, so read models apply changes once and in order
 */
public record Deal(String dealId, String memberId, String merchantId, DealType type, long amount, long points,
                   DealStatus status, FailureReason failureReason, Instant occurredAt, Instant createdAt,
                   Instant cancelledAt, Restoration restoration, @JsonIgnore Instant restoredAt,
                   @JsonIgnore long version) {

    /** A deal as it is first written: version 1, nothing cancelled or restored yet. */
    public static Deal recorded(String dealId, String memberId, String merchantId, DealType type, long amount,
                                long points, DealStatus status, FailureReason failureReason, Instant occurredAt,
                                Instant createdAt) {
        return new Deal(dealId, memberId, merchantId, type, amount, points, status, failureReason, occurredAt,
                createdAt, null, null, null, 1);
    }

    /** This deal cancelled at {@code at}, one write later; a use's points then await restoration (non-null). */
    public Deal cancelled(Instant at, Restoration restoration) {
        return new Deal(dealId, memberId, merchantId, type, amount, points, DealStatus.CANCELLED, failureReason,
                occurredAt, createdAt, at, restoration, restoredAt, version + 1);
    }

    /** This attempt refused; it is written as it is, so its version stays the one it was created with. */
    public Deal failed(FailureReason reason) {
        return new Deal(dealId, memberId, merchantId, type, amount, points, DealStatus.FAILED, reason,
                occurredAt, createdAt, cancelledAt, restoration, restoredAt, version);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** For the table schema, which fills an item's attributes one at a time. */
    public static final class Builder {
        private String dealId;
        private String memberId;
        private String merchantId;
        private DealType type;
        private long amount;
        private long points;
        private DealStatus status;
        private FailureReason failureReason;
        private Instant occurredAt;
        private Instant createdAt;
        private Instant cancelledAt;
        private Restoration restoration;
        private Instant restoredAt;
        private long version;

        private Builder() {
        }

        public Builder dealId(String v) { dealId = v; return this; }
        public Builder memberId(String v) { memberId = v; return this; }
        public Builder merchantId(String v) { merchantId = v; return this; }
        public Builder type(DealType v) { type = v; return this; }
        public Builder amount(long v) { amount = v; return this; }
        public Builder points(long v) { points = v; return this; }
        public Builder status(DealStatus v) { status = v; return this; }
        public Builder failureReason(FailureReason v) { failureReason = v; return this; }
        public Builder occurredAt(Instant v) { occurredAt = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder cancelledAt(Instant v) { cancelledAt = v; return this; }
        public Builder restoration(Restoration v) { restoration = v; return this; }
        public Builder restoredAt(Instant v) { restoredAt = v; return this; }
        public Builder version(long v) { version = v; return this; }

        public Deal build() {
            return new Deal(dealId, memberId, merchantId, type, amount, points, status, failureReason, occurredAt,
                    createdAt, cancelledAt, restoration, restoredAt, version);
        }
    }
}
