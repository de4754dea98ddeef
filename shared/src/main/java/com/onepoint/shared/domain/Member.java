package com.onepoint.shared.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/**
 * A customer; {@code withdrawnAt} and {@code forfeitedPoints} are set once the member leaves, and leaving erases
 * {@code name}, {@code phone} and {@code email} (absent from then on) and sets {@code erasedAt}.
 *
 * @param phone in {@link PhoneNumber}'s canonical form ({@code +821012345678}), or null
 * @param version starts at 1 and grows by 1 with every write, so read models apply changes once and in order
 */
public record Member(String memberId, String name, String phone, String email, MemberStatus status,
                     Instant joinedAt, Instant withdrawnAt, Long forfeitedPoints, Instant erasedAt,
                     @JsonIgnore long version) {

    /** A member as it is first written: ACTIVE, version 1. */
    public static Member joined(String memberId, String name, String phone, String email, Instant joinedAt) {
        return new Member(memberId, name, phone, email, MemberStatus.ACTIVE, joinedAt, null, null, null, 1);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** For the table schema, which fills an item's attributes one at a time. */
    public static final class Builder {
        private String memberId;
        private String name;
        private String phone;
        private String email;
        private MemberStatus status;
        private Instant joinedAt;
        private Instant withdrawnAt;
        private Long forfeitedPoints;
        private Instant erasedAt;
        private long version;

        private Builder() {
        }

        public Builder memberId(String v) { memberId = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder phone(String v) { phone = v; return this; }
        public Builder email(String v) { email = v; return this; }
        public Builder status(MemberStatus v) { status = v; return this; }
        public Builder joinedAt(Instant v) { joinedAt = v; return this; }
        public Builder withdrawnAt(Instant v) { withdrawnAt = v; return this; }
        public Builder forfeitedPoints(Long v) { forfeitedPoints = v; return this; }
        public Builder erasedAt(Instant v) { erasedAt = v; return this; }
        public Builder version(long v) { version = v; return this; }

        public Member build() {
            return new Member(memberId, name, phone, email, status, joinedAt, withdrawnAt, forfeitedPoints, erasedAt, version);
        }
    }
}
