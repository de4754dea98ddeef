package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a function receives for an HTTP request, and what HTTP its response becomes (test template echo.yaml). */
class ProxyTranslationTest {
    private static LocalRuntime runtime;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(TestTemplates.load("echo.yaml"), 0);
        api = ApiClient.unchecked(runtime); // echo.yaml: not the API openapi.yaml describes
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void requestBecomesTheProxyEventApiGatewaySends() {
        ApiClient.Answer answer = api.send(HttpRequest.newBuilder(api.uri("/echo/a%20b?x=1&x=2&y=%C3%A9"))
                .header("X-Multi", "one").header("X-Multi", "two").GET());
        assertEquals(200, answer.status(), answer.body());
        JsonNode event = answer.json().get("event");
        assertEquals("GET", event.get("httpMethod").asText());
        assertEquals("/echo/a b", event.get("path").asText());
        assertEquals("/echo/{id}", event.get("resource").asText());
        assertEquals("a b", event.get("pathParameters").get("id").asText());
        assertEquals("2", event.get("queryStringParameters").get("x").asText(), "the single-value map keeps the last");
        assertEquals("[\"1\",\"2\"]", event.get("multiValueQueryStringParameters").get("x").toString());
        assertEquals("é", event.get("queryStringParameters").get("y").asText());
        assertEquals("two", header(event.get("headers"), "x-multi").asText());
        assertEquals("[\"one\",\"two\"]", header(event.get("multiValueHeaders"), "x-multi").toString());
        assertTrue(event.path("stageVariables").isMissingNode() || event.get("stageVariables").isNull());
        assertFalse(event.get("isBase64Encoded").asBoolean());

        JsonNode context = event.get("requestContext");
        String requestId = answer.json().get("requestId").asText();
        assertEquals(requestId, context.get("requestId").asText(), "Context.getAwsRequestId() is the request id");
        assertEquals(requestId, answer.raw().headers().firstValue("x-amzn-RequestId").orElseThrow());
        assertEquals("test", context.get("stage").asText());
        assertEquals("/echo/{id}", context.get("resourcePath").asText());
        assertEquals("GET", context.get("httpMethod").asText());
        assertEquals("/test/echo/a b", context.get("path").asText());
        assertEquals("127.0.0.1", context.get("identity").get("sourceIp").asText());
        assertTrue(Math.abs(context.get("requestTimeEpoch").asLong() - System.currentTimeMillis()) < 60_000);

        assertEquals("onepoint-test-EchoFunction", answer.json().get("functionName").asText());
        assertEquals(512, answer.json().get("memoryLimitInMB").asInt(), "MemorySize from Globals");
        assertTrue(answer.json().get("remainingTimeInMillis").asInt() <= 7000, "Timeout from the function");
        assertEquals("hello-test", answer.json().get("greeting").asText(), "Env from the template, !Sub resolved");
        assertEquals("[a, b]", answer.raw().headers().allValues("X-Echo").toString(), "multiValueHeaders");
    }

    @Test
    void noQueryAndNoBodyAreNull() {
        JsonNode event = api.get("/echo/1").json().get("event");
        assertTrue(event.path("queryStringParameters").isMissingNode(), "serialised without nulls");
        assertTrue(event.path("body").isMissingNode());
    }

    @Test
    void literalSegmentBeatsParameter() {
        JsonNode event = api.get("/echo/mine").json().get("event");
        assertEquals("/echo/mine", event.get("resource").asText());
        assertTrue(event.path("pathParameters").isMissingNode());
    }

    @Test
    void greedyPathAndAnyMethod() {
        JsonNode event = api.send("DELETE", "/files/a/b/c.txt", null, null).json().get("event");
        assertEquals("/files/{path+}", event.get("resource").asText());
        assertEquals("a/b/c.txt", event.get("pathParameters").get("path").asText());
        assertEquals("DELETE", event.get("httpMethod").asText());
    }

    @Test
    void jsonBodyIsTextAndBinaryBodyIsBase64() {
        JsonNode text = api.send("POST", "/echo/1", "application/json; charset=utf-8",
                "{\"name\":\"한글\"}".getBytes(StandardCharsets.UTF_8)).json().get("event");
        assertEquals("{\"name\":\"한글\"}", text.get("body").asText());
        assertFalse(text.get("isBase64Encoded").asBoolean());

        byte[] bytes = {0, 1, 2, (byte) 0xff};
        JsonNode binary = api.send("POST", "/echo/1", "application/octet-stream", bytes).json().get("event");
        assertTrue(binary.get("isBase64Encoded").asBoolean());
        assertArrayEquals(bytes, Base64.getDecoder().decode(binary.get("body").asText()));
    }

    @Test
    void base64ResponseIsDecoded() throws Exception {
        HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(api.uri("/echo/binary")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, r.body());
        assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void handlerExceptionIs502LikeApiGateway() {
        ApiClient.Answer answer = api.get("/echo/boom");
        assertEquals(502, answer.status());
        assertEquals("{\"message\":\"Internal server error\"}", answer.body());
    }

    private static JsonNode header(JsonNode headers, String name) {
        var it = headers.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        throw new AssertionError("no header " + name + " in " + headers);
    }
}
