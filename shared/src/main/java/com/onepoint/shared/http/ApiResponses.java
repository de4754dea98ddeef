package com.onepoint.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.json.Json;

import java.util.Map;

/** Builds the API Gateway proxy responses every function returns. */
public final class ApiResponses {
    private static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json; charset=utf-8");

    private ApiResponses() {
    }

    public static APIGatewayProxyResponseEvent json(int status, Object body) {
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(JSON_HEADERS)
                .withBody(Json.write(body));
    }

    public static APIGatewayProxyResponseEvent error(ApiException e) {
        return json(e.status(), e.body());
    }
}
