package com.onepoint.engine.conformance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One side of the comparison: something that answers DynamoDB JSON 1.0 requests over loopback HTTP. */
abstract class Peer implements AutoCloseable {
    /** Sent to both sides: a SigV4-shaped header whose credential scope names the region; signatures are ignored. */
    static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/dynamodb/aws4_request, "
            + "SignedHeaders=host, Signature=0";

    record Response(int status, String body) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    final String name;

    Peer(String name) {
        this.name = name;
    }

    /** The port the peer serves on now (it may change across {@link #reset()}). */
    abstract int port();

    /** Drops every table, item and stream: the next scenario starts from nothing. */
    abstract void reset() throws Exception;

    Response call(String amzTarget, String body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/"))
                .timeout(Duration.ofSeconds(60))
                .header("X-Amz-Target", amzTarget)
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("Authorization", AUTHORIZATION)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(resp.statusCode(), resp.body());
    }

    static Response post(int port, String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(resp.statusCode(), resp.body());
    }

    @Override
    public abstract void close();
}
