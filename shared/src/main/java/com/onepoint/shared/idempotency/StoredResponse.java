package com.onepoint.shared.idempotency;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.shared.json.Json;

import java.util.ArrayList;
import java.util.Iterator;
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
        JsonNode stored;
        try {
            stored = Json.read(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an idempotency record holds a response that is not JSON", e);
        }
        APIGatewayProxyResponseEvent response = new APIGatewayProxyResponseEvent()
                .withStatusCode(stored.get("statusCode").intValue());
        if (stored.hasNonNull("headers")) {
            Map<String, String> headers = new LinkedHashMap<>();
            stored.get("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().textValue()));
            response.setHeaders(headers);
        }
        if (stored.hasNonNull("multiValueHeaders")) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = stored.get("multiValueHeaders").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                List<String> values = new ArrayList<>();
                h.getValue().forEach(v -> values.add(v.textValue()));
                headers.put(h.getKey(), values);
            }
            response.setMultiValueHeaders(headers);
        }
        if (stored.hasNonNull("body")) {
            response.setBody(stored.get("body").textValue());
        }
        if (stored.hasNonNull("isBase64Encoded")) {
            response.setIsBase64Encoded(stored.get("isBase64Encoded").booleanValue());
        }
        return response;
    }
}
