package com.onepoint.member;

import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.domain.AccountStatus;
import com.onepoint.shared.domain.Member;
import com.onepoint.shared.domain.MemberStatus;
import com.onepoint.shared.domain.PointAccount;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.dynamo.LedgerMovement;
import com.onepoint.shared.dynamo.Transactions;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.table.MemberPhonesTable;
import com.onepoint.shared.table.MembersTable;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static com.onepoint.shared.dynamo.Items.n;
import static com.onepoint.shared.dynamo.Items.s;

/**
 * Membership: join (member + point account + phone claim, atomically), read, find by phone, change, and leave
 * (withdraw + forfeit + erase, atomically). A phone is held by at most one ACTIVE member through its claim in
 * {@link MemberPhonesTable}, written in the same transaction as the member.
 */
public final class MemberService {
    /** How often leave re-reads the balance when uses keep moving it; each try is one transaction. */
    private static final int LEAVE_ATTEMPTS = 50;
    /** How often a change re-reads the member when another change of its phone lands in between. */
    private static final int CHANGE_ATTEMPTS = 10;

    private final DynamoDbClient db;
    private final DynamoDbTable<Member> members;
    private final DynamoDbTable<PointAccount> accounts;
    private final DynamoDbTable<MemberPhonesTable.Claim> phones;
    private final String membersTable;
    private final String phonesTable;
    private final String pointsTable;
    private final Clock clock;

    public MemberService(DynamoDbClient db, String membersTable, String phonesTable, String pointsTable, Clock clock) {
        this.db = db;
        this.members = AwsClients.enhanced(db).table(membersTable, MembersTable.SCHEMA);
        this.accounts = AwsClients.enhanced(db).table(pointsTable, PointsTable.SCHEMA);
        this.phones = AwsClients.enhanced(db).table(phonesTable, MemberPhonesTable.SCHEMA);
        this.membersTable = membersTable;
        this.phonesTable = phonesTable;
        this.pointsTable = pointsTable;
        this.clock = clock;
    }

    /** The outcome of a leave: the balance that was forfeited. */
    public record Withdrawal(String memberId, MemberStatus status, long forfeitedPoints) {
    }

    /**
     * Creates the member, an OPEN point account with balance 0 and, with a phone, its claim, in one transaction:
     * 409 MEMBER_EXISTS if the id is taken, 409 PHONE_IN_USE if an ACTIVE member holds the phone.
     *
     * @param phone canonical ({@link com.onepoint.shared.domain.PhoneNumber}), or null
     */
    public Member join(String memberId, String name, String phone, String email) {
        Instant now = clock.instant();
        Member member = Member.joined(memberId, name, phone, email, now);
        // a transaction of conditional puts: the low-level client, with items from the schemas
        List<TransactWriteItem> items = new ArrayList<>(List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(membersTable)
                        .item(MembersTable.SCHEMA.itemToMap(member, true))
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", MembersTable.MEMBER_ID)).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(pointsTable)
                        .item(PointsTable.SCHEMA.itemToMap(PointAccount.opened(memberId, now), true))
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", PointsTable.MEMBER_ID)).build()).build()));
        if (phone != null) {
            items.add(claim(phone, memberId, now));
        }
        try {
            Transactions.write(db, items);
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 0) || Transactions.conditionFailed(e, 1)) {
                // a withdrawn member keeps its id: ids are never reused, so history stays unambiguous
                throw new ApiException(409, "MEMBER_EXISTS", "member " + memberId + " already exists",
                        Map.of("memberId", memberId));
            }
            if (phone != null && Transactions.conditionFailed(e, 2)) {
                throw phoneInUse();
            }
            throw e;
        }
        return member;
    }

    public Member get(String memberId) {
        Member member = members.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(memberId).build()).consistentRead(true).build());
        if (member == null) {
            throw notFound(memberId);
        }
        return member;
    }

    /**
     * The ACTIVE member holding {@code phone} (canonical), or 404 MEMBER_NOT_FOUND: one GetItem of the claim, one of
     * the member. A member who changed phone or left between the two reads no longer holds it, and is not answered.
     */
    public Member findByPhone(String phone) {
        MemberPhonesTable.Claim claim = phones.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(phone).build()).consistentRead(true).build());
        Member member = claim == null ? null : members.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(claim.memberId()).build()).consistentRead(true).build());
        if (member == null || member.status() != MemberStatus.ACTIVE || !phone.equals(member.phone())) {
            throw new ApiException(404, "MEMBER_NOT_FOUND", "no active member has this phone");
        }
        return member;
    }

    /**
     * Changes name, phone and/or e-mail of an ACTIVE member; fields not named are not written. One transaction
     * updates the member on condition it is ACTIVE and still at the version read, deletes the old phone's claim
     * (this member's) and puts the new one with attribute_not_exists: 409 PHONE_IN_USE if another ACTIVE member holds
     * it, 409 MEMBER_NOT_ACTIVE, 404. A concurrent change or leave of this member moves its version and fails the
     * condition; the change is then tried again on what it finds.
     *
     * @param name  null: keep
     * @param phone null: keep; empty: remove; else canonical
     * @param email null: keep; empty: remove
     */
    public Member change(String memberId, String name, Optional<String> phone, Optional<String> email) {
        for (int attempt = 1; attempt <= CHANGE_ATTEMPTS; attempt++) {
            Member current = members.getItem(GetItemEnhancedRequest.builder()
                    .key(Key.builder().partitionValue(memberId).build()).consistentRead(true).build());
            if (current == null) {
                throw notFound(memberId);
            }
            if (current.status() != MemberStatus.ACTIVE) {
                throw notActive(memberId);
            }
            String oldPhone = current.phone();
            String newPhone = phone == null ? oldPhone : phone.orElse(null);
            String newEmail = email == null ? current.email() : email.orElse(null);
            String newName = name == null ? current.name() : name;

            List<String> set = new ArrayList<>(List.of("#version = #version + :one"));
            List<String> remove = new ArrayList<>();
            Map<String, String> names = new HashMap<>(Map.of("#status", MembersTable.STATUS, "#version", MembersTable.VERSION));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":active", s(MemberStatus.ACTIVE.name()), ":one", n(1),
                    ":version", n(current.version())));
            if (name != null) {
                assign(set, remove, names, values, MembersTable.NAME, newName);
            }
            if (phone != null) {
                assign(set, remove, names, values, MembersTable.PHONE, newPhone);
            }
            if (email != null) {
                assign(set, remove, names, values, MembersTable.EMAIL, newEmail);
            }
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(TransactWriteItem.builder().update(Update.builder().tableName(membersTable)
                    .key(Items.key(MembersTable.MEMBER_ID, memberId))
                    .updateExpression("SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove)))
                    .conditionExpression("#status = :active AND #version = :version")
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build()).build());
            boolean moves = !Objects.equals(oldPhone, newPhone);
            if (moves && oldPhone != null) {
                items.add(release(oldPhone, memberId));
            }
            int claimIndex = -1;
            if (moves && newPhone != null) {
                claimIndex = items.size();
                items.add(claim(newPhone, memberId, clock.instant()));
            }
            try {
                Transactions.write(db, items);
                return new Member(memberId, newName, newPhone, newEmail, current.status(), current.joinedAt(),
                        current.withdrawnAt(), current.forfeitedPoints(), current.erasedAt(), current.version() + 1);
            } catch (TransactionCanceledException e) {
                if (Transactions.conditionFailed(e, 0)) {
                    refuseUnlessChanged(e, memberId);
                    continue; // changed under us: read it again
                }
                if (claimIndex >= 0 && Transactions.conditionFailed(e, claimIndex)) {
                    throw phoneInUse();
                }
                throw e;
            }
        }
        throw new ApiException(503, "BUSY", "the member kept changing; retry the request", Map.of("memberId", memberId));
    }

    /** {@code SET #attr = :attr}, or {@code REMOVE #attr} for null. */
    private static void assign(List<String> set, List<String> remove, Map<String, String> names,
                               Map<String, AttributeValue> values, String attribute, String value) {
        names.put("#" + attribute, attribute);
        if (value == null) {
            remove.add("#" + attribute);
        } else {
            set.add("#" + attribute + " = :" + attribute);
            values.put(":" + attribute, s(value));
        }
    }

    /** The claim of a phone for a member: fails unless no one (no ACTIVE member) holds it. */
    private TransactWriteItem claim(String phone, String memberId, Instant now) {
        return TransactWriteItem.builder().put(Put.builder().tableName(phonesTable)
                .item(MemberPhonesTable.SCHEMA.itemToMap(new MemberPhonesTable.Claim(phone, memberId, now), true))
                .conditionExpression("attribute_not_exists(#phone)")
                .expressionAttributeNames(Map.of("#phone", MemberPhonesTable.PHONE)).build()).build();
    }

    /**
     * Deletes this member's claim of a phone. Absent is accepted: a member stored before phones were claimed holds
     * none. Another member's claim is never deleted (the transaction fails instead).
     */
    private TransactWriteItem release(String phone, String memberId) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(phonesTable)
                .key(Items.key(MemberPhonesTable.PHONE, phone))
                .conditionExpression("attribute_not_exists(#phone) OR #member = :member")
                .expressionAttributeNames(Map.of("#phone", MemberPhonesTable.PHONE, "#member", MemberPhonesTable.MEMBER_ID))
                .expressionAttributeValues(Map.of(":member", s(memberId))).build()).build();
    }

    /**
     * Withdraws the member, forfeiting the whole balance and erasing name, phone and e-mail. One transaction sets the
     * member WITHDRAWN and removes its personal data (on condition ACTIVE and still the phone read), closes the
     * account at balance 0 (on condition that the balance is still the one read) and deletes the phone's claim, so
     * the phone is free at once. A use or a change of phone that lands in between fails a condition, and the leave
     * retries with the new figures. Uses check member ACTIVE and account OPEN in their own transactions, so none can
     * commit after the leave.
     */
    public Withdrawal leave(String memberId) {
        for (int attempt = 1; attempt <= LEAVE_ATTEMPTS; attempt++) {
            Member member = members.getItem(GetItemEnhancedRequest.builder()
                    .key(Key.builder().partitionValue(memberId).build()).consistentRead(true).build());
            PointAccount account = accounts.getItem(GetItemEnhancedRequest.builder()
                    .key(Key.builder().partitionValue(memberId).build()).consistentRead(true).build());
            if (member == null || account == null) {
                throw notFound(memberId);
            }
            if (member.status() != MemberStatus.ACTIVE) {
                throw notActive(memberId);
            }
            long balance = account.balance();
            String phone = member.phone();
            String now = clock.instant().toString();
            Map<String, AttributeValue> memberValues = new HashMap<>(Map.of(":withdrawn", s(MemberStatus.WITHDRAWN.name()),
                    ":active", s(MemberStatus.ACTIVE.name()), ":now", s(now), ":balance", n(balance), ":one", n(1)));
            if (phone != null) {
                memberValues.put(":phone", s(phone));
            }
            List<TransactWriteItem> items = new ArrayList<>(List.of(
                    TransactWriteItem.builder().update(Update.builder().tableName(membersTable)
                            .key(Items.key(MembersTable.MEMBER_ID, memberId))
                            .updateExpression("SET #status = :withdrawn, withdrawnAt = :now, forfeitedPoints = :balance, "
                                    + "erasedAt = :now, version = version + :one REMOVE #name, #phone, #email")
                            .conditionExpression("#status = :active AND "
                                    + (phone == null ? "attribute_not_exists(#phone)" : "#phone = :phone"))
                            .expressionAttributeNames(Map.of("#status", MembersTable.STATUS, "#name", MembersTable.NAME,
                                    "#phone", MembersTable.PHONE, "#email", MembersTable.EMAIL))
                            .expressionAttributeValues(memberValues)
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                            .build()).build(),
                    TransactWriteItem.builder().update(LedgerMovement.forfeit(balance, Instant.parse(now)).recordedBy(
                            Update.builder().tableName(pointsTable)
                            .key(Items.key(PointsTable.MEMBER_ID, memberId))
                            .updateExpression("SET balance = :zero, #status = :closed, closedAt = :now, "
                                    + "forfeitedPoints = :balance, updatedAt = :now, version = version + :one")
                            .conditionExpression("#status = :open AND balance = :balance")
                            .expressionAttributeNames(Map.of("#status", PointsTable.STATUS))
                            .expressionAttributeValues(Map.of(":zero", n(0), ":closed", s(AccountStatus.CLOSED.name()),
                                    ":open", s(AccountStatus.OPEN.name()), ":now", s(now), ":balance", n(balance), ":one", n(1)))
                            .build())).build()));
            if (phone != null) {
                items.add(release(phone, memberId));
            }
            try {
                Transactions.write(db, items);
                return new Withdrawal(memberId, MemberStatus.WITHDRAWN, balance);
            } catch (TransactionCanceledException e) {
                if (Transactions.conditionFailed(e, 0)) {
                    refuseUnlessChanged(e, memberId);
                    continue; // its phone changed under us: read it again
                }
                if (!Transactions.conditionFailed(e, 1)) {
                    throw e;
                }
                // the balance moved under us (a concurrent earn or use): read it again
            }
        }
        throw new ApiException(503, "BUSY", "the point account kept changing; retry the request",
                Map.of("memberId", memberId));
    }

    static ApiException notActive(String memberId) {
        return new ApiException(409, "MEMBER_NOT_ACTIVE", "member " + memberId + " is not active",
                Map.of("memberId", memberId));
    }

    /** The details name the field only: which member holds the phone is not the caller's to learn from a refusal. */
    static ApiException phoneInUse() {
        return new ApiException(409, "PHONE_IN_USE", "another active member has this phone", Map.of("field", "phone"));
    }

    static ApiException notFound(String memberId) {
        return new ApiException(404, "MEMBER_NOT_FOUND", "member " + memberId + " does not exist",
                Map.of("memberId", memberId));
    }

    /**
     * The member's own condition (item 0 of the transaction) failed: 404 when it is gone, 409 when it is no longer
     * ACTIVE; otherwise it changed between the read and the write, and the caller reads it again.
     */
    private static void refuseUnlessChanged(TransactionCanceledException e, String memberId) {
        Map<String, AttributeValue> old = Transactions.oldItem(e, 0);
        if (old.isEmpty()) {
            throw notFound(memberId);
        }
        if (!MemberStatus.ACTIVE.name().equals(Items.str(old, MembersTable.STATUS))) {
            throw notActive(memberId);
        }
    }
}
