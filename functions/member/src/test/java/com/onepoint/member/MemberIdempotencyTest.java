package com.onepoint.member;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.http.ApiRequest;
import com.onepoint.shared.idempotency.IdempotentRequests;
import com.onepoint.shared.table.MembersTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.post;
import static com.onepoint.shared.http.ApiResponses.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * POST /members with an Idempotency-Key, and the idempotency plumbing itself: the in-progress lease, and each
 * handler keeping its records in its own table.
 */
class MemberIdempotencyTest {
    private static SamTemplate template;
    private static LocalDynamo dynamo;
    private static Env env;
    private static MemberHandler handler;

    @BeforeAll
    static void start() {
        template = SamTemplate.load(Path.of("template.yaml"));
        dynamo = LocalDynamo.start(template);
        env = new Env(template.functionEnvironment("MemberFunction", dynamo));
        handler = new MemberHandler(env, dynamo.client(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    private static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static APIGatewayProxyRequestEvent join(String key, String memberId, String name) {
        APIGatewayProxyRequestEvent event = post("/members", Map.of("memberId", memberId, "name", name));
        event.getHeaders().put("Idempotency-Key", key);
        return event;
    }

    private static int count(LocalDynamo db, String table) {
        return db.client().scan(b -> b.tableName(table).select("COUNT").consistentRead(true)).count();
    }

    private static boolean memberExists(LocalDynamo db, Env functionEnv, String memberId) {
        return db.client().getItem(b -> b.tableName(functionEnv.require(MembersTable.ENV))
                .key(Map.of(MembersTable.MEMBER_ID, com.onepoint.shared.dynamo.Items.s(memberId))).consistentRead(true)).hasItem();
    }

    @Test
    void joinRetriesCreateOneMemberAndAnswerAlike() {
        String memberId = newId("m");
        String key = newId("pos");
        APIGatewayProxyResponseEvent first = handler.handleRequest(join(key, memberId, "Kim"), null);
        assertEquals(201, first.getStatusCode(), first.getBody());

        for (int i = 0; i < 50; i++) {
            APIGatewayProxyResponseEvent again = handler.handleRequest(join(key, memberId, "Kim"), null);
            assertEquals(201, again.getStatusCode()); // not 409 MEMBER_EXISTS
            assertEquals(first.getHeaders(), again.getHeaders());
            assertEquals(first.getBody(), again.getBody()); // the same joinedAt
        }
        // without the key, the same join is what it always was
        APIGatewayProxyResponseEvent plain = handler.handleRequest(post("/members", Map.of("memberId", memberId, "name", "Kim")), null);
        assertEquals(409, plain.getStatusCode());
        assertEquals("MEMBER_EXISTS", body(plain).at("/error/code").asText());
    }

    @Test
    void sameKeyAnotherBodyIs422() {
        String key = newId("pos");
        String memberId = newId("m");
        assertEquals(201, handler.handleRequest(join(key, memberId, "Kim"), null).getStatusCode());
        String other = newId("m");

        APIGatewayProxyResponseEvent reused = handler.handleRequest(join(key, other, "Lee"), null);

        assertEquals(422, reused.getStatusCode());
        assertEquals("IDEMPOTENCY_KEY_REUSED", body(reused).at("/error/code").asText());
        assertEquals(false, memberExists(dynamo, env, other));
    }

    /**
     * A first attempt holds its key while it runs (a duplicate gets 409 REQUEST_IN_PROGRESS), but only for the lease:
     * one that died (a Lambda timeout) does not block its key for 24 h; and if it was only slow, finishing late does
     * not overwrite what the attempt that took the key over stored.
     */
    @Test
    void anUnfinishedAttemptHoldsItsKeyForTheLeaseOnly() throws Exception {
        IdempotentRequests requests = new IdempotentRequests(dynamo.client(), env.require(IdempotentRequests.TABLE_ENV),
                Duration.ofSeconds(2));
        ApiRequest request = new ApiRequest(join(newId("pos"), newId("m"), "Kim"), "test");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<APIGatewayProxyResponseEvent> stuck = CompletableFuture.supplyAsync(() ->
                requests.respond(request, null, () -> {
                    running.countDown();
                    await(release);
                    return json(201, Map.of("attempt", 1));
                }));
        try {
            running.await(10, TimeUnit.SECONDS);
            long leaseEnd = System.currentTimeMillis() + 2000; // at the latest: the lease began before the route ran

            ApiException duplicate = assertThrows(ApiException.class,
                    () -> requests.respond(request, null, () -> json(201, Map.of("attempt", "duplicate"))));
            assertEquals(409, duplicate.status());
            assertEquals("REQUEST_IN_PROGRESS", duplicate.code());

            Thread.sleep(Math.max(0, leaseEnd - System.currentTimeMillis()) + 300); // the first attempt is as good as dead
            APIGatewayProxyResponseEvent takeover = requests.respond(request, null, () -> json(201, Map.of("attempt", 2)));
            assertEquals("{\"attempt\":2}", takeover.getBody());
            assertEquals("{\"attempt\":2}", requests.respond(request, null, () -> json(201, Map.of("attempt", 3))).getBody());
            // the first attempt finishes after all: its answer reaches its caller, but the stored one stays attempt 2
            release.countDown();
            assertEquals("{\"attempt\":1}", stuck.get(10, TimeUnit.SECONDS).getBody());
            assertEquals("{\"attempt\":2}", requests.respond(request, null, () -> json(201, Map.of("attempt", 4))).getBody());
        } finally {
            release.countDown();
            stuck.get(10, TimeUnit.SECONDS);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Each handler uses its own table: a second handler on a second engine, built last, must not capture the first
     * handler's requests (nor the reverse).
     */
    @Test
    void eachHandlerUsesItsOwnTableWhateverOrderTheyWereBuiltIn() {
        try (LocalDynamo other = LocalDynamo.start(template)) {
            Env otherEnv = new Env(template.functionEnvironment("MemberFunction", other));
            MemberHandler otherHandler = new MemberHandler(otherEnv, other.client(), Clock.systemUTC()); // built last
            String idempotencyTable = env.require(IdempotentRequests.TABLE_ENV);
            int before = count(dynamo, idempotencyTable);
            String key = newId("pos");
            String memberId = newId("m");

            assertEquals(201, handler.handleRequest(join(key, memberId, "Kim"), null).getStatusCode());
            assertEquals(before + 1, count(dynamo, idempotencyTable));
            assertEquals(0, count(other, otherEnv.require(IdempotentRequests.TABLE_ENV)));

            // the same caller, key and body on the other stack is a first request there
            assertEquals(201, otherHandler.handleRequest(join(key, memberId, "Kim"), null).getStatusCode());
            assertEquals(1, count(other, otherEnv.require(IdempotentRequests.TABLE_ENV)));
            assertEquals(before + 1, count(dynamo, idempotencyTable));
            for (LocalDynamo db : List.of(dynamo, other)) {
                assertEquals(true, memberExists(db, env, memberId));
            }
            // and the first handler still replays from its own table
            assertEquals(201, handler.handleRequest(join(key, memberId, "Kim"), null).getStatusCode());
        }
    }
}
