package com.onepoint.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POS retries through the HTTP port: the Idempotency-Key header makes a retried POST harmless. */
class IdempotencyOverHttpTest {
    private static LocalRuntime runtime;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(TestTemplates.project(), 0, RuntimeOverrides.standard());
        api = new ApiClient(runtime);
        api.post("/merchants", "{\"merchantId\":\"i-shop\",\"name\":\"Shop\"}");
        api.post("/members", "{\"memberId\":\"i-m\",\"name\":\"M\"}");
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static ApiClient.Answer post(String path, String key, String body) {
        return api.send(HttpRequest.newBuilder(api.uri(path)).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static long balance() {
        return api.get("/points/i-m").json().get("balance").asLong();
    }

    @Test
    void retriesOfOneEarnGiveOneDealAndTheSameBytes() throws Exception {
        String body = "{\"memberId\":\"i-m\",\"merchantId\":\"i-shop\",\"type\":\"earn\",\"amount\":100000}";
        long before = balance();
        ApiClient.Answer first = post("/deals", "receipt-1", body);
        assertEquals(201, first.status(), first.body());
        for (int i = 0; i < 100; i++) {
            ApiClient.Answer again = post("/deals", "receipt-1", body);
            assertEquals(201, again.status());
            assertEquals(first.body(), again.body(), "byte-identical replay");
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<ApiClient.Answer>> futures = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            futures.add(pool.submit(() -> {
                gate.await();
                return post("/deals", "receipt-2", body);
            }));
        }
        gate.countDown();
        String winner = null;
        for (Future<ApiClient.Answer> f : futures) {
            ApiClient.Answer a = f.get(60, TimeUnit.SECONDS);
            if (a.status() == 201) {
                assertTrue(winner == null || winner.equals(a.body()), "one response for one key");
                winner = a.body();
            } else {
                assertEquals(409, a.status(), a.body());
                assertEquals("REQUEST_IN_PROGRESS", a.errorCode());
            }
        }
        pool.shutdown();
        assertEquals(before + 2000, balance(), "two keys, two earns, whatever the retries");
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndChangesNothing() {
        String body = "{\"memberId\":\"i-m\",\"merchantId\":\"i-shop\",\"type\":\"earn\",\"amount\":5000}";
        assertEquals(201, post("/deals", "receipt-3", body).status());
        long after = balance();

        ApiClient.Answer reused = post("/deals", "receipt-3", body.replace("5000", "9000"));

        assertEquals(422, reused.status(), reused.body());
        assertEquals("IDEMPOTENCY_KEY_REUSED", reused.errorCode());
        assertEquals(after, balance());
    }
}
