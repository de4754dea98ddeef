package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** SPEC §3 authentication and authorization through the local runtime's HTTP port and the template's authorizer. */
class AuthOverHttpTest {
    private static LocalRuntime runtime;
    private static ApiClient admin;
    private static ApiClient shopA;
    private static ApiClient shopB;
    private static String dealOfB;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(TestTemplates.project(), 0, RuntimeOverrides.standard());
        admin = new ApiClient(runtime);
        shopA = admin.withKey(register("auth-a"));
        shopB = admin.withKey(register("auth-b"));
        assertEquals(201, admin.post("/members", "{\"memberId\":\"auth-m\",\"name\":\"M\"}").status());
        assertEquals(201, shopB.post("/deals", deal("auth-b", "earn")).status());
        dealOfB = shopB.post("/deals", deal("auth-b", "earn")).json().get("dealId").asText();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static String register(String merchantId) {
        ApiClient.Answer created = admin.post("/merchants", "{\"merchantId\":\"" + merchantId + "\",\"name\":\"Shop\"}");
        assertEquals(201, created.status(), created.body());
        return created.json().get("apiKey").asText();
    }

    private static String deal(String merchantId, String type) {
        return "{\"memberId\":\"auth-m\",\"merchantId\":\"" + merchantId + "\",\"type\":\"" + type + "\",\"amount\":10000}";
    }

    /** The body is the template's UNAUTHORIZED gateway response, as API Gateway would answer it. */
    @Test
    void noKeyOrAWrongKeyIs401InTheTemplatesGatewayResponse() {
        String declared = GatewayResponsesTest.declaredBody(TestTemplates.project(), "UNAUTHORIZED");
        for (ApiClient caller : new ApiClient[]{admin.withKey(null), admin.withKey("op_not-a-key"), admin.withKey("")}) {
            ApiClient.Answer answer = caller.get("/points/auth-m");
            assertEquals(401, answer.status(), answer.body());
            String requestId = answer.raw().headers().firstValue("x-amzn-RequestId").orElseThrow();
            assertEquals(GatewayResponsesTest.json(declared.replace("$context.requestId", requestId)), answer.json());
            assertEquals("UNAUTHORIZED", answer.errorCode());
            assertEquals("application/json", answer.raw().headers().firstValue("Content-Type").orElseThrow());
        }
    }

    @Test
    void aMerchantKeyActsForItsOwnMerchantOnly() {
        assertEquals(201, shopA.post("/deals", deal("auth-a", "earn")).status());
        ApiClient.Answer forOther = shopA.post("/deals", deal("auth-b", "earn"));
        assertEquals(403, forOther.status(), forOther.body());
        assertEquals("FORBIDDEN", forOther.errorCode());
        assertEquals(403, shopA.post("/deals/" + dealOfB + "/cancel", null).status());
        assertEquals(403, shopA.get("/deals/" + dealOfB).status());
        assertEquals("SUCCESS", admin.get("/deals/" + dealOfB).json().get("status").asText(), "nothing changed");
    }

    @Test
    void aMerchantKeyMayRegisterAndReadMembersAndBalances() {
        assertEquals(201, shopA.post("/members", "{\"memberId\":\"auth-n\",\"name\":\"N\"}").status());
        assertEquals(200, shopA.get("/members/auth-m").status());
        assertEquals(200, shopA.get("/points/auth-m").status());
    }

    @Test
    void merchantKeysAreRefusedOnAdminRoutes() {
        String[][] routes = {
                {"POST", "/merchants", "{\"merchantId\":\"x\",\"name\":\"X\"}"},
                {"GET", "/merchants/auth-a", null},
                {"DELETE", "/members/auth-m", null},
                {"POST", "/billings", "{\"merchantId\":\"auth-a\",\"billingMonth\":\"202601\"}"},
                {"GET", "/dashboard/members/auth-m", null},
                {"POST", "/admin/restore-dlq/redrive", null}};
        for (String[] r : routes) {
            ApiClient.Answer answer = shopA.send(r[0], r[1], r[2] == null ? null : "application/json",
                    r[2] == null ? null : r[2].getBytes());
            assertEquals(403, answer.status(), r[0] + " " + r[1] + ": " + answer.body());
            assertEquals("FORBIDDEN", answer.errorCode());
        }
        assertEquals("ACTIVE", admin.get("/members/auth-m").json().get("status").asText(), "the member did not leave");
    }

    @Test
    void aRotatedKeyReplacesTheOldOne() {
        String oldKey = register("auth-rot");
        ApiClient before = admin.withKey(oldKey);
        assertEquals(200, before.get("/points/auth-m").status());

        JsonNode rotated = before.post("/merchants/auth-rot/api-key", null).json();

        assertEquals(200, admin.withKey(rotated.get("apiKey").asText()).get("/points/auth-m").status());
        assertEquals(401, before.get("/points/auth-m").status(), "the old key is revoked");
    }
}
