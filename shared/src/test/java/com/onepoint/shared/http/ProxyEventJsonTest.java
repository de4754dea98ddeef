package com.onepoint.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The API functions read their event with {@link ProxyEventJson} instead of the Lambda runtime's serialization: for
 * every API Gateway fixture in events/, it must see what the runtime would hand a typed handler.
 */
class ProxyEventJsonTest {
    private static final Path EVENTS = Path.of("events");

    static Stream<String> apiFixtures() throws IOException {
        try (Stream<Path> files = Files.list(EVENTS)) {
            List<String> api = files.filter(f -> f.toString().endsWith(".json"))
                    .filter(f -> read(f).contains("\"httpMethod\""))
                    .map(f -> f.getFileName().toString()).sorted().toList();
            assertFalse(api.isEmpty(), "no API fixtures under " + EVENTS.toAbsolutePath());
            return api.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("apiFixtures")
    void readsWhatTheRuntimeSerializationReads(String fixture) throws IOException {
        APIGatewayProxyRequestEvent runtime = EventLoader.loadApiGatewayRestEvent(EVENTS.resolve(fixture).toString());
        APIGatewayProxyRequestEvent own;
        try (InputStream in = Files.newInputStream(EVENTS.resolve(fixture))) {
            own = ProxyEventJson.read(in);
        }
        assertEquals(runtime.getHttpMethod(), own.getHttpMethod());
        assertEquals(runtime.getResource(), own.getResource());
        assertEquals(runtime.getPath(), own.getPath());
        assertEquals(runtime.getPathParameters(), own.getPathParameters());
        assertEquals(runtime.getQueryStringParameters(), own.getQueryStringParameters());
        assertEquals(runtime.getMultiValueQueryStringParameters(), own.getMultiValueQueryStringParameters());
        assertEquals(runtime.getHeaders(), own.getHeaders());
        assertEquals(runtime.getMultiValueHeaders(), own.getMultiValueHeaders());
        assertEquals(runtime.getBody(), own.getBody());
        assertEquals(runtime.getIsBase64Encoded(), own.getIsBase64Encoded());
        assertNotNull(own.getRequestContext(), fixture + " has a requestContext");
        assertEquals(runtime.getRequestContext().getRequestId(), own.getRequestContext().getRequestId());
        assertEquals(runtime.getRequestContext().getStage(), own.getRequestContext().getStage());
        // the same names and values; a whole number is a Long here, an Integer there
        assertEquals(String.valueOf(runtime.getRequestContext().getAuthorizer()), String.valueOf(own.getRequestContext().getAuthorizer()));
        // what the functions act on, read through ApiRequest
        ApiRequest a = new ApiRequest(runtime, "r");
        ApiRequest b = new ApiRequest(own, "r");
        assertEquals(a.routeKey(), b.routeKey());
        // the page's routes (ui-*.json) have no authorizer, so no caller: both must say so alike
        if (runtime.getRequestContext().getAuthorizer() != null) {
            assertEquals(a.caller(), b.caller());
        } else {
            assertNull(own.getRequestContext().getAuthorizer(), fixture);
        }
        assertEquals(a.bodyText(), b.bodyText());
    }

    @Test
    void writesTheAnswerAsTheRuntimeWould() throws IOException {
        APIGatewayProxyResponseEvent response = ApiResponses.json(201, Map.of("dealId", "d1", "points", 1000));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ProxyEventJson.write(response, out);

        JsonNode written = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(201, written.get("statusCode").intValue());
        assertEquals(response.getBody(), written.get("body").textValue());
        assertEquals(response.getHeaders().get("Content-Type"), written.at("/headers/Content-Type").textValue());
        assertFalse(written.has("multiValueHeaders"), "nulls are left out, as the runtime leaves them out");
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
