package com.onepoint.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.aws.Env;
import com.onepoint.devkit.json.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test function: answers with the proxy event it received and its Context, so a test can see exactly what the
 * runtime made of an HTTP request. Path /echo/binary answers a base64 body; /echo/boom throws.
 */
public class EchoHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final Env env;

    public EchoHandler() {
        throw new AssertionError("the runtime must choose the constructor taking Env");
    }

    public EchoHandler(Env env) {
        this.env = env;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        if (event.getPath().endsWith("/boom")) {
            throw new IllegalStateException("boom");
        }
        if (event.getPath().endsWith("/binary")) {
            return new APIGatewayProxyResponseEvent().withStatusCode(200)
                    .withHeaders(Map.of("Content-Type", "application/octet-stream"))
                    .withBody("AAEC/w==").withIsBase64Encoded(true);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("requestId", context.getAwsRequestId());
        body.put("functionName", context.getFunctionName());
        body.put("memoryLimitInMB", context.getMemoryLimitInMB());
        body.put("remainingTimeInMillis", context.getRemainingTimeInMillis());
        body.put("greeting", env.require("GREETING"));
        body.put("region", env.require("AWS_REGION"));
        return new APIGatewayProxyResponseEvent().withStatusCode(200)
                .withMultiValueHeaders(Map.of("X-Echo", List.of("a", "b")))
                .withBody(Json.write(body));
    }
}
