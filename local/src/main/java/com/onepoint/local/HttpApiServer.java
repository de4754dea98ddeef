package com.onepoint.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.devkit.ApiActivity;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.json.Json;
import com.onepoint.shared.log.JsonLog;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The REST API on 127.0.0.1: each HTTP request becomes the proxy event API Gateway would send, goes to the function
 * its route names, and the function's response goes back as HTTP. One JSON access-log line per request.
 */
final class HttpApiServer implements AutoCloseable {
    /** API Gateway's own payload limit; the functions enforce the SPEC's 16 KiB themselves. */
    static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    private static final JsonLog LOG = JsonLog.of(HttpApiServer.class);

    static {
        // without TCP_NODELAY a keep-alive response written in two segments waits out the peer's delayed ACK (~40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final ApiRoutes routes;
    private final LocalFunctions functions;
    private final String apiId;
    private final String stage;
    /** The API's Lambda authorizer, run before each call; null when the API declares no Auth. */
    private final ApiAuthorizer authorizer;
    /** How API Gateway's own refusals read: the template's GatewayResponses. */
    private final GatewayResponses gatewayResponses;
    /** /openapi.yaml and /docs, served without a key; null when the Api has no DefinitionBody. */
    private final ApiDocs docs;

    private HttpApiServer(HttpServer server, ExecutorService workers, ApiRoutes routes, LocalFunctions functions,
                          String apiId, String stage, ApiAuthorizer authorizer, GatewayResponses gatewayResponses,
                          ApiDocs docs) {
        this.authorizer = authorizer;
        this.docs = docs;
        this.gatewayResponses = gatewayResponses;
        this.server = server;
        this.workers = workers;
        this.routes = routes;
        this.functions = functions;
        this.apiId = apiId;
        this.stage = stage;
    }

    /** Binds 127.0.0.1:{@code port} (0: an ephemeral port) and serves with {@code threads} workers. */
    static HttpApiServer start(int port, int threads, ApiRoutes routes, LocalFunctions functions, String apiId,
                               String stage, ApiAuthorizer authorizer, GatewayResponses gatewayResponses, ApiDocs docs)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpApiServer api = new HttpApiServer(server, workers, routes, functions, apiId, stage, authorizer,
                gatewayResponses, docs);
        server.createContext("/", api::handle);
        server.setExecutor(workers);
        server.start();
        return api;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        ApiActivity.begin();
        try {
            answer(exchange);
        } finally {
            ApiActivity.end();
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        Instant received = Instant.now();
        String requestId = UUID.randomUUID().toString();
        String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
        String rawPath = exchange.getRequestURI().getRawPath();
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("method", method);
        log.put("path", rawPath);
        ProxyEvents.HttpResponse response;
        try (exchange; InputStream in = exchange.getRequestBody()) {
            ApiRoutes.Match match = routes.match(method, rawPath);
            byte[] body = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
            if (!match.found() && docs != null && docs.serves(rawPath)) {
                // the template's routes come first; these are the runtime's own, with no authorizer
                log.put("route", "docs");
                ProxyEvents.HttpResponse doc = method.equals("GET") || method.equals("HEAD") ? docs.answer(rawPath) : null;
                response = doc != null ? doc : method.equals("GET") || method.equals("HEAD")
                        ? error(404, "ROUTE_NOT_FOUND", "no route " + method + " " + rawPath, Map.of())
                        : error(405, "METHOD_NOT_ALLOWED", method + " is not a method of " + rawPath,
                        Map.of("allowedMethods", List.of("GET", "HEAD")));
            } else if (!match.found()) {
                // API Gateway answers an unknown route with 403 {"message":"Missing Authentication Token"}; the local
                // runtime answers in the SPEC error model instead, which says what is actually wrong
                response = match.pathKnown()
                        ? error(405, "METHOD_NOT_ALLOWED", method + " is not a method of " + rawPath,
                        Map.of("allowedMethods", match.allowedMethods()))
                        : error(404, "ROUTE_NOT_FOUND", "no route " + method + " " + rawPath, Map.of());
            } else if (body.length > MAX_PAYLOAD_BYTES) {
                response = error(413, "PAYLOAD_TOO_LARGE", "request body exceeds " + MAX_PAYLOAD_BYTES + " bytes",
                        Map.of("maxBytes", MAX_PAYLOAD_BYTES));
            } else {
                ApiRoute route = match.route();
                log.put("route", route.method() + " " + route.resourcePath());
                log.put("function", route.functionLogicalId());
                response = invoke(route, match.pathParameters(), exchange, body, requestId, received, log);
            }
            response.headers().put("x-amzn-RequestId", List.of(requestId));
            write(exchange, response);
        } finally {
            log.put("durationMs", (System.nanoTime() - started) / 1_000_000);
            LOG.info(requestId, "api request", log);
        }
    }

    private ProxyEvents.HttpResponse invoke(ApiRoute route, Map<String, String> params, HttpExchange exchange, byte[] body,
                                            String requestId, Instant received, Map<String, Object> log) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        ProxyEvents.HttpRequest http = new ProxyEvents.HttpRequest(exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT),
                exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders(), body, exchange.getRemoteAddress().getAddress().getHostAddress(),
                host == null ? "127.0.0.1:" + port() : host);
        ProxyEvents.Target target = new ProxyEvents.Target(apiId, stage, route, params);
        APIGatewayProxyRequestEvent event = ProxyEvents.request(http, target, requestId, received);
        if (authorizer != null && !route.open()) {
            String methodArn = "arn:aws:execute-api:" + SamTemplate.REGION + ":" + SamTemplate.ACCOUNT_ID + ":" + apiId
                    + "/" + stage + "/" + event.getHttpMethod() + event.getPath();
            ApiAuthorizer.Decision decision = authorizer.decide(functions, requestId, methodArn, event.getResource(),
                    event.getPath(), event.getHttpMethod(), event.getHeaders(), event.getQueryStringParameters(),
                    event.getPathParameters());
            if (decision.refusal() != null) {
                ApiAuthorizer.Refusal refusal = decision.refusal();
                log.put("authorizer", refusal.status());
                return gatewayResponses.answer(refusal.responseType(), refusal.status(), refusal.message(), requestId);
            }
            event.getRequestContext().setAuthorizer(decision.context());
        }
        Object result;
        try {
            result = functions.get(route.functionLogicalId()).invoke(event, requestId);
        } catch (RuntimeException | Error e) {
            // what API Gateway answers when the integration fails; the log names the exception, never the body
            log.put("exception", e.getClass().getName());
            log.put("detail", String.valueOf(e.getMessage()));
            return internalError();
        }
        if (result instanceof APIGatewayProxyResponseEvent proxy && proxy.getStatusCode() != null) {
            try {
                return ProxyEvents.response(proxy);
            } catch (IllegalArgumentException e) { // a body flagged base64 that is not
                log.put("detail", "malformed Lambda proxy response: " + e.getMessage());
                return internalError();
            }
        }
        log.put("detail", "malformed Lambda proxy response");
        return internalError();
    }

    private static ProxyEvents.HttpResponse internalError() {
        return json(502, Map.of("message", "Internal server error"));
    }

    private static ProxyEvents.HttpResponse error(int status, String code, String message, Map<String, Object> details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("details", details);
        return json(status, Map.of("error", error));
    }

    private static ProxyEvents.HttpResponse json(int status, Object body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        return new ProxyEvents.HttpResponse(status, headers, Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void write(HttpExchange exchange, ProxyEvents.HttpResponse response) throws IOException {
        response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, List.copyOf(values)));
        boolean noBody = response.body().length == 0 || response.status() == 204 || response.status() == 304
                || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
        if (!noBody) {
            exchange.getResponseBody().write(response.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
