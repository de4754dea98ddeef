package com.onepoint.engine.http;

import com.onepoint.engine.DynamoEngine;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * An {@link SdkHttpClient} that hands each request straight to an engine in this JVM: the SDK marshals and
 * unmarshals as it does against AWS, but nothing crosses a socket. Give it to any DynamoDB or DynamoDB Streams
 * client builder with an endpoint override (any URL).
 */
public final class EngineHttpClient implements SdkHttpClient {
    private final DynamoEngine engine;

    public EngineHttpClient(DynamoEngine engine) {
        this.engine = engine;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                byte[] body = read(request);
                String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(null);
                WireProtocol.Answer answer = WireProtocol.handle(engine, target, body);
                SdkHttpFullResponse response = SdkHttpFullResponse.builder()
                        .statusCode(answer.status())
                        .putHeader("Content-Type", WireProtocol.CONTENT_TYPE)
                        .putHeader("Content-Length", Integer.toString(answer.body().length))
                        .putHeader("x-amzn-RequestId", WireProtocol.requestId())
                        .build();
                return HttpExecuteResponse.builder().response(response)
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer.body())))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    private static byte[] read(HttpExecuteRequest request) {
        if (request.contentStreamProvider().isEmpty()) {
            return new byte[0];
        }
        try (InputStream in = request.contentStreamProvider().get().newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String clientName() {
        return "OnePointEngine";
    }

    @Override
    public void close() {
    }
}
