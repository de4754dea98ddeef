package com.onepoint.engine.http;

import com.onepoint.engine.DynamoEngine;
import com.onepoint.engine.DynamoException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The engine on a loopback HTTP port, for the AWS CLI ({@code --endpoint-url http://127.0.0.1:8000}), other SDKs
 * and NoSQL tools. Signatures are not checked: any credentials work, as with DynamoDB Local.
 */
public final class EngineServer implements AutoCloseable {
    private static final String NODELAY = "sun.net.httpserver.nodelay";
    private final HttpServer server;
    private final ExecutorService workers;

    private EngineServer(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    public static EngineServer start(DynamoEngine engine, String host, int port) {
        // small answers must not wait for Nagle's delayed ACK; the JDK server reads this once, when its first server
        // is created, so it is set before that, unless the JVM was started with a choice of its own
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 128);
            ExecutorService workers = Executors.newFixedThreadPool(16, r -> {
                Thread t = new Thread(r, "engine-http");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(workers);
            server.createContext("/", exchange -> handle(engine, exchange));
            server.start();
            return new EngineServer(server, workers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
    }

    private static void handle(DynamoEngine engine, HttpExchange exchange) {
        try (exchange) {
            try {
                respond(engine, exchange);
            } catch (Throwable t) {
                // whatever failed (an Error included), the client gets an answer, not a dropped connection
                internalError(exchange, t);
            }
        }
    }

    private static void respond(DynamoEngine engine, HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            // health checks and browsers: DynamoDB answers a GET on / with a short text
            byte[] text = "healthy: dynamodb.engine.onepoint".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, text.length);
            exchange.getResponseBody().write(text);
            return;
        }
        WireProtocol.Answer answer = WireProtocol.handle(engine, exchange.getRequestHeaders().getFirst("X-Amz-Target"), body);
        exchange.getResponseHeaders().set("Content-Type", WireProtocol.CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", WireProtocol.requestId());
        exchange.sendResponseHeaders(answer.status(), answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    private static void internalError(HttpExchange exchange, Throwable t) {
        WireProtocol.Answer answer = WireProtocol.error(new DynamoException(DynamoException.INTERNAL, "Internal server error: " + t));
        try {
            exchange.getResponseHeaders().set("Content-Type", WireProtocol.CONTENT_TYPE);
            exchange.sendResponseHeaders(answer.status(), answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (IOException | RuntimeException alreadyAnswering) {
            // headers already sent or the client gone: closing the exchange is all that is left
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
