package com.onepoint.shared.table;

import com.onepoint.shared.domain.Member;
import com.onepoint.shared.domain.MemberStatus;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

import java.time.Instant;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;

/** Table of members, key {@code memberId}; stream NEW_AND_OLD_IMAGES. Name from MEMBERS_TABLE. */
public final class MembersTable {
    public static final String ENV = "MEMBERS_TABLE";
    public static final String MEMBER_ID = "memberId";
    public static final String NAME = "name";
    public static final String PHONE = "phone";
    public static final String EMAIL = "email";
    public static final String STATUS = "status";
    public static final String JOINED_AT = "joinedAt";
    public static final String WITHDRAWN_AT = "withdrawnAt";
    public static final String FORFEITED_POINTS = "forfeitedPoints";
    /** When leave erased name, phone and e-mail. */
    public static final String ERASED_AT = "erasedAt";
    /** Starts at 1 and grows by 1 with every write, so read models can apply changes once and in order. */
    public static final String VERSION = "version";

    public static final TableSchema<Member> SCHEMA = StaticImmutableTableSchema.builder(Member.class, Member.Builder.class)
            .newItemBuilder(Member::builder, Member.Builder::build)
            .addAttribute(String.class, a -> a.name(MEMBER_ID).getter(Member::memberId).setter(Member.Builder::memberId)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(NAME).getter(Member::name).setter(Member.Builder::name))
            .addAttribute(String.class, a -> a.name(PHONE).getter(Member::phone).setter(Member.Builder::phone))
            .addAttribute(String.class, a -> a.name(EMAIL).getter(Member::email).setter(Member.Builder::email))
            .addAttribute(MemberStatus.class, a -> a.name(STATUS).getter(Member::status).setter(Member.Builder::status)
                    .attributeConverter(Converters.byName(MemberStatus.class)))
            .addAttribute(Instant.class, a -> a.name(JOINED_AT).getter(Member::joinedAt).setter(Member.Builder::joinedAt)
                    .attributeConverter(Converters.INSTANT))
            .addAttribute(Instant.class, a -> a.name(WITHDRAWN_AT).getter(Member::withdrawnAt)
                    .setter(Member.Builder::withdrawnAt).attributeConverter(Converters.INSTANT))
            .addAttribute(Long.class, a -> a.name(FORFEITED_POINTS).getter(Member::forfeitedPoints)
                    .setter(Member.Builder::forfeitedPoints))
            .addAttribute(Instant.class, a -> a.name(ERASED_AT).getter(Member::erasedAt)
                    .setter(Member.Builder::erasedAt).attributeConverter(Converters.INSTANT))
            .addAttribute(Long.class, a -> a.name(VERSION).getter(Member::version).setter(Member.Builder::version))
            .build();

    private MembersTable() {
    }
}
