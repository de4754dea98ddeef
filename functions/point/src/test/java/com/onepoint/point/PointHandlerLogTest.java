package com.onepoint.point;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.json.Json;
import org.crac.Core;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The request line of an API function as an operator reads it: its request id, function name and version from
 * Lambda's context, and coldStart on the first request of an environment and on the first after a restore only.
 */
class PointHandlerLogTest {
    private static LocalDynamo dynamo;
    private static PointHandler handler;

    @BeforeAll
    static void start() {
        PointStack stack = new PointStack();
        dynamo = stack.dynamo;
        handler = stack.points;
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @ParameterizedTest
    @Event(value = "events/get-points.json", type = APIGatewayProxyRequestEvent.class)
    void requestLinesNameTheRequestFunctionVersionAndColdStart(APIGatewayProxyRequestEvent event) throws Exception {
        handler.prime(); // the snapshot's priming is not a request: it does not use up the cold start
        List<JsonNode> lines = requestLines(() -> {
            handler.handleRequest(event, context("req-1"));
            handler.handleRequest(event, context("req-2"));
            handler.afterRestore(Core.getGlobalContext());
            handler.handleRequest(event, context("req-3"));
        });
        assertEquals(List.of("req-1", "req-2", "req-3"), lines.stream().map(l -> l.get("requestId").asText()).toList());
        assertEquals(List.of(true, false, true), lines.stream().map(l -> l.get("coldStart").asBoolean()).toList());
        for (JsonNode line : lines) {
            assertEquals("onepoint-dev-point", line.get("function").asText());
            assertEquals("12", line.get("functionVersion").asText());
            assertEquals("INFO", line.get("level").asText());
            assertEquals("GET /points/{memberId}", line.get("route").asText());
        }
    }

    private static List<JsonNode> requestLines(Runnable calls) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            calls.run();
        } finally {
            System.setOut(stdout);
        }
        List<JsonNode> out = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode node = Json.read(line);
            if ("request".equals(node.path("message").asText())) {
                out.add(node);
            }
        }
        return out;
    }

    /** Lambda's context as it is for version 12 of the function, behind its alias. */
    private static Context context(String requestId) {
        return new Context() {
            @Override public String getAwsRequestId() { return requestId; }
            @Override public String getLogGroupName() { return "/aws/lambda/onepoint-dev-point"; }
            @Override public String getLogStreamName() { return "2024/01/01/[12]abcdef"; }
            @Override public String getFunctionName() { return "onepoint-dev-point"; }
            @Override public String getFunctionVersion() { return "12"; }
            @Override public String getInvokedFunctionArn() {
                return "arn:aws:lambda:ap-northeast-2:123456789012:function:onepoint-dev-point:live";
            }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return 15000; }
            @Override public int getMemoryLimitInMB() { return 1024; }
            @Override public LambdaLogger getLogger() { return null; }
        };
    }
}
