package com.onepoint.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.onepoint.shared.domain.Ids;
import com.onepoint.shared.json.Json;
import com.onepoint.shared.json.JsonSyntaxException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** An API Gateway proxy request as the functions see it: route key, path ids, headers, a bounded JSON body. */
public final class ApiRequest {
    public static final int MAX_BODY_BYTES = 16 * 1024;

    private final APIGatewayProxyRequestEvent event;
    private final String requestId;

    public ApiRequest(APIGatewayProxyRequestEvent event, String requestId) {
        this.event = event;
        this.requestId = requestId;
    }

    /** "METHOD /resource/{param}", the key handlers route on, e.g. "POST /deals/{dealId}/cancel". */
    public String routeKey() {
        return event.getHttpMethod() + " " + event.getResource();
    }

    public String requestId() {
        return requestId;
    }

    /**
     * The caller the API's authorizer let in (role, merchantId from {@code requestContext.authorizer}). A request
     * without that context did not come through API Gateway's authorizer and is refused with 401.
     */
    public Caller caller() {
        APIGatewayProxyRequestEvent.ProxyRequestContext context = event.getRequestContext();
        Caller caller = context == null ? null : Caller.fromAuthorizerContext(context.getAuthorizer());
        if (caller == null) {
            throw new ApiException(401, "UNAUTHORIZED", "an x-api-key is required");
        }
        return caller;
    }

    /** A path parameter that must be a well-formed id; a bad one is a 400 naming it. */
    public String pathId(String name) {
        Map<String, String> params = event.getPathParameters();
        String value = params == null ? null : params.get(name);
        return Ids.require(name, value);
    }

    /** A path parameter as sent, or null; the caller validates it (ids that are not member or merchant ids). */
    public String pathParameter(String name) {
        Map<String, String> params = event.getPathParameters();
        return params == null ? null : params.get(name);
    }

    /** A query string parameter, or null. */
    public String queryParameter(String name) {
        Map<String, String> params = event.getQueryStringParameters();
        return params == null ? null : params.get(name);
    }

    /** A header by case-insensitive name, or null. */
    public String header(String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** The raw body text, at most 16 KiB (413 beyond), base64 decoded when API Gateway encoded it. */
    public String bodyText() {
        String body = event.getBody();
        if (body == null) {
            return "";
        }
        byte[] bytes;
        if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            if (body.length() > (MAX_BODY_BYTES / 3 + 1) * 4) {
                throw tooLarge();
            }
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw ApiException.validation("body", "is not valid base64");
            }
        } else {
            if (body.length() > MAX_BODY_BYTES) { // chars ≤ bytes, so this is a cheap first cut
                throw tooLarge();
            }
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The body as a JSON object, with typed, validating accessors. */
    public JsonFields jsonBody() {
        String text = bodyText();
        if (text.isBlank()) {
            throw ApiException.validation("body", "a JSON object is required");
        }
        Object node;
        try {
            node = Json.parse(text);
        } catch (JsonSyntaxException e) {
            throw ApiException.validation("body", "is not valid JSON");
        }
        if (!(node instanceof Map<?, ?> object)) {
            throw ApiException.validation("body", "must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) object;
        return new JsonFields(fields);
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", "request body exceeds " + MAX_BODY_BYTES + " bytes",
                Map.of("maxBytes", MAX_BODY_BYTES));
    }
}
