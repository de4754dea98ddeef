package com.onepoint.shared.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/**
 * One partial refund of a deal. An earn's refund names the {@code amount} refunded and the {@code points} it deducted
 * at once; a use's names the {@code points} to give back, which the restore queue credits later ({@code restoration}
 * PENDING, then DONE, or FORFEITED when the member left first). {@code memberId}, {@code merchantId}, {@code type} and
 * {@code restoredAt} are stored for the restorer and the ledger but are not part of the API's refund.
 */
public record Refund(String refundId, String dealId, @JsonIgnore String memberId, @JsonIgnore String merchantId,
                     @JsonIgnore DealType type, Long amount, long points, Instant createdAt, Restoration restoration,
                     @JsonIgnore Instant restoredAt) {

    public static Refund ofEarn(String refundId, Deal deal, long amount, long points, Instant at) {
        return new Refund(refundId, deal.dealId(), deal.memberId(), deal.merchantId(), DealType.EARN, amount, points,
                at, null, null);
    }

    public static Refund ofUse(String refundId, Deal deal, long points, Instant at) {
        return new Refund(refundId, deal.dealId(), deal.memberId(), deal.merchantId(), DealType.USE, null, points,
                at, Restoration.PENDING, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String refundId;
        private String dealId;
        private String memberId;
        private String merchantId;
        private DealType type;
        private Long amount;
        private long points;
        private Instant createdAt;
        private Restoration restoration;
        private Instant restoredAt;

        private Builder() {
        }

        public Builder refundId(String v) { refundId = v; return this; }
        public Builder dealId(String v) { dealId = v; return this; }
        public Builder memberId(String v) { memberId = v; return this; }
        public Builder merchantId(String v) { merchantId = v; return this; }
        public Builder type(DealType v) { type = v; return this; }
        public Builder amount(Long v) { amount = v; return this; }
        public Builder points(long v) { points = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder restoration(Restoration v) { restoration = v; return this; }
        public Builder restoredAt(Instant v) { restoredAt = v; return this; }

        public Refund build() {
            return new Refund(refundId, dealId, memberId, merchantId, type, amount, points, createdAt, restoration,
                    restoredAt);
        }
    }
}
