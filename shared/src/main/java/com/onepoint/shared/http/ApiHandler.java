package com.onepoint.shared.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.log.JsonLog;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shell of every API function: route, turn refusals into the SPEC error body, never leak a stack trace,
 * and log one line per request with its id, route, status and duration.
 */
public abstract class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final JsonLog log = JsonLog.of(getClass());

    @Override
    public final APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        ApiRequest request = new ApiRequest(event, requestId);
        long started = System.nanoTime();
        APIGatewayProxyResponseEvent response;
        String errorCode = null;
        try {
            response = route(request);
        } catch (ApiException e) {
            errorCode = e.code();
            response = ApiResponses.error(e);
        } catch (RuntimeException e) {
            errorCode = "INTERNAL_ERROR";
            // the exception class and message name the bug; the body of the request is never logged
            log.error(requestId, "unhandled error", Map.of("route", request.routeKey(),
                    "exception", e.getClass().getName(), "detail", String.valueOf(e.getMessage())));
            response = ApiResponses.error(new ApiException(500, "INTERNAL_ERROR",
                    "the request could not be completed; quote the requestId to support", Map.of("requestId", requestId)));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("route", request.routeKey());
        fields.put("status", response.getStatusCode());
        fields.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        if (errorCode != null) {
            fields.put("errorCode", errorCode);
        }
        log.info(requestId, "request", fields);
        return response;
    }

    /** Dispatches on {@link ApiRequest#routeKey()}; unknown routes end in {@link #noRoute(ApiRequest)}. */
    protected abstract APIGatewayProxyResponseEvent route(ApiRequest request);

    protected static ApiException noRoute(ApiRequest request) {
        return new ApiException(404, "ROUTE_NOT_FOUND", "no route " + request.routeKey());
    }
}
