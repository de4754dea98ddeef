package com.onepoint.shared.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * One earn or use at a merchant, as recorded; refused attempts are recorded too (status FAILED with a reason).
 * {@code restoredAt}, {@code restoredPoints}, {@code lastRefundId} and {@code version} are the table's bookkeeping,
 * stored but not part of the API's deal. The refund figures are 0 until a refund (and on items written before refunds
 * existed, which lack the attributes).
 *
 * @param receiptId      the POS's receipt number, if it sent one; a SUCCESS deal holds it for its merchant
 * @param refundedAmount earn: the part of {@code amount} refunded so far
 * @param refundedPoints earn: the points deducted by refunds so far; use: the points refunded so far
 * @param restoredPoints use: the points the restorer has credited back so far, for refunds and the cancellation
 * @param lastRefundId   the refund the latest refund write made, so the deals stream can name it in DealRefunded
 * @param version        starts at 1 and grows by 1 with every write, so read models apply changes once and in order
 */
public record Deal(String dealId, String memberId, String merchantId, DealType type, long amount, long points,
                   DealStatus status, FailureReason failureReason, Instant occurredAt, Instant createdAt,
                   Instant cancelledAt, Restoration restoration, @JsonIgnore Instant restoredAt,
                   @JsonIgnore long version, String receiptId, @JsonIgnore long refundedAmount,
                   @JsonIgnore long refundedPoints, @JsonIgnore long restoredPoints, @JsonIgnore String lastRefundId) {

    /** A deal without receipt or refunds: the shape every deal had before issue 12. */
    public Deal(String dealId, String memberId, String merchantId, DealType type, long amount, long points,
                DealStatus status, FailureReason failureReason, Instant occurredAt, Instant createdAt,
                Instant cancelledAt, Restoration restoration, Instant restoredAt, long version) {
        this(dealId, memberId, merchantId, type, amount, points, status, failureReason, occurredAt, createdAt,
                cancelledAt, restoration, restoredAt, version, null, 0, 0, 0, null);
    }

    /** A deal as it is first written: version 1, nothing cancelled, refunded or restored yet. */
    public static Deal recorded(String dealId, String memberId, String merchantId, DealType type, long amount,
                                long points, DealStatus status, FailureReason failureReason, Instant occurredAt,
                                Instant createdAt) {
        return recorded(dealId, memberId, merchantId, type, amount, points, status, failureReason, occurredAt,
                createdAt, null);
    }

    public static Deal recorded(String dealId, String memberId, String merchantId, DealType type, long amount,
                                long points, DealStatus status, FailureReason failureReason, Instant occurredAt,
                                Instant createdAt, String receiptId) {
        return new Deal(dealId, memberId, merchantId, type, amount, points, status, failureReason, occurredAt,
                createdAt, null, null, null, 1, receiptId, 0, 0, 0, null);
    }

    /** This deal cancelled at {@code at}, one write later; a use's points then await restoration (non-null). */
    public Deal cancelled(Instant at, Restoration restoration) {
        return new Deal(dealId, memberId, merchantId, type, amount, points, DealStatus.CANCELLED, failureReason,
                occurredAt, createdAt, at, restoration, restoredAt, version + 1, receiptId, refundedAmount,
                refundedPoints, restoredPoints, lastRefundId);
    }

    /** This attempt refused; it is written as it is, so its version stays the one it was created with. */
    public Deal failed(FailureReason reason) {
        return new Deal(dealId, memberId, merchantId, type, amount, points, DealStatus.FAILED, reason,
                occurredAt, createdAt, cancelledAt, restoration, restoredAt, version, receiptId, refundedAmount,
                refundedPoints, restoredPoints, lastRefundId);
    }

    /** This deal after refund {@code refundId} of {@code amount} (earn; 0 for a use) and {@code points}, one write later. */
    public Deal refunded(String refundId, long amount, long points) {
        return new Deal(dealId, memberId, merchantId, type, this.amount, this.points, status, failureReason,
                occurredAt, createdAt, cancelledAt, restoration, restoredAt, version + 1, receiptId,
                Math.addExact(refundedAmount, amount), Math.addExact(refundedPoints, points), restoredPoints, refundId);
    }

    /** The points a cancellation reverses: what refunds have not reversed already. */
    @JsonIgnore
    public long unrefundedPoints() {
        return points - refundedPoints;
    }

    /** In the API's deal for an earn only: the amount refunded so far. */
    @JsonProperty("refundedAmount")
    Long refundedAmountShown() {
        return type == DealType.EARN ? refundedAmount : null;
    }

    /** In the API's deal: earn, the points deducted by refunds so far; use, the points refunded so far. */
    @JsonProperty("refundedPoints")
    Long refundedPointsShown() {
        return status == DealStatus.FAILED ? null : refundedPoints;
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
        private String receiptId;
        private long refundedAmount;
        private long refundedPoints;
        private long restoredPoints;
        private String lastRefundId;

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
        public Builder receiptId(String v) { receiptId = v; return this; }
        public Builder refundedAmount(long v) { refundedAmount = v; return this; }
        public Builder refundedPoints(long v) { refundedPoints = v; return this; }
        public Builder restoredPoints(long v) { restoredPoints = v; return this; }
        public Builder lastRefundId(String v) { lastRefundId = v; return this; }

        public Deal build() {
            return new Deal(dealId, memberId, merchantId, type, amount, points, status, failureReason, occurredAt,
                    createdAt, cancelledAt, restoration, restoredAt, version, receiptId, refundedAmount,
                    refundedPoints, restoredPoints, lastRefundId);
        }
    }
}
