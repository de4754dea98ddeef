package com.onepoint.shared.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.json.Json;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.snapstart.FreshRandom;
import com.onepoint.shared.snapstart.Priming;
import org.crac.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The shell of every API function: route, turn refusals into the SPEC error body, never leak a stack trace,
 * and log one line per request with its id, route, status and duration.
 *
 * <p>It is also the function's SnapStart hooks: before the snapshot it runs {@link #priming()} (see {@link #prime()});
 * after a restore it renews {@link FreshRandom} and marks the next request a cold start.
 */
public abstract class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>,
        RequestStreamHandler, Resource {
    private final JsonLog log = JsonLog.of(getClass());
    /** True until the first request of this environment, and again after a restore from a snapshot. */
    private final AtomicBoolean coldStart = new AtomicBoolean(true);

    protected ApiHandler() {
        Priming.register(this);
    }

    @Override
    public final APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        JsonLog.Invocation invocation = new JsonLog.Invocation(context == null ? null : context.getFunctionName(),
                context == null ? null : context.getFunctionVersion(), coldStart.getAndSet(false));
        return JsonLog.during(invocation, () -> answerAndLog(event, context));
    }

    /**
     * What Lambda calls: for {@code Class::handleRequest} its Java runtime takes the (InputStream, OutputStream,
     * Context) overload over the typed one, so the event is read by {@link ProxyEventJson}, not by the runtime's
     * serialization. Tests and the local runtime call the typed overload; both answer the same.
     */
    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ProxyEventJson.write(handleRequest(ProxyEventJson.read(input), context), output);
    }

    private APIGatewayProxyResponseEvent answerAndLog(APIGatewayProxyRequestEvent event, Context context) {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        ApiRequest request = new ApiRequest(event, requestId);
        long started = System.nanoTime();
        Answer answer = answer(request);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("route", request.routeKey());
        fields.put("status", answer.response().getStatusCode());
        fields.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        if (answer.errorCode() != null) {
            fields.put("errorCode", answer.errorCode());
        }
        log.info(requestId, "request", fields);
        return answer.response();
    }

    private record Answer(APIGatewayProxyResponseEvent response, String errorCode) {
    }

    private Answer answer(ApiRequest request) {
        try {
            return new Answer(route(request), null);
        } catch (ApiException e) {
            return new Answer(ApiResponses.error(e), e.code());
        } catch (RuntimeException e) {
            // the exception class and message name the bug; the body of the request is never logged
            log.error(request.requestId(), "unhandled error", Map.of("route", request.routeKey(),
                    "exception", e.getClass().getName(), "detail", String.valueOf(e.getMessage())));
            return new Answer(ApiResponses.error(new ApiException(500, "INTERNAL_ERROR",
                    "the request could not be completed; quote the requestId to support",
                    Map.of("requestId", request.requestId()))), "INTERNAL_ERROR");
        }
    }

    /** Dispatches on {@link ApiRequest#routeKey()}; unknown routes end in {@link #noRoute(ApiRequest)}. */
    protected abstract APIGatewayProxyResponseEvent route(ApiRequest request);

    protected static ApiException noRoute(ApiRequest request) {
        return new ApiException(404, "ROUTE_NOT_FOUND", "no route " + request.routeKey());
    }

    /**
     * What this function runs before its snapshot: requests through its routes that validation refuses or that only
     * read, the types it answers with, and read-only steps. Nothing in it may write.
     */
    protected abstract Priming priming();

    /**
     * Runs {@link #priming()} once, as SnapStart's beforeCheckpoint does, and logs one line with what it ran. A
     * failing read is logged and skipped (priming only saves time); a priming request answered 2xx on a method other
     * than GET would have written, and throws.
     *
     * @return the priming requests' statuses, in order
     */
    public final java.util.List<Integer> prime() {
        long started = System.nanoTime();
        Priming priming = priming();
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (APIGatewayProxyRequestEvent event : priming.requests()) {
            ApiRequest request = new ApiRequest(event, Priming.REQUEST_ID);
            int status = answer(request).response().getStatusCode();
            if (status >= 200 && status < 300 && !"GET".equals(event.getHttpMethod())) {
                throw new IllegalStateException("priming request " + request.routeKey() + " was answered " + status
                        + ": it may have written; priming must be refused or read only");
            }
            statuses.add(status);
        }
        for (Class<?> type : priming.responseTypes()) {
            Json.prepare(type); // builds and caches how the type is written
        }
        int failedSteps = 0;
        for (Map.Entry<String, Priming.Step> step : priming.steps().entrySet()) {
            try {
                step.getValue().run();
            } catch (Exception e) {
                failedSteps++;
                log.warn(Priming.REQUEST_ID, "priming step failed", Map.of("step", step.getKey(),
                        "exception", e.getClass().getName()));
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("requests", statuses.size());
        fields.put("responseTypes", priming.responseTypes().size());
        fields.put("steps", priming.steps().size());
        fields.put("failedSteps", failedSteps);
        fields.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        log.info(Priming.REQUEST_ID, "primed", fields);
        return statuses;
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        FreshRandom.renew();
        coldStart.set(true);
    }
}
