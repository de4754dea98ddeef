package com.onepoint.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API Gateway's proxy event and answer as JSON, for {@link ApiHandler}'s stream entry point: the handler reads its
 * event with OnePoint's own JSON instead of the Lambda runtime's serialization (its shaded Jackson and the events'
 * mix-ins: a third of a cold start). Only the fields an API function reads are taken; the rest is ignored.
 */
public final class ProxyEventJson {
    private ProxyEventJson() {
    }

    public static APIGatewayProxyRequestEvent read(InputStream json) throws IOException {
        Map<String, Object> e = object(Json.parse(json), "the event");
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod(string(e.get("httpMethod")))
                .withResource(string(e.get("resource")))
                .withPath(string(e.get("path")))
                .withPathParameters(strings(e.get("pathParameters")))
                .withQueryStringParameters(strings(e.get("queryStringParameters")))
                .withMultiValueQueryStringParameters(stringLists(e.get("multiValueQueryStringParameters")))
                .withHeaders(strings(e.get("headers")))
                .withMultiValueHeaders(stringLists(e.get("multiValueHeaders")))
                .withStageVariables(strings(e.get("stageVariables")))
                .withBody(string(e.get("body")))
                .withIsBase64Encoded(e.get("isBase64Encoded") instanceof Boolean b ? b : null);
        if (e.get("requestContext") instanceof Map<?, ?> c) {
            APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                    .withRequestId(string(c.get("requestId")))
                    .withStage(string(c.get("stage")))
                    .withResourcePath(string(c.get("resourcePath")))
                    .withHttpMethod(string(c.get("httpMethod")))
                    .withPath(string(c.get("path")))
                    .withApiId(string(c.get("apiId")))
                    .withAccountId(string(c.get("accountId")));
            if (c.get("authorizer") instanceof Map<?, ?> authorizer) {
                context.setAuthorizer(object(authorizer, "requestContext.authorizer"));
            }
            if (c.get("identity") instanceof Map<?, ?> identity) {
                context.setIdentity(new APIGatewayProxyRequestEvent.RequestIdentity()
                        .withSourceIp(string(identity.get("sourceIp")))
                        .withUserAgent(string(identity.get("userAgent"))));
            }
            event.setRequestContext(context);
        }
        return event;
    }

    public static void write(APIGatewayProxyResponseEvent response, OutputStream out) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>(); // Json.write leaves the null ones out
        json.put("statusCode", response.getStatusCode());
        json.put("headers", response.getHeaders());
        json.put("multiValueHeaders", response.getMultiValueHeaders());
        json.put("body", response.getBody());
        json.put("isBase64Encoded", response.getIsBase64Encoded());
        Json.writeTo(out, json);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(what + " is not a JSON object");
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }

    private static Map<String, String> strings(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k.toString(), string(v)));
        return out;
    }

    private static Map<String, List<String>> stringLists(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k.toString(), v instanceof List<?> list
                ? list.stream().map(ProxyEventJson::string).toList() : null));
        return out;
    }
}
