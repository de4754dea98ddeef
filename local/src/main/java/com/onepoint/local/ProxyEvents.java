package com.onepoint.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.devkit.SamTemplate;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates between HTTP and the Lambda proxy integration of a REST API, field by field as API Gateway does:
 * the request event (single- and multi-value headers and query parameters, path parameters, base64 for binary
 * bodies, requestContext) and the response event (status, both header maps, base64 bodies).
 */
final class ProxyEvents {
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** The parts of an HTTP request the event is built from; independent of the HTTP server in use. */
    record HttpRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body,
                       String sourceIp, String host) {
    }

    /** A response ready to write: status, header lists, body bytes. */
    record HttpResponse(int status, Map<String, List<String>> headers, byte[] body) {
    }

    /** Where the request landed: the API and stage serving it and the route it matched. */
    record Target(String apiId, String stage, ApiRoute route, Map<String, String> pathParameters) {
    }

    private ProxyEvents() {
    }

    static APIGatewayProxyRequestEvent request(HttpRequest http, Target target, String requestId, Instant received) {
        String path = decodedPath(http.rawPath());
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod(http.method())
                .withPath(path)
                .withResource(target.route().resourcePath())
                .withPathParameters(target.pathParameters().isEmpty() ? null : target.pathParameters())
                .withStageVariables(null);

        Map<String, List<String>> query = queryParameters(http.rawQuery());
        event.setQueryStringParameters(query.isEmpty() ? null : lastValues(query));
        event.setMultiValueQueryStringParameters(query.isEmpty() ? null : query);

        Map<String, List<String>> headers = new LinkedHashMap<>(http.headers());
        // API Gateway adds these; a function may read the caller's address from them
        if (first(headers, "X-Forwarded-For") == null) {
            headers.put("X-Forwarded-For", List.of(http.sourceIp()));
        }
        if (first(headers, "X-Forwarded-Proto") == null) {
            headers.put("X-Forwarded-Proto", List.of("http"));
        }
        event.setHeaders(lastValues(headers));
        event.setMultiValueHeaders(headers);

        String contentType = first(http.headers(), "Content-Type");
        if (http.body() == null || http.body().length == 0) {
            event.setBody(null);
            event.setIsBase64Encoded(false);
        } else if (isText(contentType)) {
            event.setBody(new String(http.body(), charset(contentType)));
            event.setIsBase64Encoded(false);
        } else {
            event.setBody(Base64.getEncoder().encodeToString(http.body()));
            event.setIsBase64Encoded(true);
        }

        APIGatewayProxyRequestEvent.RequestIdentity identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        identity.setSourceIp(http.sourceIp());
        identity.setUserAgent(first(http.headers(), "User-Agent"));
        event.setRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withAccountId(SamTemplate.ACCOUNT_ID)
                .withApiId(target.apiId())
                .withStage(target.stage())
                .withResourceId(Integer.toHexString(target.route().resourcePath().hashCode()))
                .withResourcePath(target.route().resourcePath())
                .withHttpMethod(http.method())
                .withPath("/" + target.stage() + path)
                .withProtocol("HTTP/1.1")
                .withRequestId(requestId)
                .withExtendedRequestId(requestId)
                .withRequestTime(REQUEST_TIME.format(received))
                .withRequestTimeEpoch(received.toEpochMilli())
                .withDomainName(http.host())
                .withIdentity(identity));
        return event;
    }

    /**
     * The HTTP response API Gateway makes of a proxy response. Headers and multiValueHeaders are merged, a value in
     * both appearing once; a missing Content-Type is application/json, API Gateway's default.
     */
    static HttpResponse response(APIGatewayProxyResponseEvent event) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (event.getMultiValueHeaders() != null) {
            event.getMultiValueHeaders().forEach((k, v) -> headers.put(k, new ArrayList<>(v)));
        }
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> {
                List<String> values = headers.computeIfAbsent(k, x -> new ArrayList<>());
                if (!values.contains(v)) {
                    values.add(v);
                }
            });
        }
        if (first(headers, "Content-Type") == null) {
            headers.put("Content-Type", List.of("application/json"));
        }
        String body = event.getBody();
        byte[] bytes;
        if (body == null) {
            bytes = new byte[0];
        } else if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            bytes = Base64.getDecoder().decode(body);
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        return new HttpResponse(event.getStatusCode(), headers, bytes);
    }

    /** API Gateway passes a body as text for these types and base64-encodes every other one. */
    static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript")
                || type.equals("application/x-www-form-urlencoded");
    }

    static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decodedPath(String rawPath) {
        return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The single-value map API Gateway derives from a multi-value one: the last value of each name. */
    private static Map<String, String> lastValues(Map<String, List<String>> multi) {
        Map<String, String> single = new LinkedHashMap<>();
        multi.forEach((k, v) -> {
            if (!v.isEmpty()) {
                single.put(k, v.get(v.size() - 1));
            }
        });
        return single;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                return h.getValue().get(0);
            }
        }
        return null;
    }

    private static Charset charset(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                try {
                    return Charset.forName(p.substring(8).replace("\"", "").trim());
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
