package com.onepoint.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The 400, 404, 405 and 409 answers of the REST API over real HTTP against template.yaml (SPEC §3). */
class ApiErrorsTest {
    private static LocalRuntime runtime;
    private static ApiClient api;
    /** A member and merchant with a balance, created once; ids unique to this class. */
    private static final String MERCHANT = "m-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String MEMBER = "u-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(TestTemplates.project(), 0, RuntimeOverrides.standard());
        api = new ApiClient(runtime);
        assertEquals(201, api.post("/merchants", "{\"merchantId\":\"" + MERCHANT + "\",\"name\":\"Errors\"}").status());
        assertEquals(201, api.post("/members", "{\"memberId\":\"" + MEMBER + "\",\"name\":\"Errors\"}").status());
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void malformedJsonIs400NamingTheBody() {
        ApiClient.Answer answer = api.post("/members", "{\"memberId\":");
        assertError(answer, 400, "VALIDATION_FAILED");
        assertEquals("body", answer.json().path("error").path("details").path("field").asText());
    }

    @Test
    void negativeAmountIs400NamingTheField() {
        ApiClient.Answer answer = api.post("/deals", "{\"memberId\":\"" + MEMBER + "\",\"merchantId\":\"" + MERCHANT
                + "\",\"type\":\"earn\",\"amount\":-5}");
        assertError(answer, 400, "VALIDATION_FAILED");
        assertEquals("amount", answer.json().path("error").path("details").path("field").asText());
    }

    @Test
    void badIdInThePathIs400() {
        ApiClient.Answer answer = api.get("/members/not%20an%20id");
        assertError(answer, 400, "VALIDATION_FAILED");
        assertEquals("memberId", answer.json().path("error").path("details").path("field").asText());
    }

    @Test
    void badIdInTheBodyIs400() {
        ApiClient.Answer answer = api.post("/members", "{\"memberId\":\"no/slashes\",\"name\":\"x\"}");
        assertError(answer, 400, "VALIDATION_FAILED");
        assertEquals("memberId", answer.json().path("error").path("details").path("field").asText());
    }

    @Test
    void unknownMemberIs404() {
        assertError(api.get("/members/nobody-" + UUID.randomUUID()), 404, "MEMBER_NOT_FOUND");
        assertError(api.get("/points/nobody"), 404, "MEMBER_NOT_FOUND");
        assertError(api.post("/deals", AcceptanceScenarioTest.dealBody("nobody", "earn", 100, null)
                .replace("\"20\"", "\"" + MERCHANT + "\"")), 404, "MEMBER_NOT_FOUND");
    }

    @Test
    void unknownMerchantIs404() {
        assertError(api.get("/merchants/nobody"), 404, "MERCHANT_NOT_FOUND");
        assertError(api.post("/deals", "{\"memberId\":\"" + MEMBER + "\",\"merchantId\":\"nobody\",\"type\":\"earn\",\"amount\":100}"),
                404, "MERCHANT_NOT_FOUND");
    }

    @Test
    void unknownDealIs404() {
        assertError(api.get("/deals/" + UUID.randomUUID()), 404, "DEAL_NOT_FOUND");
        assertError(api.post("/deals/" + UUID.randomUUID() + "/cancel", null), 404, "DEAL_NOT_FOUND");
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() {
        assertError(api.get("/nowhere"), 404, "ROUTE_NOT_FOUND");
        assertError(api.get("/deals/x/cancel/more"), 404, "ROUTE_NOT_FOUND");
        ApiClient.Answer wrongMethod = api.send("PUT", "/members", "application/json", "{}".getBytes());
        assertError(wrongMethod, 405, "METHOD_NOT_ALLOWED");
        // /members: POST joins, GET finds by phone
        assertEquals("[\"GET\",\"POST\"]", wrongMethod.json().path("error").path("details").path("allowedMethods").toString());
    }

    @Test
    void joiningTwiceIs409MemberExists() {
        String id = "twice-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, api.post("/members", "{\"memberId\":\"" + id + "\",\"name\":\"A\"}").status());
        assertError(api.post("/members", "{\"memberId\":\"" + id + "\",\"name\":\"B\"}"), 409, "MEMBER_EXISTS");
    }

    @Test
    void registeringTwiceIs409MerchantExists() {
        assertError(api.post("/merchants", "{\"merchantId\":\"" + MERCHANT + "\",\"name\":\"Again\"}"), 409, "MERCHANT_EXISTS");
    }

    @Test
    void cancellingTwiceIs409DealNotCancellable() {
        ApiClient.Answer earn = api.post("/deals", "{\"memberId\":\"" + MEMBER + "\",\"merchantId\":\"" + MERCHANT
                + "\",\"type\":\"earn\",\"amount\":5000}");
        assertEquals(201, earn.status(), earn.body());
        String cancel = "/deals/" + earn.json().get("dealId").asText() + "/cancel";
        assertEquals(200, api.post(cancel, null).status());
        assertError(api.post(cancel, null), 409, "DEAL_NOT_CANCELLABLE");
    }

    private static void assertError(ApiClient.Answer answer, int status, String code) {
        assertEquals(status, answer.status(), answer.body());
        assertEquals(code, answer.errorCode(), answer.body());
        assertEquals("application/json", answer.raw().headers().firstValue("Content-Type").orElse("").split(";")[0]);
    }
}
