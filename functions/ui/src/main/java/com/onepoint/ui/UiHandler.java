package com.onepoint.ui;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import org.crac.Core;
import org.crac.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * UiFunction: GET /ui and GET /ui/{proxy+} answer the manager dashboard page, static files packaged in this jar under
 * {@code ui/} and held in memory from the first request. The routes have no authorizer (the page is public; what it
 * shows comes from the API, which the page calls same-origin with the admin key the manager types). Every file is
 * text (HTML, JS, CSS), so API Gateway passes it through without binary media types. The Content-Security-Policy
 * lets the page load and call nothing but its own origin.
 */
public class UiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, Resource {
    /** The page's files; anything else is 404 (no directory listing, no path walking). */
    static final List<String> FILES = List.of("index.html", "app.js", "api.js", "chart.js", "style.css");
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Asset(String body, String contentType, String etag) {
    }

    private static final Map<String, Asset> ASSETS = load();

    public UiHandler() {
        Core.getGlobalContext().register(this);
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        Map<String, String> params = event.getPathParameters();
        String file = params == null ? null : params.get("proxy");
        if (file == null || file.isEmpty()) {
            String path = event.getPath() == null ? "" : event.getPath();
            if (!path.endsWith("/")) {
                // relative, so it keeps whatever stage or base path the page was reached under: /dev/ui -> /dev/ui/
                return response(302, Map.of("Location", "ui/", "Cache-Control", "no-cache"), null);
            }
            file = "index.html";
        }
        Asset asset = ASSETS.get(file);
        if (asset == null) {
            return response(404, Map.of("Content-Type", "application/json"),
                    "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such file in the dashboard page\",\"details\":{}}}");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", asset.contentType());
        headers.put("ETag", asset.etag());
        // revalidated on every load (a 304 when unchanged), so a deploy is seen at once
        headers.put("Cache-Control", "no-cache");
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        if (asset.etag().equals(header(event, "If-None-Match"))) {
            return response(304, headers, null);
        }
        return response(200, headers, asset.body());
    }

    private static String header(APIGatewayProxyRequestEvent event, String name) {
        if (event.getHeaders() == null) {
            return null;
        }
        for (Map.Entry<String, String> h : event.getHeaders().entrySet()) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    private static APIGatewayProxyResponseEvent response(int status, Map<String, String> headers, String body) {
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(new LinkedHashMap<>(headers))
                .withBody(body).withIsBase64Encoded(false);
    }

    private static Map<String, Asset> load() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (String name : FILES) {
            try (InputStream in = UiHandler.class.getResourceAsStream("/ui/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("ui/" + name + " is not in the function's jar");
                }
                byte[] bytes = in.readAllBytes();
                String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8) + "\"";
                assets.put(name, new Asset(new String(bytes, StandardCharsets.UTF_8), contentType(name), etag));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return Map.copyOf(assets);
    }

    static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        throw new IllegalArgumentException("no content type for " + name);
    }

    /** SnapStart: the files are read at class load; one request before the snapshot warms the path that serves them. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        handleRequest(new APIGatewayProxyRequestEvent().withPath("/ui/").withHttpMethod("GET"), null);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to renew: no random source, no connection
    }
}
