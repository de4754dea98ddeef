package com.onepoint.devkit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.shared.http.Caller;
import com.onepoint.devkit.json.Json;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds the API Gateway proxy events a function receives, for tests: resource, path, path parameters, body. */
public final class ApiEvents {
    private ApiEvents() {
    }

    /**
     * A request to {@code resource} (e.g. "/deals/{dealId}/cancel"); {@code pathParams} fill its placeholders.
     * {@code body} is serialised as JSON unless it is already a String (so tests can send malformed JSON).
     * It carries the admin's authorizer context, as API Gateway would after the authorizer let the admin in.
     */
    public static APIGatewayProxyRequestEvent request(String method, String resource, Map<String, String> pathParams,
                                                      Object body) {
        return request(method, resource, pathParams, body, Caller.admin());
    }

    /** As {@link #request(String, String, Map, Object)} for {@code caller}; null: no authorizer context at all. */
    public static APIGatewayProxyRequestEvent request(String method, String resource, Map<String, String> pathParams,
                                                      Object body, Caller caller) {
        String path = resource;
        for (Map.Entry<String, String> p : pathParams.entrySet()) {
            path = path.replace("{" + p.getKey() + "}", p.getValue());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("x-api-key", "local-admin-key");
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId(UUID.randomUUID().toString()).withStage("test").withResourcePath(resource)
                .withHttpMethod(method).withPath(path);
        if (caller != null) {
            Map<String, Object> authorizer = new HashMap<>(caller.toAuthorizerContext());
            authorizer.put("principalId", caller.isAdmin() ? "admin" : caller.merchantId());
            context.setAuthorizer(authorizer);
        }
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod(method)
                .withResource(resource)
                .withPath(path)
                .withPathParameters(pathParams.isEmpty() ? null : new HashMap<>(pathParams))
                .withHeaders(headers)
                .withMultiValueHeaders(multi)
                .withRequestContext(context)
                .withIsBase64Encoded(false)
                .withBody(body == null ? null : body instanceof String s ? s : Json.write(body));
    }

    public static APIGatewayProxyRequestEvent get(String resource, Map<String, String> pathParams) {
        return request("GET", resource, pathParams, null);
    }

    public static APIGatewayProxyRequestEvent post(String resource, Object body) {
        return request("POST", resource, Map.of(), body);
    }

    /** A merchant's request: the authorizer context names that merchant. */
    public static APIGatewayProxyRequestEvent asMerchant(String merchantId, APIGatewayProxyRequestEvent event) {
        Map<String, Object> authorizer = new HashMap<>(Caller.merchant(merchantId).toAuthorizerContext());
        authorizer.put("principalId", merchantId);
        event.getRequestContext().setAuthorizer(authorizer);
        return event;
    }

    /** The response, after asserting its status (the body is in the failure message). */
    public static APIGatewayProxyResponseEvent expect(int status, APIGatewayProxyResponseEvent response) {
        if (response.getStatusCode() != status) {
            throw new AssertionError("expected " + status + " but got " + response.getStatusCode() + ": " + response.getBody());
        }
        return response;
    }

    /** The response body as JSON, for assertions. */
    public static JsonNode body(APIGatewayProxyResponseEvent response) {
        try {
            return Json.read(response.getBody());
        } catch (Exception e) {
            throw new AssertionError("response body is not JSON: " + response.getBody(), e);
        }
    }
}
