package com.onepoint.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime's own docs over its HTTP port, without an API key: /openapi.yaml is the repository's file as it is,
 * /docs is Swagger UI loading it, with every script and style from the runtime itself (the webjar), none from a CDN;
 * the API's routes still want a key.
 */
class ApiDocsOverHttpTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static LocalRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(TestTemplates.project(), 0, RuntimeOverrides.standard());
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(runtime.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesTheRepositorysOpenApiDocumentWithoutAKey() throws Exception {
        HttpResponse<byte[]> r = get("/openapi.yaml");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
        assertArrayEquals(Files.readAllBytes(ApiContract.DOCUMENT), r.body());
    }

    @Test
    void servesSwaggerUiFromTheWebjarLoadingThatDocument() throws Exception {
        HttpResponse<byte[]> page = get("/docs");
        assertEquals(200, page.statusCode());
        String html = new String(page.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(html.contains("url: \"/openapi.yaml\""), html);
        // "Try it out" calls the document's first server, "/": relative to /openapi.yaml, this runtime on its own port
        assertEquals("/", ApiContract.project().openApi().getServers().get(0).getUrl());
        assertTrue(html.contains("validatorUrl: null"), "no call to validator.swagger.io: " + html);
        // every script and stylesheet the page loads comes from the runtime, and is there
        Matcher assets = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        int found = 0;
        while (assets.find()) {
            String url = assets.group(1);
            assertTrue(url.startsWith("/docs/"), "an asset from elsewhere: " + url);
            HttpResponse<byte[]> asset = get(url);
            assertEquals(200, asset.statusCode(), url);
            assertTrue(asset.body().length > 0, url);
            found++;
        }
        assertTrue(found >= 2, html);
        HttpResponse<byte[]> bundle = get("/docs/swagger-ui-bundle.js");
        assertTrue(bundle.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(bundle.body().length > 100_000, "the Swagger UI bundle: " + bundle.body().length + " bytes");
        assertEquals(200, get("/docs/").statusCode());
    }

    @Test
    void onlyTheWebjarsFilesAreServedAndTheApiStillWantsAKey() throws Exception {
        assertEquals(404, get("/docs/nothing.js").statusCode());
        assertEquals(404, get("/docs/..%2Fpom.properties").statusCode());
        assertEquals(404, get("/docs/a/b.js").statusCode());
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(runtime.baseUrl() + "/openapi.yaml"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        ApiContract.project().check("POST", "/openapi.yaml", post.statusCode(), post.body());
        HttpResponse<byte[]> api = get("/points/0001");
        assertEquals(401, api.statusCode());
        assertFalse(new String(api.body(), java.nio.charset.StandardCharsets.UTF_8).isEmpty());
    }
}
