package com.onepoint.shared.snapstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.onepoint.shared.http.Caller;
import org.crac.Core;
import org.crac.Resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an API function runs before SnapStart takes its snapshot, so that the first request after a restore finds its
 * classes loaded, its JSON serializers built and its SDK client connected: requests through the function's own routes
 * that are refused by validation or only read, the response types it serialises, and steps such as reading a table
 * or walking the idempotency path. Nothing here may write: a priming request a route answers 2xx on a method other
 * than GET fails the priming (see ApiHandler#prime).
 */
public final class Priming {
    /** The path id priming reads: a well-formed id that no caller is expected to have chosen. */
    public static final String ABSENT_ID = "snapstart-priming-absent";
    /** The request id of priming's requests and log line. */
    public static final String REQUEST_ID = "snapstart-priming";

    /** A step that reads (an SDK call, the idempotency path); it may throw, which priming logs and survives. */
    public interface Step {
        void run() throws Exception;
    }

    private final List<APIGatewayProxyRequestEvent> requests = new ArrayList<>();
    private final List<Class<?>> responseTypes = new ArrayList<>();
    private final Map<String, Step> steps = new LinkedHashMap<>();

    /**
     * Registers a handler's hooks with SnapStart (org.crac's global context). CRaC holds resources weakly, so the
     * resource must be the handler itself or something it keeps; a plain JVM drops the registration.
     */
    public static void register(Resource resource) {
        Core.getGlobalContext().register(resource);
    }

    /** A request on {@code resource} (e.g. "/deals/{dealId}") as API Gateway would send it, from {@code caller}. */
    public Priming request(String method, String resource, Map<String, String> pathParameters, String body,
                           Caller caller) {
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(new LinkedHashMap<>(caller.toAuthorizerContext()));
        context.setRequestId(REQUEST_ID);
        String path = resource;
        for (Map.Entry<String, String> p : pathParameters.entrySet()) {
            path = path.replace("{" + p.getKey() + "}", p.getValue());
        }
        requests.add(new APIGatewayProxyRequestEvent()
                .withHttpMethod(method)
                .withResource(resource)
                .withPath(path)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(context));
        return this;
    }

    /** Types the function answers with: their serializers are built before the snapshot instead of on first use. */
    public Priming responseTypes(Class<?>... types) {
        responseTypes.addAll(List.of(types));
        return this;
    }

    public Priming step(String name, Step step) {
        steps.put(name, step);
        return this;
    }

    public List<APIGatewayProxyRequestEvent> requests() {
        return List.copyOf(requests);
    }

    public List<Class<?>> responseTypes() {
        return List.copyOf(responseTypes);
    }

    public Map<String, Step> steps() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    }
}
