package com.onepoint.shared.table;

import com.onepoint.shared.domain.Member;
import com.onepoint.shared.domain.MemberStatus;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;

import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.numOrNull;
import static com.onepoint.shared.dynamo.Items.putIfPresent;
import static com.onepoint.shared.dynamo.Items.s;
import static com.onepoint.shared.dynamo.Items.str;

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
    /** Starts at 1 and grows by 1 with every write, so read models can apply changes once and in order. */
    public static final String VERSION = "version";

    private MembersTable() {
    }

    public static Map<String, AttributeValue> toItem(Member m) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(MEMBER_ID, s(m.memberId()));
        item.put(NAME, s(m.name()));
        putIfPresent(item, PHONE, m.phone());
        putIfPresent(item, EMAIL, m.email());
        item.put(STATUS, s(m.status().name()));
        item.put(JOINED_AT, s(m.joinedAt()));
        putIfPresent(item, WITHDRAWN_AT, m.withdrawnAt());
        putIfPresent(item, FORFEITED_POINTS, m.forfeitedPoints());
        item.put(VERSION, n(1)); // toItem creates: every later change is an update that increments it
        return item;
    }

    public static Member fromItem(Map<String, AttributeValue> item) {
        return new Member(str(item, MEMBER_ID), str(item, NAME), str(item, PHONE), str(item, EMAIL),
                MemberStatus.valueOf(str(item, STATUS)), str(item, JOINED_AT), str(item, WITHDRAWN_AT),
                numOrNull(item, FORFEITED_POINTS));
    }
}
