package com.onepoint.local.bench;

import com.onepoint.devkit.SamTemplate;
import com.onepoint.local.LocalRuntime;
import com.onepoint.local.RuntimeOverrides;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training run of the class-data-sharing archive that {@code mvn package} records (local/pom.xml): the classes a
 * user's {@code serve} loads before and while it answers its first requests, so that the JVM maps them from the
 * archive instead of loading and verifying them. It starts the runtime on a throwaway data directory with its HTTP
 * port, sends one request of each kind a POS and a manager send, lets the consumers run, and stops. Each answer is
 * checked, so a training run that did not do what it says fails the build.
 */
public final class ClassDataTraining {
    private static final String KEY = "local-admin-key";
    private static final Pattern DEAL_ID = Pattern.compile("\"dealId\":\"([^\"]+)\"");

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("onepoint-cds-training");
        try (LocalRuntime runtime = LocalRuntime.start(() -> SamTemplate.load(Path.of("template.yaml")), 0,
                RuntimeOverrides.standard(dir))) {
            String base = runtime.baseUrl();
            send(base, "POST", "/merchants", "{\"merchantId\":\"cds\",\"name\":\"Training\"}", null, 201);
            send(base, "POST", "/members", "{\"memberId\":\"cds-1\",\"name\":\"Kim\"}", "m-1", 201);
            send(base, "POST", "/deals", "{\"memberId\":\"cds-1\",\"merchantId\":\"cds\",\"type\":\"earn\",\"amount\":100000}",
                    "d-1", 201);
            String use = send(base, "POST", "/deals", "{\"memberId\":\"cds-1\",\"merchantId\":\"cds\",\"type\":\"use\","
                    + "\"amount\":1000,\"points\":100}", "d-2", 201);
            send(base, "POST", "/deals", "{\"memberId\":\"cds-1\",\"merchantId\":\"cds\",\"type\":\"use\","
                    + "\"amount\":1000,\"points\":100000}", "d-3", 409);
            String dealId = dealId(use);
            send(base, "GET", "/deals/" + dealId, null, null, 200);
            send(base, "POST", "/deals/" + dealId + "/cancel", null, "c-1", 202);
            send(base, "GET", "/points/cds-1", null, null, 200);
            send(base, "GET", "/members/cds-1", null, null, 200);
            send(base, "POST", "/deals", "{\"memberId\":\"cds-1\"}", null, 400);
            Thread.sleep(2000); // the stream and queue consumers take their batches
            send(base, "GET", "/dashboard/members/cds-1", null, null, 200);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String dealId(String body) {
        Matcher m = DEAL_ID.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no dealId in " + body);
        }
        return m.group(1);
    }

    private static String send(String base, String method, String path, String body, String idempotencyKey,
                               int expected) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setRequestProperty("x-api-key", KEY);
        if (idempotencyKey != null) {
            c.setRequestProperty("Idempotency-Key", idempotencyKey);
        }
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        if (in != null) {
            try (in) {
                in.transferTo(read);
            }
        }
        String answer = read.toString(StandardCharsets.UTF_8);
        if (status != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + status + ", not " + expected + ": " + answer);
        }
        return answer;
    }
}
