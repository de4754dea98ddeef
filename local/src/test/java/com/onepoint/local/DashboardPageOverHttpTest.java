package com.onepoint.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page's routes as the template declares them (Auth: {Authorizer: NONE}): the local runtime calls no authorizer
 * for them and every other route still needs a key; the files come back as text with their types.
 */
class DashboardPageOverHttpTest {
    private static LocalRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(TestTemplates.project(), 0, RuntimeOverrides.standard());
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    /** Without any x-api-key, as a browser opening the page sends it. */
    private static HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(runtime.baseUrl() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void thePageNeedsNoKeyAndComesAsText() {
        HttpResponse<String> page = get("/ui/");
        assertEquals(200, page.statusCode(), page.body());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(null));
        assertTrue(page.body().contains("<title>OnePoint · membership dashboard</title>"), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("connect-src 'self'"));
        HttpResponse<String> script = get("/ui/app.js");
        assertEquals(200, script.statusCode());
        assertEquals("text/javascript; charset=utf-8", script.headers().firstValue("Content-Type").orElse(null));
    }

    @Test
    void uiWithoutTheSlashIsRedirectedAndAnUnknownFileIsNotFound() {
        HttpResponse<String> bare = get("/ui");
        assertEquals(302, bare.statusCode());
        assertEquals("ui/", bare.headers().firstValue("Location").orElse(null));
        HttpResponse<String> missing = get("/ui/secret.txt");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("\"code\":\"NOT_FOUND\""), missing.body());
    }

    @Test
    void everyOtherRouteStillNeedsAKey() {
        HttpResponse<String> members = get("/members/0001");
        assertEquals(401, members.statusCode());
        assertTrue(members.body().contains("\"code\":\"UNAUTHORIZED\""), members.body());
        assertEquals(401, get("/merchants/20/days").statusCode());
    }
}
