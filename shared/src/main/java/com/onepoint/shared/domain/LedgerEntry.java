package com.onepoint.shared.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/**
 * One statement line: a balance movement and the balance after it, as the point account's stream image carried
 * them. {@code version} is the account item's version that the movement made, so entries are ordered per member and
 * a replayed stream record maps to the entry it already wrote.
 */
public record LedgerEntry(@JsonIgnore String memberId, @JsonIgnore long version, MovementKind kind, long points,
                          long balanceAfter, String dealId, String refundId, String adjustmentId, Instant at) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String memberId;
        private long version;
        private MovementKind kind;
        private long points;
        private long balanceAfter;
        private String dealId;
        private String refundId;
        private String adjustmentId;
        private Instant at;

        private Builder() {
        }

        public Builder memberId(String v) { memberId = v; return this; }
        public Builder version(long v) { version = v; return this; }
        public Builder kind(MovementKind v) { kind = v; return this; }
        public Builder points(long v) { points = v; return this; }
        public Builder balanceAfter(long v) { balanceAfter = v; return this; }
        public Builder dealId(String v) { dealId = v; return this; }
        public Builder refundId(String v) { refundId = v; return this; }
        public Builder adjustmentId(String v) { adjustmentId = v; return this; }
        public Builder at(Instant v) { at = v; return this; }

        public LedgerEntry build() {
            return new LedgerEntry(memberId, version, kind, points, balanceAfter, dealId, refundId, adjustmentId, at);
        }
    }
}
