package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** SPEC §8 steps 1-5, with their exact figures, over real HTTP against the real template.yaml. */
class AcceptanceScenarioTest {
    private static LocalRuntime runtime;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(TestTemplates.project(), 0, RuntimeOverrides.standard());
        api = new ApiClient(runtime);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void stepsOneToFive() {
        // Merchant 20 registered with defaults. Members 0001 and 0002 join.
        ApiClient.Answer merchant = api.post("/merchants", "{\"merchantId\":\"20\",\"name\":\"Merchant 20\"}");
        assertEquals(201, merchant.status(), merchant.body());
        assertEquals("0.01", merchant.json().get("earnRate").asText());
        assertEquals("0.98", merchant.json().get("settlementRate").asText());
        assertFalse(merchant.json().path("apiKey").asText().isEmpty(), "the API key is shown once, at registration");
        for (String id : new String[] {"0001", "0002"}) {
            ApiClient.Answer joined = api.post("/members", "{\"memberId\":\"" + id + "\",\"name\":\"Member " + id + "\"}");
            assertEquals(201, joined.status(), joined.body());
            assertEquals("ACTIVE", joined.json().get("status").asText());
        }

        // 1. 0001 earns on 100000 -> SUCCESS, 1000 points; balance 1000. Cancel it -> balance 0, CANCELLED. Earn again -> 1000.
        JsonNode earn = deal("0001", "earn", 100000, null, 201);
        assertEquals("SUCCESS", earn.get("status").asText());
        assertEquals(1000, earn.get("points").asLong());
        assertBalance("0001", 1000);
        ApiClient.Answer cancelled = api.post("/deals/" + earn.get("dealId").asText() + "/cancel", null);
        assertEquals(200, cancelled.status(), cancelled.body());
        assertEquals("CANCELLED", cancelled.json().get("status").asText());
        assertBalance("0001", 0);
        assertEquals("CANCELLED", api.get("/deals/" + earn.get("dealId").asText()).json().get("status").asText());
        deal("0001", "earn", 100000, null, 201);
        assertBalance("0001", 1000);

        // 2. 0001 uses 100 (amount 10000) -> SUCCESS; balance 900.
        JsonNode use = deal("0001", "use", 10000, 100L, 201);
        assertEquals("SUCCESS", use.get("status").asText());
        assertEquals(100, use.get("points").asLong());
        assertBalance("0001", 900);

        // 3. 0001 uses 10000 -> 409, deal FAILED/INSUFFICIENT_POINTS, readable by its id; balance 900.
        ApiClient.Answer refused = api.post("/deals", dealBody("0001", "use", 10000, 10000L));
        assertEquals(409, refused.status(), refused.body());
        assertEquals("INSUFFICIENT_POINTS", refused.errorCode());
        JsonNode failed = refused.json().path("error").path("details").path("deal");
        assertEquals("FAILED", failed.get("status").asText());
        ApiClient.Answer readBack = api.get("/deals/" + failed.get("dealId").asText());
        assertEquals(200, readBack.status(), readBack.body());
        assertEquals("FAILED", readBack.json().get("status").asText());
        assertEquals("INSUFFICIENT_POINTS", readBack.json().get("failureReason").asText());
        assertBalance("0001", 900);

        // 4. 0001 earns on 100000 -> balance 1900.
        deal("0001", "earn", 100000, null, 201);
        assertBalance("0001", 1900);

        // 5. 0002 earns on 100000, uses 200, uses 200 -> balance 600.
        deal("0002", "earn", 100000, null, 201);
        deal("0002", "use", 20000, 200L, 201);
        deal("0002", "use", 20000, 200L, 201);
        assertBalance("0002", 600);
    }

    private static JsonNode deal(String memberId, String type, long amount, Long points, int expectedStatus) {
        ApiClient.Answer answer = api.post("/deals", dealBody(memberId, type, amount, points));
        assertEquals(expectedStatus, answer.status(), answer.body());
        assertNotNull(answer.json().get("dealId"));
        return answer.json();
    }

    static String dealBody(String memberId, String type, long amount, Long points) {
        return "{\"memberId\":\"" + memberId + "\",\"merchantId\":\"20\",\"type\":\"" + type + "\",\"amount\":" + amount
                + (points == null ? "" : ",\"points\":" + points) + "}";
    }

    private static void assertBalance(String memberId, long expected) {
        ApiClient.Answer balance = api.get("/points/" + memberId);
        assertEquals(200, balance.status(), balance.body());
        assertEquals(expected, balance.json().get("balance").asLong(), "balance of " + memberId);
        assertEquals("OPEN", balance.json().get("status").asText());
    }
}
