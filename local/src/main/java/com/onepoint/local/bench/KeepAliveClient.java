package com.onepoint.local.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The benchmark's load generator: one blocking HTTP/1.1 keep-alive connection, POST with a JSON body, status and
 * body back. It shares the cores with the server under test, so it is kept far cheaper than java.net.http.HttpClient
 * (whose selector and executor threads cost about 1 ms of CPU per request here).
 */
final class KeepAliveClient implements Closeable {
    private final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private long lastUsed;
    /** The JDK server closes keep-alive connections idle for a while (30 s); reopen well before that. */
    private static final long MAX_IDLE_NANOS = 5_000_000_000L;

    KeepAliveClient(int port) {
        this.port = port;
    }

    record Answer(int status, String body) {
    }

    static final String API_KEY = "local-admin-key";

    /** One request on the kept-alive connection; {@code json} null sends no body. Not retried: a POST is not idempotent. */
    Answer send(String method, String path, String json) throws IOException {
        return send(method, path, json, null);
    }

    /** As {@link #send(String, String, String)}, with an {@code Idempotency-Key} header unless it is null. */
    Answer send(String method, String path, String json, String idempotencyKey) throws IOException {
        if (socket != null && System.nanoTime() - lastUsed > MAX_IDLE_NANOS) {
            close(); // the server may have closed it meanwhile, and a POST is not retried
        }
        if (socket == null) {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 8192);
        }
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nx-api-key: " + API_KEY // the admin key the local runtime seeds
                + (json == null ? "" : "\r\nContent-Type: application/json")
                + (idempotencyKey == null ? "" : "\r\nIdempotency-Key: " + idempotencyKey)
                + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        try {
            out.write(request);
            out.flush();
            int status = Integer.parseInt(line().split(" ", 3)[1]);
            int length = 0;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            Answer answer = new Answer(status, chunked ? chunkedBody() : new String(in.readNBytes(length), StandardCharsets.UTF_8));
            lastUsed = System.nanoTime();
            return answer;
        } catch (IOException | RuntimeException e) {
            close(); // the connection is in an unknown state; the next request opens a new one
            throw e;
        }
    }

    private String chunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
             size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
            body.write(in.readNBytes(size));
            line();
        }
        line();
        return body.toString(StandardCharsets.UTF_8);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection the peer already dropped
            }
        }
        socket = null;
    }
}
