package com.onepoint.shared.table;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

import java.time.Instant;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;

/**
 * Which ACTIVE member holds a phone, key {@code phone} (the canonical form of
 * {@link com.onepoint.shared.domain.PhoneNumber}); no stream. Name from MEMBER_PHONES_TABLE. A claim is put with
 * {@code attribute_not_exists(phone)} in the transaction that gives a member the phone (join, PATCH) and deleted in
 * the one that takes it away (PATCH, leave), so at most one ACTIVE member holds a phone and the lookup by phone is
 * one GetItem. A table of its own rather than items in the members table: the members stream's readers (outbox,
 * dashboard) and the members scans then see members only, and the phone is in no stream record of its own.
 */
public final class MemberPhonesTable {
    public static final String ENV = "MEMBER_PHONES_TABLE";
    public static final String PHONE = "phone";
    public static final String MEMBER_ID = "memberId";
    public static final String CLAIMED_AT = "claimedAt";

    /** One phone held by one ACTIVE member. */
    public record Claim(String phone, String memberId, Instant claimedAt) {
        public static final class Builder {
            private String phone;
            private String memberId;
            private Instant claimedAt;

            public Builder phone(String v) { phone = v; return this; }
            public Builder memberId(String v) { memberId = v; return this; }
            public Builder claimedAt(Instant v) { claimedAt = v; return this; }

            public Claim build() {
                return new Claim(phone, memberId, claimedAt);
            }
        }
    }

    public static final TableSchema<Claim> SCHEMA = StaticImmutableTableSchema.builder(Claim.class, Claim.Builder.class)
            .newItemBuilder(Claim.Builder::new, Claim.Builder::build)
            .addAttribute(String.class, a -> a.name(PHONE).getter(Claim::phone).setter(Claim.Builder::phone)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(MEMBER_ID).getter(Claim::memberId).setter(Claim.Builder::memberId))
            .addAttribute(Instant.class, a -> a.name(CLAIMED_AT).getter(Claim::claimedAt).setter(Claim.Builder::claimedAt)
                    .attributeConverter(Converters.INSTANT))
            .build();

    private MemberPhonesTable() {
    }
}
