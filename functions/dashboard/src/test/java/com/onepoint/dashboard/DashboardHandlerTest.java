package com.onepoint.dashboard;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.onepoint.devkit.ApiEvents.expect;
import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /dashboard/members/{memberId}: the answer, its errors and its pages. */
class DashboardHandlerTest {
    private static DashboardStack stack;
    private static String merchant;

    @BeforeAll
    static void start() {
        stack = new DashboardStack();
        merchant = stack.merchant(DashboardStack.uniqueId("shop"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void answersStatusBalanceAndDeals() {
        String member = stack.join(DashboardStack.uniqueId("m"));
        String dealId = stack.earn(member, merchant, 100_000);
        stack.projectAll();

        APIGatewayProxyResponseEvent response = expect(200, stack.getDashboard(member));

        assertTrue(response.getHeaders().get("Content-Type").startsWith("application/json"));
        JsonNode view = body(response);
        assertEquals(member, view.get("memberId").asText());
        assertEquals("ACTIVE", view.get("status").asText());
        assertEquals(1000, view.get("balance").asLong());
        assertEquals(dealId, view.get("deals").get(0).get("dealId").asText());
    }

    @Test
    void aMemberWithNoProjectedProfileIsNotFound() {
        String member = stack.join(DashboardStack.uniqueId("m")); // joined, but not projected yet

        JsonNode error = body(expect(404, stack.getDashboard(member))).get("error");

        assertEquals("MEMBER_NOT_FOUND", error.get("code").asText());
        assertEquals(member, error.get("details").get("memberId").asText());
        assertEquals(404, stack.getDashboard("nobody").getStatusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad id!", "0001;drop", "12345678901234567890123456789012345678901234567890123456789012345"})
    void aMalformedMemberIdIsRefused(String memberId) {
        JsonNode error = body(expect(400, stack.getDashboard(memberId))).get("error");

        assertEquals("VALIDATION_FAILED", error.get("code").asText());
        assertEquals("memberId", error.get("details").get("field").asText());
    }

    @Test
    void dealsComeInPagesLinkedByNextToken() {
        String member = stack.join(DashboardStack.uniqueId("m"));
        List<String> made = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            made.add(0, stack.earn(member, merchant, 1_000L * i)); // newest first
        }
        stack.projectAll();
        DashboardHandler pagesOfTwo = new DashboardHandler(stack.dashboardEnv, stack.dynamo.client(), 2);

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = null;
        do {
            APIGatewayProxyRequestEvent event = get("/dashboard/members/{memberId}", Map.of("memberId", member));
            if (token != null) {
                event.setQueryStringParameters(Map.of("nextToken", token));
            }
            JsonNode page = body(expect(200, pagesOfTwo.handleRequest(event, null)));
            page.get("deals").forEach(d -> seen.add(d.get("dealId").asText()));
            pageSizes.add(page.get("deals").size());
            token = page.has("nextToken") ? page.get("nextToken").asText() : null;
        } while (token != null);

        assertEquals(made, seen);
        assertEquals(List.of(2, 2, 1), pageSizes);
    }

    @Test
    void aFullLastPageHasNoNextToken() {
        String member = stack.join(DashboardStack.uniqueId("m"));
        stack.earn(member, merchant, 1_000);
        stack.earn(member, merchant, 2_000);
        stack.projectAll();

        JsonNode page = body(expect(200, new DashboardHandler(stack.dashboardEnv, stack.dynamo.client(), 2)
                .handleRequest(get("/dashboard/members/{memberId}", Map.of("memberId", member)), null)));

        assertEquals(2, page.get("deals").size());
        assertFalse(page.has("nextToken"), "a token must never lead to an empty page");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64 !", "UFJPRklMRQ", "x"})
    void aTokenThisApiDidNotIssueIsRefused(String token) {
        String member = stack.join(DashboardStack.uniqueId("m"));
        stack.projectAll();
        APIGatewayProxyRequestEvent event = get("/dashboard/members/{memberId}", Map.of("memberId", member));
        event.setQueryStringParameters(Map.of(DashboardHandler.NEXT_TOKEN, token)); // "UFJPRklMRQ" is base64 of PROFILE

        JsonNode error = body(expect(400, stack.dashboard.handleRequest(event, null))).get("error");

        assertEquals("VALIDATION_FAILED", error.get("code").asText());
        assertEquals("nextToken", error.get("details").get("field").asText());
    }

    @Test
    void anUnknownRouteIsNotFound() {
        APIGatewayProxyResponseEvent response = stack.dashboard.handleRequest(
                get("/dashboard/merchants/{merchantId}", Map.of("merchantId", "20")), null);

        assertEquals("ROUTE_NOT_FOUND", body(expect(404, response)).get("error").get("code").asText());
    }

    @ParameterizedTest
    @Event(value = "events/dashboard-get.json", type = APIGatewayProxyRequestEvent.class)
    void getFixture(APIGatewayProxyRequestEvent event) {
        String member = event.getPathParameters().get("memberId");
        assertEquals(404, stack.dashboard.handleRequest(event, null).getStatusCode(), "the fixture's member is not projected yet");
        stack.join(member);
        stack.earn(member, merchant, 100_000);
        stack.projectAll();

        JsonNode view = body(expect(200, stack.dashboard.handleRequest(event, null)));

        assertEquals(member, view.get("memberId").asText());
        assertEquals(1000, view.get("balance").asLong());
        assertEquals(1, view.get("deals").size());
    }
}
