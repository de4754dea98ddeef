package com.onepoint.shared.idempotency;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored form of a response: status, headers (sorted, so the text does not depend on a map's iteration order),
 * body and its base64 flag, as one JSON object. The first answer is decoded from this same text, so it and every
 * replay are identical.
 */
final class StoredResponse {
    private StoredResponse() {
    }

    static String encode(APIGatewayProxyResponseEvent response) {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("statusCode", response.getStatusCode());
        if (response.getHeaders() != null) {
            stored.put("headers", new TreeMap<>(response.getHeaders()));
        }
        if (response.getMultiValueHeaders() != null) {
            stored.put("multiValueHeaders", new TreeMap<>(response.getMultiValueHeaders()));
        }
        stored.put("body", response.getBody());
        stored.put("isBase64Encoded", response.getIsBase64Encoded());
        return Json.write(stored);
    }

    static APIGatewayProxyResponseEvent decode(String text) {
        if (!(Json.parse(text) instanceof Map<?, ?> stored) || !(stored.get("statusCode") instanceof Long status)) {
            throw new IllegalStateException("an idempotency record holds a response that is not one");
        }
        APIGatewayProxyResponseEvent response = new APIGatewayProxyResponseEvent().withStatusCode(status.intValue());
        if (stored.get("headers") instanceof Map<?, ?> h) {
            Map<String, String> headers = new LinkedHashMap<>();
            h.forEach((name, value) -> headers.put(name.toString(), (String) value));
            response.setHeaders(headers);
        }
        if (stored.get("multiValueHeaders") instanceof Map<?, ?> h) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            h.forEach((name, values) -> {
                List<String> list = new ArrayList<>();
                ((List<?>) values).forEach(v -> list.add((String) v));
                headers.put(name.toString(), list);
            });
            response.setMultiValueHeaders(headers);
        }
        if (stored.get("body") instanceof String body) {
            response.setBody(body);
        }
        if (stored.get("isBase64Encoded") instanceof Boolean base64) {
            response.setIsBase64Encoded(base64);
        }
        return response;
    }
}
