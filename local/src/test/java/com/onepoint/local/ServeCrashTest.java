package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real crash of the real runtime: {@code serve} runs as a child JVM on a data directory, 8 clients record earns,
 * uses and cancellations of uses over HTTP, and the child is killed with SIGKILL ({@link Process#destroyForcibly()},
 * no shutdown hook) while they do. A second {@code serve} on the same directory must then hold every answered deal
 * as it was answered, finish every acknowledged restoration through the whole restore pipeline (deals stream,
 * outbox, bus, SQS, PointRestoreFunction), and leave every balance equal to the deals table's SUCCESS earns minus
 * its SUCCESS uses, the deals committed but never answered included (read through the engine's DynamoDB port).
 *
 * <p>The child runs the repository's template.yaml with one change, {@code RestoreRetryDelaySeconds} (the restore
 * queue's visibility timeout) 2 instead of 90: a restore message received but not deleted when the process dies
 * comes back only when its visibility timeout ends, as in SQS, and the test should not wait 90 s for it.
 */
class ServeCrashTest {
    private static final String ADMIN_KEY = "local-admin-key";
    private static final String MERCHANT = "crash-merchant";
    private static final int MEMBERS = 20;
    private static final int CLIENTS = 8;
    private static final long LOAD_MILLIS = 2500;
    private static final Duration MAX_LOAD = Duration.ofSeconds(15);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration RESTORE_WAIT = Duration.ofSeconds(30);
    private static final Pattern URL_LINE = Pattern.compile("OnePoint local runtime: (http://127\\.0\\.0\\.1:\\d+)");
    private static final String DEALS_TABLE = "onepoint-dev-deals";

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Child> children = new ArrayList<>();

    /** A deal as a 2xx answer gave it. */
    private record Answered(String dealId, String memberId, String type, long points, String status) {
    }

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Child child : children) {
            child.process.destroy();
            if (!child.process.waitFor(10, TimeUnit.SECONDS)) {
                child.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void killedServeLosesNothingItAnsweredAndFinishesEveryRestoration() throws Exception {
        Path dataDir = Files.createDirectory(temp.resolve("data"));
        Path template = restoreRetryDelayTemplate(temp.resolve("template.yaml"));

        long t0 = System.nanoTime();
        Child first = serve(template, dataDir, 0);
        long firstStartMillis = (System.nanoTime() - t0) / 1_000_000;
        String url = first.url;
        post(url, "/merchants", "{\"merchantId\":\"" + MERCHANT + "\",\"name\":\"Crash test\"}", 201, first);
        List<String> members = new ArrayList<>();
        Map<String, Answered> answered = new ConcurrentHashMap<>();
        for (int i = 0; i < MEMBERS; i++) {
            String member = String.format("crash-%02d", i);
            members.add(member);
            post(url, "/members", "{\"memberId\":\"" + member + "\",\"name\":\"Member " + i + "\"}", 201, first);
            // 1,000,000 at the default rate 0.01: 10,000 points, far more than the run's uses spend
            JsonNode earn = post(url, "/deals", deal(member, "earn", 1_000_000, 0), 201, first);
            answered.put(earn.get("dealId").asText(), answer(earn));
        }

        long seedMillis = (System.nanoTime() - t0) / 1_000_000 - firstStartMillis;
        Set<String> cancelAcknowledged = ConcurrentHashMap.newKeySet();
        Set<String> cancelUnanswered = ConcurrentHashMap.newKeySet(); // sent, no answer before the kill
        List<String> errorsBeforeKill = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger requestsAfterKill = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            Thread client = new Thread(() -> {
                ArrayDeque<String> myUses = new ArrayDeque<>();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                    while (true) {
                        String member = members.get(random.nextInt(members.size()));
                        int pick = random.nextInt(10);
                        String cancelling = null;
                        HttpResponse<String> r;
                        try {
                            if (pick < 3 && !myUses.isEmpty()) {
                                cancelling = myUses.poll();
                                cancelUnanswered.add(cancelling);
                                r = send(url, "POST", "/deals/" + cancelling + "/cancel", null);
                            } else if (pick < 6) {
                                r = send(url, "POST", "/deals", deal(member, "earn", 100 + random.nextInt(10_000), 0));
                            } else {
                                r = send(url, "POST", "/deals", deal(member, "use", 1000, 1 + random.nextInt(50)));
                            }
                        } catch (IOException e) {
                            if (!killed.get()) {
                                errorsBeforeKill.add(e.toString());
                            }
                            return; // the server is gone: this client is done
                        }
                        if (killed.get()) {
                            requestsAfterKill.incrementAndGet(); // answered by a process being killed: still answered
                        }
                        if (r.statusCode() / 100 != 2) {
                            if (cancelling == null && r.statusCode() == 409) {
                                continue; // a refused use (FAILED deal): no 2xx, nothing to check
                            }
                            errorsBeforeKill.add(r.statusCode() + " " + r.body());
                            continue;
                        }
                        JsonNode body = Json.read(r.body());
                        if (cancelling != null) {
                            if (r.statusCode() != 202 || !"PENDING".equals(body.path("restoration").asText())) {
                                errorsBeforeKill.add("cancel of a use answered " + r.statusCode() + " " + r.body());
                            }
                            cancelAcknowledged.add(cancelling);
                            cancelUnanswered.remove(cancelling);
                        } else {
                            Answered deal = answer(body);
                            answered.put(deal.dealId(), deal);
                            if (deal.type().equals("use") && deal.status().equals("SUCCESS")) {
                                myUses.add(deal.dealId());
                            }
                        }
                    }
                } catch (Exception e) {
                    errorsBeforeKill.add("client failed: " + e);
                } finally {
                    done.countDown();
                }
            }, "crash-client-" + c);
            client.setDaemon(true);
            client.start();
        }
        // at least LOAD_MILLIS, and on a loaded machine longer, until the run has something to lose
        long loadStarted = System.nanoTime();
        Thread.sleep(LOAD_MILLIS);
        while ((answered.size() < 300 || cancelAcknowledged.size() < 40) && errorsBeforeKill.isEmpty()
                && System.nanoTime() - loadStarted < MAX_LOAD.toNanos()) {
            Thread.sleep(100);
        }
        long loadMillis = (System.nanoTime() - loadStarted) / 1_000_000;
        int answeredAtKill = answered.size();
        killed.set(true);
        first.process.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
        assertTrue(first.process.waitFor(20, TimeUnit.SECONDS), "the killed child did not exit");
        long killed0 = System.nanoTime();
        assertTrue(done.await(30, TimeUnit.SECONDS), "the clients did not stop after the kill");
        long clientsStopMillis = (System.nanoTime() - killed0) / 1_000_000;
        assertTrue(errorsBeforeKill.isEmpty(), "errors before the kill: " + errorsBeforeKill + first.output());
        assertTrue(answeredAtKill > 100, "too few deals answered before the kill (" + answeredAtKill + ")" + first.output());
        assertTrue(cancelAcknowledged.size() > 10, "too few cancellations acknowledged (" + cancelAcknowledged.size() + ")");

        int dynamoDbPort = freePort();
        long restartStarted = System.nanoTime();
        Child second = serve(template, dataDir, dynamoDbPort);
        long restartMillis = (System.nanoTime() - restartStarted) / 1_000_000;
        String url2 = second.url;

        // every answered deal is there as answered, or CANCELLED if its cancellation was acknowledged
        List<String> wrong = new ArrayList<>();
        for (Answered deal : answered.values()) {
            HttpResponse<String> r = send(url2, "GET", "/deals/" + deal.dealId(), null);
            if (r.statusCode() != 200) {
                wrong.add(deal.dealId() + ": GET answered " + r.statusCode() + " " + r.body());
                continue;
            }
            String status = Json.read(r.body()).get("status").asText();
            boolean ok;
            if (cancelAcknowledged.contains(deal.dealId())) {
                ok = status.equals("CANCELLED");
            } else if (cancelUnanswered.contains(deal.dealId())) {
                ok = status.equals("CANCELLED") || status.equals(deal.status());
            } else {
                ok = status.equals(deal.status());
            }
            if (!ok) {
                wrong.add(deal.dealId() + ": answered " + deal.status() + (cancelAcknowledged.contains(deal.dealId())
                        ? " then cancelled" : "") + ", now " + status);
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " answered deals lost or changed after the restart: "
                + wrong.subList(0, Math.min(20, wrong.size())) + second.output());

        long checkMillis = (System.nanoTime() - restartStarted) / 1_000_000 - restartMillis;
        // every acknowledged cancellation of a use is restored: the pipeline resumes after the crash
        long restoreStarted = System.nanoTime();
        Set<String> pending = new HashSet<>(cancelAcknowledged);
        long deadline = System.nanoTime() + RESTORE_WAIT.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            for (String id : new ArrayList<>(pending)) {
                HttpResponse<String> r = send(url2, "GET", "/deals/" + id, null);
                if (r.statusCode() == 200 && "DONE".equals(Json.read(r.body()).path("restoration").asText())) {
                    pending.remove(id);
                }
            }
            if (!pending.isEmpty()) {
                Thread.sleep(200);
            }
        }
        assertTrue(pending.isEmpty(), pending.size() + " of " + cancelAcknowledged.size()
                + " acknowledged cancellations not restored " + RESTORE_WAIT.toSeconds() + " s after the restart: "
                + new ArrayList<>(pending).subList(0, Math.min(10, pending.size())) + second.output());
        long restoreMillis = (System.nanoTime() - restoreStarted) / 1_000_000;

        try (DynamoDbClient db = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create("http://127.0.0.1:" + dynamoDbPort)).region(Region.AP_NORTHEAST_2)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            // the deals committed but unanswered at the kill may still be restoring: wait until none is PENDING
            List<Map<String, AttributeValue>> deals = scanDeals(db);
            while (deals.stream().anyMatch(d -> "PENDING".equals(str(d, "restoration"))) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                deals = scanDeals(db);
            }
            List<Map<String, AttributeValue>> stillPending = deals.stream()
                    .filter(d -> "PENDING".equals(str(d, "restoration"))).toList();
            assertTrue(stillPending.isEmpty(), stillPending.size() + " deals still PENDING restoration: " + stillPending);

            Map<String, Long> expected = new TreeMap<>();
            members.forEach(m -> expected.put(m, 0L));
            int committedUnanswered = 0;
            for (Map<String, AttributeValue> d : deals) {
                if (!answered.containsKey(str(d, "dealId")) && !"FAILED".equals(str(d, "status"))) {
                    committedUnanswered++;
                }
                if (!"SUCCESS".equals(str(d, "status"))) {
                    continue;
                }
                long points = Long.parseLong(d.get("points").n());
                expected.merge(str(d, "memberId"), str(d, "type").equals("use") ? -points : points, Long::sum);
            }
            Map<String, Long> actual = new TreeMap<>();
            for (String member : members) {
                HttpResponse<String> r = send(url2, "GET", "/points/" + member, null);
                assertEquals(200, r.statusCode(), r.body());
                actual.put(member, Json.read(r.body()).get("balance").asLong());
            }
            assertEquals(expected, actual, "balances vs the deals table's SUCCESS earns - SUCCESS uses");
            actual.forEach((member, balance) -> assertTrue(balance >= 0, member + " has a negative balance " + balance));
            // and the ledger audit, over HTTP on the restarted process, agrees: every balance is the sum of its movements
            HttpResponse<String> audit = send(url2, "POST", "/admin/audit", null);
            assertEquals(200, audit.statusCode(), audit.body());
            assertEquals(0, Json.read(audit.body()).get("discrepancies").size(), audit.body());

            System.out.printf("ServeCrashTest: %d deals answered before the kill (%d answered as the process died),"
                            + " %d cancellations acknowledged, %d sent unanswered; %d deals in the table, %d of them committed"
                            + " but unanswered; restart %d ms (child: %s); restorations done %d ms after serving%n",
                    answeredAtKill, requestsAfterKill.get(), cancelAcknowledged.size(), cancelUnanswered.size(),
                    deals.size(), committedUnanswered, restartMillis, second.startedIn, restoreMillis);
            System.out.printf("ServeCrashTest phases: first start %d ms, seeding %d ms, load %d ms, clients stopped %d ms after"
                            + " the kill, restart %d ms, checking answered deals %d ms, restorations %d ms%n", firstStartMillis,
                    seedMillis, loadMillis, clientsStopMillis, restartMillis, checkMillis, restoreMillis);
        }
    }

    private static List<Map<String, AttributeValue>> scanDeals(DynamoDbClient db) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        db.scanPaginator(b -> b.tableName(DEALS_TABLE).consistentRead(true)).items().forEach(items::add);
        return items;
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static Answered answer(JsonNode deal) {
        return new Answered(deal.get("dealId").asText(), deal.get("memberId").asText(), deal.get("type").asText(),
                deal.get("points").asLong(), deal.get("status").asText());
    }

    private static String deal(String member, String type, long amount, long points) {
        return "{\"memberId\":\"" + member + "\",\"merchantId\":\"" + MERCHANT + "\",\"type\":\"" + type
                + "\",\"amount\":" + amount + (type.equals("use") ? ",\"points\":" + points : "") + "}";
    }

    private JsonNode post(String url, String path, String body, int status, Child child) throws Exception {
        HttpResponse<String> r = send(url, "POST", path, body);
        assertEquals(status, r.statusCode(), "POST " + path + ": " + r.body() + child.output());
        return Json.read(r.body());
    }

    private HttpResponse<String> send(String url, String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(20))
                .header("x-api-key", ADMIN_KEY)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** template.yaml with the restore queue's visibility timeout at 2 s (see the class comment). */
    private static Path restoreRetryDelayTemplate(Path copy) throws IOException {
        String yaml = Files.readString(Path.of("template.yaml"));
        Matcher m = Pattern.compile("(RestoreRetryDelaySeconds:\\s*\\n\\s+Type: Number\\s*\\n\\s+Default: )90").matcher(yaml);
        assertTrue(m.find(), "template.yaml no longer declares RestoreRetryDelaySeconds with Default 90");
        Files.writeString(copy, m.replaceFirst("$12"));
        // the Api's DefinitionBody includes openapi.yaml from the template's folder
        Files.copy(ApiContract.DOCUMENT, copy.resolveSibling("openapi.yaml"));
        return copy;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code serve} as a child JVM from the repository root; returns once its banner gives the URL. */
    private Child serve(Path template, Path dataDir, int dynamoDbPort) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--port", "0", "--dynamodb-port", String.valueOf(dynamoDbPort), "--data-dir", dataDir.toString(),
                "--template", template.toString());
        // the output goes to a file, not a pipe: a pipe the test drains would pace the child's request logging
        Path logDir = Files.isDirectory(Path.of("local", "target")) ? Path.of("local", "target") : temp;
        Path log = logDir.resolve("serve-crash-test-" + (children.size() + 1) + ".log");
        Process process = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Child child = new Child(process, log);
        children.add(child);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!child.bannerDone()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                fail("serve did not print its banner within " + START_TIMEOUT.toSeconds() + " s (alive: "
                        + process.isAlive() + ")" + child.output());
            }
            Thread.sleep(20);
        }
        return child;
    }

    /** A child {@code serve} and the file its stdout and stderr go to. */
    private static final class Child {
        private static final int HEAD = 60;
        private static final int TAIL = 200;
        final Process process;
        final Path log;
        String url;
        String startedIn = "?";

        Child(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        /** Reads the banner so far: true once it is complete ("Ctrl-C stops it."), with the URL parsed. */
        boolean bannerDone() throws IOException {
            for (String line : lines()) {
                Matcher m = URL_LINE.matcher(line);
                if (url == null && m.find()) {
                    url = m.group(1);
                    Matcher ms = Pattern.compile("started in (\\d+ ms)").matcher(line);
                    startedIn = ms.find() ? ms.group(1) : "?";
                }
                if (line.startsWith("Ctrl-C stops it.")) {
                    return url != null;
                }
            }
            return false;
        }

        private List<String> lines() throws IOException {
            byte[] bytes = Files.exists(log) ? Files.readAllBytes(log) : new byte[0];
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        }

        /** The first and the last lines of the child's output, for a failure message. */
        String output() {
            StringBuilder b = new StringBuilder("\n--- serve output (pid ").append(process.pid()).append(", all of it in ")
                    .append(log.toAbsolutePath()).append(") ---\n");
            try {
                List<String> lines = lines();
                lines.subList(0, Math.min(HEAD, lines.size())).forEach(l -> b.append(l).append('\n'));
                if (lines.size() > HEAD + TAIL) {
                    b.append("... ").append(lines.size() - HEAD - TAIL).append(" lines ...\n");
                }
                lines.subList(Math.max(HEAD, lines.size() - TAIL), lines.size()).forEach(l -> b.append(l).append('\n'));
            } catch (IOException | RuntimeException e) {
                b.append("(unreadable: ").append(e).append(")\n");
            }
            return b.append("--- end of serve output ---").toString();
        }
    }
}
