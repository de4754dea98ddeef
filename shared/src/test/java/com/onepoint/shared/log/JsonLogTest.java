package com.onepoint.shared.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.shared.json.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The fields an operator filters CloudWatch Logs on, in every line, and the level Lambda's configuration sets. */
class JsonLogTest {
    private static final String TRACE_HEADER = "Root=1-6745a1b2-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1";
    private static final Map<String, String> LAMBDA = Map.of("AWS_LAMBDA_FUNCTION_NAME", "onepoint-prod-deal",
            "AWS_LAMBDA_FUNCTION_VERSION", "7", "_X_AMZN_TRACE_ID", TRACE_HEADER);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private JsonLog log(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(LAMBDA);
        env.putAll(extra);
        return JsonLog.of(JsonLogTest.class, env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                out.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
            }
        }
        return out;
    }

    @Test
    void aLineInAnInvocationCarriesColdStartFunctionVersionRequestIdAndTraceId() throws Exception {
        JsonLog log = log(Map.of());
        JsonLog.during(new JsonLog.Invocation("onepoint-prod-deal", "7", true), () -> {
            log.info("req-1", "request", Map.of("status", 201));
            return null;
        });
        JsonLog.during(new JsonLog.Invocation(null, null, false), () -> {
            log.info("req-2", "request", Map.of());
            return null;
        });
        List<JsonNode> lines = lines();
        JsonNode first = lines.get(0);
        assertEquals("INFO", first.get("level").asText());
        assertEquals("req-1", first.get("requestId").asText());
        assertEquals("onepoint-prod-deal", first.get("function").asText());
        assertEquals("7", first.get("functionVersion").asText());
        assertEquals(true, first.get("coldStart").asBoolean());
        assertEquals("1-6745a1b2-0123456789abcdef01234567", first.get("xrayTraceId").asText());
        assertEquals(201, first.get("status").asInt());
        JsonNode second = lines.get(1);
        assertEquals(false, second.get("coldStart").asBoolean());
        assertEquals("onepoint-prod-deal", second.get("function").asText(), "from the environment when the context has none");
        assertEquals("7", second.get("functionVersion").asText());
    }

    @Test
    void theRuntimesTraceHeaderPropertyIsThisInvocationsTrace() throws Exception {
        System.setProperty(JsonLog.TRACE_PROPERTY, "Root=1-00000000-ffffffffffffffffffffffff;Sampled=1");
        try {
            log(Map.of()).info("req", "request", Map.of());
        } finally {
            System.clearProperty(JsonLog.TRACE_PROPERTY);
        }
        assertEquals("1-00000000-ffffffffffffffffffffffff", lines().get(0).get("xrayTraceId").asText());
    }

    @Test
    void powertoolsLogLevelDropsTheLinesBelowIt() throws Exception {
        JsonLog log = log(Map.of("POWERTOOLS_LOG_LEVEL", "WARN", "AWS_LAMBDA_LOG_LEVEL", "DEBUG"));
        log.info("req", "dropped", Map.of());
        log.warn("req", "kept", Map.of());
        log.error("req", "kept too", Map.of());
        List<JsonNode> lines = lines();
        assertEquals(List.of("WARN", "ERROR"), lines.stream().map(l -> l.get("level").asText()).toList());
    }

    @Test
    void lambdasLogLevelAppliesWithoutPowertoolsLogLevel() throws Exception {
        JsonLog log = log(Map.of("AWS_LAMBDA_LOG_LEVEL", "ERROR"));
        log.warn("req", "dropped", Map.of());
        log.error("req", "kept", Map.of());
        assertEquals(List.of("kept"), lines().stream().map(l -> l.get("message").asText()).toList());
    }

    @Test
    void withoutALevelEverythingFromInfoIsWritten() throws Exception {
        JsonLog log = log(Map.of());
        log.info("req", "kept", Map.of());
        assertEquals(1, lines().size());
        assertFalse(lines().get(0).has("coldStart"), "outside an invocation no cold start is claimed");
    }
}
