package com.onepoint.shared.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/**
 * A member's point balance; never negative, guarded by DynamoDB conditions. The API shows memberId, balance and
 * status; the rest is the account's stored history and bookkeeping.
 *
 * @param version starts at 1 and grows by 1 with every write, so read models apply changes once and in order
 */
public record PointAccount(String memberId, long balance, AccountStatus status, @JsonIgnore Instant openedAt,
                           @JsonIgnore Instant updatedAt, @JsonIgnore Instant closedAt,
                           @JsonIgnore Long forfeitedPoints, @JsonIgnore long version) {

    /** An account as join writes it: OPEN, balance 0, version 1. */
    public static PointAccount opened(String memberId, Instant at) {
        return new PointAccount(memberId, 0, AccountStatus.OPEN, at, at, null, null, 1);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** For the table schema, which fills an item's attributes one at a time. */
    public static final class Builder {
        private String memberId;
        private long balance;
        private AccountStatus status;
        private Instant openedAt;
        private Instant updatedAt;
        private Instant closedAt;
        private Long forfeitedPoints;
        private long version;

        private Builder() {
        }

        public Builder memberId(String v) { memberId = v; return this; }
        public Builder balance(long v) { balance = v; return this; }
        public Builder status(AccountStatus v) { status = v; return this; }
        public Builder openedAt(Instant v) { openedAt = v; return this; }
        public Builder updatedAt(Instant v) { updatedAt = v; return this; }
        public Builder closedAt(Instant v) { closedAt = v; return this; }
        public Builder forfeitedPoints(Long v) { forfeitedPoints = v; return this; }
        public Builder version(long v) { version = v; return this; }

        public PointAccount build() {
            return new PointAccount(memberId, balance, status, openedAt, updatedAt, closedAt, forfeitedPoints, version);
        }
    }
}
