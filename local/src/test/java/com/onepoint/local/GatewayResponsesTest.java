package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The runtime's own refusals read as the template's GatewayResponses, with API Gateway's fallbacks. */
class GatewayResponsesTest {
    private static final SamTemplate PROJECT = TestTemplates.project();

    /** The application/json body template.yaml declares for a response type. */
    @SuppressWarnings("unchecked")
    static String declaredBody(SamTemplate template, String responseType) {
        SamTemplate.Resource api = template.resourcesOfType(TemplateCheck.API).get(0);
        Map<String, Object> responses = (Map<String, Object>) api.properties().get("GatewayResponses");
        Map<String, Object> response = (Map<String, Object>) responses.get(responseType);
        return String.valueOf(((Map<String, Object>) response.get("ResponseTemplates")).get("application/json"));
    }

    private static GatewayResponses project() {
        return GatewayResponses.of(PROJECT.resourcesOfType(TemplateCheck.API).get(0));
    }

    private static JsonNode body(ProxyEvents.HttpResponse response) {
        return json(new String(response.body(), StandardCharsets.UTF_8));
    }

    static JsonNode json(String text) {
        try {
            return Json.read(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void accessDeniedIsTheDeclaredBodyWithTheRequestId() {
        ProxyEvents.HttpResponse answer = project().answer("ACCESS_DENIED", 403, "User is not authorized", "req-1");
        assertEquals(403, answer.status());
        assertEquals(json(declaredBody(PROJECT, "ACCESS_DENIED").replace("$context.requestId", "req-1")), body(answer));
        assertEquals("req-1", body(answer).at("/error/details/requestId").asText());
    }

    @Test
    void declaredHeadersAreSentWithoutTheirQuotes() {
        ProxyEvents.HttpResponse answer = project().answer("THROTTLED", 429, "Too Many Requests", "req-2");
        assertEquals(429, answer.status());
        assertEquals(List.of("1"), answer.headers().get("Retry-After"));
        assertEquals(List.of("application/json"), answer.headers().get("Content-Type"));
        assertEquals("THROTTLED", body(answer).at("/error/code").asText());
    }

    /** A type the template does not declare falls back to DEFAULT_5XX (or 4XX), which names the type in its code. */
    @Test
    void anUndeclaredTypeFallsBackToItsDefault() {
        ProxyEvents.HttpResponse failure = project().answer("AUTHORIZER_FAILURE", 500, null, "req-3");
        assertEquals(500, failure.status());
        assertEquals("AUTHORIZER_FAILURE", body(failure).at("/error/code").asText());
        assertEquals("req-3", body(failure).at("/error/details/requestId").asText());

        ProxyEvents.HttpResponse missing = project().answer("MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token", "r");
        assertEquals(403, missing.status());
        assertEquals("MISSING_AUTHENTICATION_TOKEN", body(missing).at("/error/code").asText());
        assertEquals("Missing Authentication Token", body(missing).at("/error/message").asText(), "messageString is quoted");
    }

    @Test
    void withoutGatewayResponsesTheAnswerIsApiGatewaysDefault() {
        GatewayResponses none = GatewayResponses.of(TestTemplates.load("echo.yaml").resourcesOfType(TemplateCheck.API).get(0));
        ProxyEvents.HttpResponse answer = none.answer("UNAUTHORIZED", 401, "Unauthorized", "r");
        assertEquals(401, answer.status());
        assertEquals(json("{\"message\":\"Unauthorized\"}"), body(answer));
    }
}
