package com.onepoint.member;

import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.Member;
import com.onepoint.shared.domain.MemberStatus;
import com.onepoint.shared.domain.PhoneNumber;
import com.onepoint.shared.dynamo.Items;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.table.MemberPhonesTable;
import com.onepoint.shared.table.MembersTable;
import com.onepoint.shared.table.PointsTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A phone is unique among ACTIVE members under concurrency: the claim is a condition in each transaction, never a
 * read before a write. Every test ends by checking the invariant over the whole tables: each ACTIVE member with a
 * phone holds its claim, and each claim is held by an ACTIVE member with that phone.
 */
class MemberPhoneConcurrencyTest {
    private static LocalDynamo dynamo;
    private static MemberService members;
    private static Env env;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        SamTemplate template = SamTemplate.load(Path.of("template.yaml"));
        dynamo = LocalDynamo.start(template);
        env = new Env(template.functionEnvironment("MemberFunction", dynamo));
        members = new MemberService(dynamo.client(), env.require(MembersTable.ENV), env.require(MemberPhonesTable.ENV),
                env.require(PointsTable.ENV), Clock.systemUTC());
        pool = Executors.newFixedThreadPool(16);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        dynamo.close();
    }

    private static String newId() {
        return "c-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Runs every task at once (they wait on one latch) and gives each one's outcome: null, or its refusal code. */
    private static List<String> together(List<Callable<?>> tasks) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> futures = new ArrayList<>();
        for (Callable<?> task : tasks) {
            futures.add(pool.submit(() -> {
                go.await();
                try {
                    task.call();
                    return null;
                } catch (ApiException e) {
                    return e.code();
                }
            }));
        }
        go.countDown();
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : futures) {
            outcomes.add(f.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    private static String holderOf(String phone) {
        Map<String, AttributeValue> claim = dynamo.client().getItem(b -> b.tableName(env.require(MemberPhonesTable.ENV))
                .key(Items.key(MemberPhonesTable.PHONE, phone)).consistentRead(true)).item();
        return claim == null || claim.isEmpty() ? null : Items.str(claim, MemberPhonesTable.MEMBER_ID);
    }

    /** The invariant, over everything this engine holds (a scan: tests only). */
    private static void assertEveryPhoneHasExactlyItsActiveHolder() {
        Map<String, String> activeByPhone = new java.util.HashMap<>();
        for (Map<String, AttributeValue> m : dynamo.client().scan(b -> b.tableName(env.require(MembersTable.ENV))
                .consistentRead(true)).items()) {
            String phone = Items.str(m, MembersTable.PHONE);
            if (phone != null && MemberStatus.ACTIVE.name().equals(Items.str(m, MembersTable.STATUS))) {
                String other = activeByPhone.put(phone, Items.str(m, MembersTable.MEMBER_ID));
                assertNull(other, "two ACTIVE members with " + phone);
            }
        }
        Map<String, String> claims = new java.util.HashMap<>();
        for (Map<String, AttributeValue> c : dynamo.client().scan(b -> b.tableName(env.require(MemberPhonesTable.ENV))
                .consistentRead(true)).items()) {
            claims.put(Items.str(c, MemberPhonesTable.PHONE), Items.str(c, MemberPhonesTable.MEMBER_ID));
        }
        assertEquals(activeByPhone, claims, "claims vs ACTIVE members' phones");
    }

    @Test
    void ofThirtyConcurrentJoinsWithOnePhoneExactlyOneSucceeds() throws Exception {
        String phone = "010-4000-0001";
        List<String> forms = List.of(phone, "01040000001", "+82 10-4000-0001", "+821040000001", "(010) 4000.0001");
        List<String> ids = new ArrayList<>();
        List<Callable<?>> joins = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String memberId = newId();
            String form = forms.get(i % forms.size());
            ids.add(memberId);
            joins.add(() -> members.join(memberId, "Member", PhoneNumber.normalise("phone", form), null));
        }

        List<String> outcomes = together(joins);

        assertEquals(1, outcomes.stream().filter(o -> o == null).count(), outcomes.toString());
        assertEquals(29, outcomes.stream().filter("PHONE_IN_USE"::equals).count(), outcomes.toString());
        String winner = ids.get(outcomes.indexOf(null));
        assertEquals(winner, holderOf("+821040000001"));
        assertEquals(winner, members.findByPhone("+821040000001").memberId());
        for (String memberId : ids) {
            if (!memberId.equals(winner)) {
                assertTrue(dynamo.client().getItem(b -> b.tableName(env.require(MembersTable.ENV))
                        .key(Items.key(MembersTable.MEMBER_ID, memberId)).consistentRead(true)).item().isEmpty(),
                        "a refused join writes no member");
            }
        }
        assertEveryPhoneHasExactlyItsActiveHolder();
    }

    @Test
    void twoMembersPatchingToOnePhoneAtOnceOneWins() throws Exception {
        for (int round = 0; round < 10; round++) {
            String a = newId();
            String b = newId();
            String phoneA = "+8210500" + String.format("%05d", round * 2);
            String phoneB = "+8210500" + String.format("%05d", round * 2 + 1);
            String contested = "+8210600" + String.format("%05d", round);
            members.join(a, "A", phoneA, null);
            members.join(b, "B", phoneB, null);

            List<String> outcomes = together(List.of(
                    () -> members.change(a, null, Optional.of(contested), null),
                    () -> members.change(b, null, Optional.of(contested), null)));

            assertEquals(1, outcomes.stream().filter(o -> o == null).count(), outcomes.toString());
            assertTrue(outcomes.contains("PHONE_IN_USE"), outcomes.toString());
            String winner = outcomes.get(0) == null ? a : b;
            String loser = winner.equals(a) ? b : a;
            assertEquals(winner, holderOf(contested));
            assertEquals(contested, members.get(winner).phone());
            assertNull(holderOf(winner.equals(a) ? phoneA : phoneB), "the winner's old phone is free");
            assertEquals(loser, holderOf(loser.equals(a) ? phoneA : phoneB), "the loser keeps its phone");
        }
        assertEveryPhoneHasExactlyItsActiveHolder();
    }

    /** A PATCH writes what it names on the version it read: two PATCHes of different fields at once both land. */
    @Test
    void twoPatchesOfDifferentFieldsAtOnceLoseNeither() throws Exception {
        for (int round = 0; round < 10; round++) {
            String memberId = newId();
            members.join(memberId, "Before", "+8210550" + String.format("%05d", round), "before@example.com");

            List<String> outcomes = together(List.of(
                    () -> members.change(memberId, "After", null, null),
                    () -> members.change(memberId, null, null, Optional.of("after@example.com"))));

            assertEquals(java.util.Arrays.asList(null, null), outcomes);
            Member member = members.get(memberId);
            assertEquals("After", member.name());
            assertEquals("after@example.com", member.email());
            assertEquals(3, member.version());
        }
        assertEveryPhoneHasExactlyItsActiveHolder();
    }

    /** Leave reads the phone to free it; a PATCH of the phone landing in between must not leave a claim behind. */
    @Test
    void aPhoneChangeRacingALeaveLeavesNoClaimBehind() throws Exception {
        for (int round = 0; round < 10; round++) {
            String memberId = newId();
            String before = "+8210700" + String.format("%05d", round);
            String after = "+8210800" + String.format("%05d", round);
            members.join(memberId, "Racer", before, "racer@example.com");

            List<String> outcomes = together(List.of(
                    () -> members.change(memberId, null, Optional.of(after), null),
                    () -> members.leave(memberId)));

            assertNull(outcomes.get(1), "the leave always succeeds: " + outcomes);
            assertTrue(outcomes.get(0) == null || "MEMBER_NOT_ACTIVE".equals(outcomes.get(0)), outcomes.toString());
            Member left = members.get(memberId);
            assertEquals(MemberStatus.WITHDRAWN, left.status());
            assertNull(left.phone());
            assertNull(left.name());
            assertNull(left.email());
            assertNull(holderOf(before));
            assertNull(holderOf(after));
        }
        assertEveryPhoneHasExactlyItsActiveHolder();
    }

    /** A join with the phone of a member who is leaving: refused while the holder is ACTIVE, free the moment it left. */
    @Test
    void aJoinRacingTheHoldersLeaveNeverMakesTwoHolders() throws Exception {
        for (int round = 0; round < 10; round++) {
            String holder = newId();
            String newcomer = newId();
            String phone = "+8210900" + String.format("%05d", round);
            members.join(holder, "Holder", phone, null);

            List<String> outcomes = together(List.of(
                    () -> members.leave(holder),
                    () -> members.join(newcomer, "Newcomer", phone, null)));

            assertNull(outcomes.get(0), outcomes.toString());
            if (outcomes.get(1) == null) {
                assertEquals(newcomer, holderOf(phone));
            } else {
                assertEquals("PHONE_IN_USE", outcomes.get(1));
                assertNull(holderOf(phone), "freed by the leave");
            }
            assertFalse(holder.equals(holderOf(phone)));
        }
        assertEveryPhoneHasExactlyItsActiveHolder();
    }
}
