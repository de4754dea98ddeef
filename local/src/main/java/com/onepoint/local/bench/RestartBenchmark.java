package com.onepoint.local.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.local.LocalRuntime;
import com.onepoint.local.RuntimeOverrides;
import com.onepoint.devkit.json.Json;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long {@code serve} takes to come back on a data directory that holds 100,000 deals: target at most 2 s from
 * the launch of the JVM until GET /points/{member} answers 200 with that member's balance.
 * <p>
 * It fills a fresh data directory with a runtime in this JVM (no HTTP: the functions are invoked with API Gateway
 * proxy events from {@code --threads} threads; a merchant, {@code --members} members, then {@code --deals} deals,
 * earns and uses), waits until the stream consumers have caught up, closes the runtime cleanly, then launches
 * {@code java @local/jvm.options -jar local/target/onepoint-local.jar serve --port 0 --dynamodb-port 0 --data-dir DIR}
 * as a new JVM {@code --runs} times, each stopped cleanly (SIGTERM) before the next. Not a unit test, run from the
 * repository root: {@code java @local/jvm.options -cp local/target/onepoint-local.jar
 * com.onepoint.local.bench.RestartBenchmark [--deals 100000] [--members 1000] [--threads 32] [--runs 3] [--data-dir DIR]}
 * ({@code --data-dir}: fill there and keep it; default a temporary directory, deleted at the end). Exit code 0 when
 * every restart met the target.
 */
public final class RestartBenchmark {
    static final long TARGET_MS = 2000;
    private static final String MERCHANT = "restart-bench";
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration MAX_CATCH_UP = Duration.ofSeconds(180);
    private static final Pattern BALANCE = Pattern.compile("\"balance\":(\\d+)");
    private static final List<String> OPTIONS = List.of("--deals", "--members", "--threads", "--runs", "--data-dir",
            "--template");

    private final PrintStream report;
    private final int deals;
    private final int members;
    private final int threads;
    private final int runs;
    private final Path template;

    private RestartBenchmark(Map<String, String> options, PrintStream report) {
        this.report = report;
        this.deals = Integer.parseInt(options.getOrDefault("--deals", "100000"));
        this.members = Integer.parseInt(options.getOrDefault("--members", "1000"));
        this.threads = Integer.parseInt(options.getOrDefault("--threads", "32"));
        this.runs = Integer.parseInt(options.getOrDefault("--runs", "3"));
        this.template = Path.of(options.getOrDefault("--template", "template.yaml"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchMain.options(args, OPTIONS, "RestartBenchmark [--deals 100000] [--members 1000]"
                + " [--threads 32] [--runs 3] [--data-dir DIR] [--template template.yaml]");
        PrintStream console = System.out;
        Path logFile = BenchMain.logsToFile("onepoint-restart-bench-");
        String given = options.get("--data-dir");
        Path dir = given == null ? Files.createTempDirectory("onepoint-restart-bench-") : Files.createDirectories(Path.of(given));
        int code;
        try {
            code = new RestartBenchmark(options, console).run(dir, logFile);
        } finally {
            System.out.flush();
            if (given == null) {
                LocalBenchmark.deleteTree(dir);
            }
        }
        System.exit(code);
    }

    private int run(Path dir, Path logFile) throws Exception {
        try (var files = Files.list(dir)) {
            if (files.findAny().isPresent()) {
                throw new IllegalStateException(dir + " is not empty: the benchmark fills a fresh data directory");
            }
        }
        if (threads > members) {
            throw new IllegalArgumentException("--threads must not exceed --members: each thread owns its members");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        report.printf("OnePoint restart benchmark: %,d deals of %,d members in %s, %d cores, load average %.2f%n", deals,
                members, dir, cores, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        long[] balances = fill(dir);
        long bytes = LocalBenchmark.sizeOf(dir);
        long sqsBytes = Files.isDirectory(dir.resolve("sqs")) ? LocalBenchmark.sizeOf(dir.resolve("sqs")) : 0;
        report.printf("  data dir       %.1f MB (%.1f MB of it queued messages, sqs/); function logs in %s%n", bytes / 1e6,
                sqsBytes / 1e6, logFile);
        report.printf("  restart        java @%s -jar %s serve --port 0 --dynamodb-port 0 --data-dir DIR, launch until"
                + " GET /points/{member} answers 200 with its balance, target <= %d ms%n", ServeProcess.JVM_OPTIONS,
                ServeProcess.JAR, TARGET_MS);
        long[] times = new long[runs];
        boolean pass = true;
        for (int i = 0; i < runs; i++) {
            int member = ThreadLocalRandom.current().nextInt(members);
            String path = "/points/" + memberId(member);
            long expected = balances[member];
            List<String> args = List.of("--port", "0", "--dynamodb-port", "0", "--data-dir", dir.toString(),
                    "--template", template.toString());
            long stopMs;
            try (ServeProcess serve = ServeProcess.launch(args)) {
                times[i] = serve.millisUntilAnswered("GET", path, a -> a.status() == 200 && balance(a.body()) == expected,
                        CHILD_TIMEOUT);
                String steps = serve.startupLine(CHILD_TIMEOUT);
                Thread.sleep(2000); // what the consumers take up again once it serves
                long redelivered = serve.streamRecordsLogged();
                pass &= times[i] <= TARGET_MS;
                report.printf("    run %d        %5d ms  %s   (start() %d ms; startup: %s; stream records processed in the"
                                + " 2 s after: %d; other processes meanwhile: %s of the cores)%n", i + 1, times[i],
                        verdict(times[i] <= TARGET_MS), serve.startedInMillis(), steps, redelivered,
                        Double.isNaN(serve.othersShare()) ? "?" : String.format("%.0f%%", serve.othersShare() * 100));
                serve.warnings().forEach(w -> report.println("                 child said: " + w));
                long stopping = System.nanoTime();
                serve.close();
                stopMs = (System.nanoTime() - stopping) / 1_000_000;
            }
            report.printf("                 stopped cleanly (SIGTERM) in %d ms; data dir now %.1f MB%n", stopMs,
                    LocalBenchmark.sizeOf(dir) / 1e6);
        }
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        long median = sorted[(sorted.length - 1) / 2];
        long over = Arrays.stream(times).filter(t -> t > TARGET_MS).count();
        report.printf("  median         %5d ms  %s   (%d of %d runs over the target)%n", median, verdict(median <= TARGET_MS),
                over, runs);
        return pass ? 0 : 1;
    }

    /** Fills {@code dir}: a merchant, the members, then the deals; returns every member's balance. */
    private long[] fill(Path dir) throws Exception {
        SamTemplate sam = SamTemplate.load(template);
        long t0 = System.nanoTime();
        long[] balances = new long[members];
        try (LocalRuntime runtime = LocalRuntime.start(sam, LocalRuntime.NO_HTTP, RuntimeOverrides.standard(dir))) {
            report.printf("  fill           runtime in this JVM started in %d ms (%s)%n", (System.nanoTime() - t0) / 1_000_000,
                    runtime.startupTimes());
            expect(201, invoke(runtime, "MerchantFunction", "/merchants",
                    "{\"merchantId\":\"" + MERCHANT + "\",\"name\":\"Restart benchmark\"}"));
            AtomicInteger n = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> new Thread(r, "bench-client-" + n.incrementAndGet()));
            try {
                long membersStarted = System.nanoTime();
                List<Future<?>> joined = new ArrayList<>();
                for (int i = 0; i < members; i++) {
                    String id = memberId(i);
                    joined.add(pool.submit(() -> expect(201, invoke(runtime, "MemberFunction", "/members",
                            "{\"memberId\":\"" + id + "\",\"name\":\"Bench\"}"))));
                }
                for (Future<?> f : joined) {
                    f.get();
                }
                report.printf("                 %,d members in %.1f s%n", members, (System.nanoTime() - membersStarted) / 1e9);

                long dealsStarted = System.nanoTime();
                AtomicLong done = new AtomicLong();
                AtomicLong nextReport = new AtomicLong(deals / 5);
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int worker = t;
                    // each worker alone moves the balances of its members (i % threads == worker): it knows them exactly
                    int quota = deals / threads + (worker < deals % threads ? 1 : 0);
                    workers.add(pool.submit(() -> {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        for (int k = 0; k < quota; k++) {
                            int member = worker + threads * random.nextInt((members - 1 - worker) / threads + 1);
                            String id = memberId(member);
                            boolean use = random.nextInt(10) < 3 && balances[member] > 0;
                            long points = use ? 1 + random.nextLong(Math.min(500, balances[member])) : 0;
                            String body = "{\"memberId\":\"" + id + "\",\"merchantId\":\"" + MERCHANT + "\",\"type\":\""
                                    + (use ? "use" : "earn") + "\",\"amount\":" + (use ? 1000 : 1000 + random.nextInt(100_000))
                                    + (use ? ",\"points\":" + points : "") + "}";
                            JsonNode deal = Json.read(expect(201, invoke(runtime, "DealFunction", "/deals", body)));
                            long p = deal.get("points").asLong();
                            balances[member] += use ? -p : p;
                            long d = done.incrementAndGet();
                            long at = nextReport.get();
                            if (d >= at && nextReport.compareAndSet(at, at + deals / 5)) {
                                report.printf("                 %,d deals, %.0f /s%n", d, d / ((System.nanoTime() - dealsStarted) / 1e9));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : workers) {
                    f.get();
                }
                double seconds = (System.nanoTime() - dealsStarted) / 1e9;
                report.printf("                 %,d deals in %.1f s: %.0f /s from %d threads%n", deals, seconds, deals / seconds,
                        threads);
            } finally {
                pool.shutdownNow();
            }
            long caughtUp = awaitQuiet();
            report.printf("                 stream consumers caught up %d ms later (this JVM's CPU below 5%% of a core for 2 s)%n",
                    caughtUp);
            long closing = System.nanoTime();
            runtime.close();
            report.printf("                 closed cleanly in %d ms%n", (System.nanoTime() - closing) / 1_000_000);
        }
        return balances;
    }

    /** Waits until this JVM's CPU stays below 5% of a core for two consecutive seconds; returns how long that took. */
    private static long awaitQuiet() throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long started = System.nanoTime();
        int quietSeconds = 0;
        while (quietSeconds < 2 && System.nanoTime() - started < MAX_CATCH_UP.toNanos()) {
            long cpu = os.getProcessCpuTime();
            Thread.sleep(1000);
            quietSeconds = os.getProcessCpuTime() - cpu < 50_000_000L ? quietSeconds + 1 : 0;
        }
        return (System.nanoTime() - started) / 1_000_000 - 2000;
    }

    private static String invoke(LocalRuntime runtime, String function, String path, String body) throws Exception {
        APIGatewayProxyResponseEvent response = (APIGatewayProxyResponseEvent) runtime.invoker()
                .invoke(function, LocalBenchmark.proxyEvent("POST", path, path, Map.of(), body));
        return response.getStatusCode() + " " + response.getBody();
    }

    /** The body of an answer "status body" that has this status; anything else stops the benchmark. */
    private static String expect(int status, String answer) {
        if (!answer.startsWith(status + " ")) {
            throw new IllegalStateException("filling: expected " + status + ", got " + answer);
        }
        return answer.substring(answer.indexOf(' ') + 1);
    }

    private static long balance(String body) {
        Matcher m = BALANCE.matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String verdict(boolean pass) {
        return pass ? "PASS" : "MISS";
    }

    private static String memberId(int i) {
        return String.format("restart-%05d", i);
    }
}
