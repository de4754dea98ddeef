package com.onepoint.local;

import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.UnsupportedTemplateException;
import com.onepoint.devkit.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API's {@code GatewayResponses}: what API Gateway answers instead of its default {@code {"message": ...}} when it
 * refuses a request itself. The runtime uses them for its authorizer's refusals (UNAUTHORIZED, ACCESS_DENIED,
 * AUTHORIZER_FAILURE), falling back as API Gateway does: the type, then DEFAULT_4XX or DEFAULT_5XX, then the default body.
 * A template's body is filled with {@code $context.requestId} and {@code $context.error.responseType|message|messageString}.
 */
final class GatewayResponses {
    private static final Set<String> RESPONSE_KEYS = Set.of("StatusCode", "ResponseTemplates", "ResponseParameters");

    /** One declared response: its status (null keeps the refusal's), headers, content type and body template. */
    private record Declared(Integer statusCode, Map<String, String> headers, String contentType, String body) {
    }

    private final Map<String, Declared> byType;

    private GatewayResponses(Map<String, Declared> byType) {
        this.byType = byType;
    }

    /** The API's GatewayResponses (none declared: API Gateway's defaults); refuses a shape the runtime cannot answer. */
    static GatewayResponses of(SamTemplate.Resource api) {
        Map<String, Declared> byType = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map(api.properties().get("GatewayResponses"), api.where("GatewayResponses")).entrySet()) {
            String where = api.where("GatewayResponses." + e.getKey());
            Map<String, Object> response = map(e.getValue(), where);
            for (String key : response.keySet()) {
                if (!RESPONSE_KEYS.contains(key)) {
                    throw new UnsupportedTemplateException(where + "." + key, "not supported by the local runtime");
                }
            }
            Integer status = response.get("StatusCode") == null ? null : Integer.valueOf(String.valueOf(response.get("StatusCode")));
            Map<String, Object> parameters = map(response.get("ResponseParameters"), where + ".ResponseParameters");
            for (String key : parameters.keySet()) {
                if (!key.equals("Headers")) {
                    throw new UnsupportedTemplateException(where + ".ResponseParameters." + key, "only Headers are answered locally");
                }
            }
            Map<String, String> headers = new LinkedHashMap<>();
            map(parameters.get("Headers"), where + ".ResponseParameters.Headers").forEach((name, value) ->
                    headers.put(name, literal(value, where + ".ResponseParameters.Headers." + name)));
            Map<String, Object> templates = map(response.get("ResponseTemplates"), where + ".ResponseTemplates");
            if (templates.size() > 1) {
                throw new UnsupportedTemplateException(where + ".ResponseTemplates", "one content type only locally");
            }
            String contentType = templates.isEmpty() ? "application/json" : templates.keySet().iterator().next();
            Object body = templates.isEmpty() ? null : templates.get(contentType);
            if (body != null && !(body instanceof String)) {
                throw new UnsupportedTemplateException(where + ".ResponseTemplates." + contentType, "expected a string");
            }
            byType.put(e.getKey(), new Declared(status, headers, contentType, (String) body));
        }
        return new GatewayResponses(byType);
    }

    /** API Gateway's answer of {@code responseType} with default {@code status}, e.g. UNAUTHORIZED 401 "Unauthorized". */
    ProxyEvents.HttpResponse answer(String responseType, int status, String message, String requestId) {
        Declared declared = byType.get(responseType);
        if (declared == null) {
            declared = byType.get(status >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (declared == null || declared.body() == null) {
            headers.put("Content-Type", List.of("application/json"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("message", message);
            return new ProxyEvents.HttpResponse(declared == null || declared.statusCode() == null ? status : declared.statusCode(),
                    headers, Json.write(body).getBytes(StandardCharsets.UTF_8));
        }
        headers.put("Content-Type", List.of(declared.contentType()));
        declared.headers().forEach((name, value) -> headers.put(name, List.of(value)));
        String body = declared.body()
                .replace("$context.requestId", requestId)
                .replace("$context.error.responseType", responseType)
                .replace("$context.error.messageString", Json.write(message))
                .replace("$context.error.message", message == null ? "" : message);
        return new ProxyEvents.HttpResponse(declared.statusCode() == null ? status : declared.statusCode(), headers,
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** A header value is a quoted literal, {@code "'1'"}; a mapping from the request ({@code method.request...}) is not answered locally. */
    private static String literal(Object value, String where) {
        String text = String.valueOf(value);
        if (text.length() < 2 || !text.startsWith("'") || !text.endsWith("'")) {
            throw new UnsupportedTemplateException(where, "only quoted literal header values are answered locally, got " + text);
        }
        return text.substring(1, text.length() - 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new UnsupportedTemplateException(where, "expected a mapping");
        }
        return (Map<String, Object>) value;
    }
}
