package com.onepoint.shared.domain;

import java.time.Instant;

/** A manual adjustment by the admin: {@code points} signed, never 0; in no settlement. Written once, never changed. */
public record Adjustment(String adjustmentId, String memberId, long points, String reason, Instant createdAt) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String adjustmentId;
        private String memberId;
        private long points;
        private String reason;
        private Instant createdAt;

        private Builder() {
        }

        public Builder adjustmentId(String v) { adjustmentId = v; return this; }
        public Builder memberId(String v) { memberId = v; return this; }
        public Builder points(long v) { points = v; return this; }
        public Builder reason(String v) { reason = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }

        public Adjustment build() {
            return new Adjustment(adjustmentId, memberId, points, reason, createdAt);
        }
    }
}
