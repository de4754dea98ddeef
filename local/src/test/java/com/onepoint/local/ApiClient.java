package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A JSON client of the local REST API, over real HTTP. */
final class ApiClient {
    /** One answer: status, parsed JSON body (null when empty), raw body, and the response for headers. */
    record Answer(int status, JsonNode json, String body, HttpResponse<String> raw) {
        String errorCode() {
            return json == null ? null : json.path("error").path("code").asText(null);
        }
    }

    /** The key the local runtime seeds for the admin. */
    static final String ADMIN_KEY = "local-admin-key";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String apiKey;
    /** Every answer is checked against openapi.yaml (a mismatch fails the test); null for a runtime of a test template. */
    private final ApiContract contract;

    /** A client of the project's template.yaml: every answer it gets must fit openapi.yaml. */
    ApiClient(LocalRuntime runtime) {
        this(runtime.baseUrl(), ADMIN_KEY, ApiContract.project());
    }

    /** A client of a runtime of another template, whose answers openapi.yaml does not describe. */
    static ApiClient unchecked(LocalRuntime runtime) {
        return new ApiClient(runtime.baseUrl(), ADMIN_KEY, null);
    }

    private ApiClient(String baseUrl, String apiKey, ApiContract contract) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.contract = contract;
    }

    /** The same API as another caller; null sends no x-api-key at all. */
    ApiClient withKey(String key) {
        return new ApiClient(baseUrl, key, contract);
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Answer delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer send(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    Answer send(HttpRequest.Builder request) {
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> r;
            try {
                r = http.send(built, HttpResponse.BodyHandlers.ofString());
            } catch (IOException reset) {
                // a pooled keep-alive connection the server had just closed: the request never reached a handler
                // (no request log line), so sending it again on a new connection is what any HTTP client does
                if (!String.valueOf(reset.getMessage()).contains("received no bytes")) {
                    throw reset;
                }
                r = http.send(built, HttpResponse.BodyHandlers.ofString());
            }
            // JSON unless the answer says otherwise (the dashboard page's files are HTML, JavaScript and CSS)
            boolean text = r.headers().firstValue("Content-Type").map(t -> t.startsWith("text/")).orElse(false);
            JsonNode json = r.body().isEmpty() || text ? null : Json.read(r.body());
            if (contract != null) {
                contract.check(built.method(), built.uri().getRawPath(), r.statusCode(), r.body());
            }
            return new Answer(r.statusCode(), json, r.body(), r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return URI.create(baseUrl + path);
    }
}
