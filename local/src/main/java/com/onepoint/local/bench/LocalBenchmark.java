package com.onepoint.local.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.local.LocalRuntime;
import com.onepoint.local.RuntimeOverrides;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Measures the local runtime against its targets, durable (a fresh data directory) and in memory, in one run:
 * <ul>
 * <li>startup: a NEW JVM ({@code java @local/jvm.options -jar local/target/onepoint-local.jar serve --port 0
 * --dynamodb-port 0}, once {@code --in-memory}, once with a fresh {@code --data-dir}), from just before the launch
 * until an HTTP request to it answers: at most 1.5 s;</li>
 * <li>POST /deals over HTTP from {@code --concurrency} (8) keep-alive clients, half earns and half uses of random
 * members: at least 1,000 deals/s with a p99 of at most 10 ms, on 2 cores.</li>
 * </ul>
 * The load runs on a runtime in this JVM (every stream consumer, queue and poller of the template running): first
 * {@code --warmup} seconds on a throwaway in-memory runtime for the JIT, then for each mode a runtime of its own,
 * seeded, {@code --warmup} seconds of deals, a pause until the stream consumers have caught up, deals over HTTP
 * until the JIT has settled (two 2-second slices running in which it compiled for less than 5% of each, at most
 * 40 s: on 2 cores its one C2 thread is still compiling the durable mode's request path after the warm-up), and the
 * measured {@code --seconds}. To say where the time goes it also runs the same deals straight into the function (no
 * HTTP), splits the JVM's CPU time by thread group ({@link CpuAccount}), and prints how much CPU other processes
 * of the machine took meanwhile. Not a unit test:
 * {@code java @local/jvm.options -cp local/target/onepoint-local.jar com.onepoint.local.bench.LocalBenchmark
 * [--seconds 20] [--concurrency 8] [--members 1000] [--warmup 20] [--http-threads N] [--startup-runs 3]
 * [--modes durable,memory]}, from the repository root ({@code --startup-runs 0} skips the launches). The request
 * logs go to a file, so the console holds only the figures. Exit code 0 when every target is met.
 */
public final class LocalBenchmark {
    static final long STARTUP_TARGET_MS = 1500;
    static final double THROUGHPUT_TARGET = 1000;
    static final double P99_TARGET_MS = 10;
    private static final String MERCHANT = "bench";
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> OPTIONS = List.of("--seconds", "--concurrency", "--members", "--warmup",
            "--http-threads", "--template", "--startup-runs", "--modes");

    private final Map<String, String> options;
    private final int seconds;
    private final int concurrency;
    private final int members;
    private final PrintStream report;

    private LocalBenchmark(Map<String, String> options, PrintStream report) {
        this.options = options;
        this.seconds = integer("--seconds", 20);
        this.concurrency = integer("--concurrency", 8);
        this.members = integer("--members", 1000);
        this.report = report;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchMain.options(args, OPTIONS, "LocalBenchmark [--seconds 20] [--concurrency 8]"
                + " [--members 1000] [--warmup 20] [--http-threads N (default: the runtime's choice)]"
                + " [--startup-runs 3] [--modes durable,memory] [--template template.yaml]");
        PrintStream console = System.out;
        Path logFile = BenchMain.logsToFile("onepoint-bench-");
        int code = new LocalBenchmark(options, console).run(logFile);
        System.out.flush();
        System.exit(code);
    }

    private int integer(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, String.valueOf(fallback)));
    }

    /** One mode of the runtime: its data directory, or none (in memory). */
    record Mode(String name, boolean durable) {
    }

    /** One launch of serve as a new JVM. */
    record Startup(long untilHttpMs, long startMs, String steps, List<String> warnings, double othersShare) {
    }

    /** The load figures of one mode. */
    record ModeResult(Mode mode, long inProcessStartMs, String inProcessSteps, long drainMs, JitSettle jit, String window, Load http, CpuAccount.Spent httpCpu,
                      Load function, CpuAccount.Spent functionCpu, long dataBytes) {
        boolean pass() {
            return http.perSecond() >= THROUGHPUT_TARGET && http.percentileMillis(0.99) <= P99_TARGET_MS;
        }
    }

    private int run(Path logFile) throws Exception {
        Path template = Path.of(options.getOrDefault("--template", "template.yaml"));
        int httpThreads = integer("--http-threads", RuntimeOverrides.AUTO_HTTP_THREADS);
        // on 2 cores C2 is still compiling the engine, the SDK and Jackson 20 s in: shorter warm-ups measure the JIT
        int warmup = integer("--warmup", 20);
        int startupRuns = integer("--startup-runs", 3);
        List<Mode> modes = new ArrayList<>();
        for (String m : options.getOrDefault("--modes", "durable,memory").split(",")) {
            switch (m.trim()) {
                case "durable" -> modes.add(new Mode("durable", true));
                case "memory" -> modes.add(new Mode("in memory", false));
                default -> throw new IllegalArgumentException("--modes takes durable and/or memory, not " + m);
            }
        }

        // first, while this JVM is idle: what a user waits for, JVM launch and class loading included
        Map<Mode, List<Startup>> startups = new HashMap<>();
        for (Mode mode : modes) {
            List<Startup> runs = new ArrayList<>();
            for (int i = 0; i < startupRuns; i++) {
                runs.add(launchServe(template, mode));
            }
            startups.put(mode, runs);
        }

        SamTemplate sam = SamTemplate.load(template);
        if (warmup > 0) {
            // on 2 cores the JIT compiles for about a minute (16,000 methods: the SDK, Jackson, the engine, ElasticMQ,
            // the functions); a throwaway runtime takes the first of it, so that the first mode measured is not
            // the one that pays for it
            load(sam, new Mode("JIT warm-up", false), httpThreads, warmup, false);
        }
        List<ModeResult> results = new ArrayList<>();
        for (Mode mode : modes) {
            results.add(load(sam, mode, httpThreads, warmup, true));
        }
        print(template, httpThreads, warmup, startupRuns, startups, results, logFile);
        boolean pass = results.stream().allMatch(ModeResult::pass)
                && startups.values().stream().allMatch(runs -> runs.isEmpty() || median(runs) <= STARTUP_TARGET_MS);
        return pass ? 0 : 1;
    }

    /** {@code serve} as a new JVM: from just before the launch until GET /points/startup-probe answers (404). */
    private Startup launchServe(Path template, Mode mode) throws Exception {
        Path dataDir = mode.durable() ? Files.createTempDirectory("onepoint-bench-startup-") : null;
        List<String> args = new ArrayList<>(List.of("--port", "0", "--dynamodb-port", "0", "--template", template.toString()));
        if (dataDir == null) {
            args.add("--in-memory");
        } else {
            args.addAll(List.of("--data-dir", dataDir.toString()));
        }
        try (ServeProcess serve = ServeProcess.launch(args)) {
            long untilHttp = serve.millisUntilAnswered("GET", "/points/startup-probe", a -> a.status() > 0, CHILD_TIMEOUT);
            String steps = serve.startupLine(CHILD_TIMEOUT);
            return new Startup(untilHttp, serve.startedInMillis(), steps, serve.warnings(), serve.othersShare());
        } finally {
            if (dataDir != null) {
                deleteTree(dataDir);
            }
        }
    }

    /** A runtime in this JVM in {@code mode}: seeded, warmed up, then measured over HTTP and straight into the function. */
    private ModeResult load(SamTemplate sam, Mode mode, int httpThreads, int warmup, boolean measure) throws Exception {
        Path dataDir = mode.durable() ? Files.createTempDirectory("onepoint-bench-data-") : null;
        long t0 = System.nanoTime();
        RuntimeOverrides overrides = RuntimeOverrides.standard(dataDir);
        if (httpThreads != RuntimeOverrides.AUTO_HTTP_THREADS) {
            overrides = overrides.withHttpThreads(httpThreads);
        }
        try (LocalRuntime runtime = LocalRuntime.start(sam, 0, overrides)) {
            long startMs = (System.nanoTime() - t0) / 1_000_000;
            int port = runtime.port();
            AtomicInteger n = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> new Thread(r, "bench-client-" + n.incrementAndGet()));
            ThreadLocal<KeepAliveClient> connections = ThreadLocal.withInitial(() -> new KeepAliveClient(port));
            try {
                seed(port, pool, connections);
                Deals overHttp = body -> connections.get().send("POST", "/deals", body).status();
                String dealFunction = functionOf(runtime, "POST /deals");
                Deals direct = body -> ((APIGatewayProxyResponseEvent) runtime.invoker()
                        .invoke(dealFunction, proxyEvent(body))).getStatusCode();
                if (warmup > 0) { // the JIT compiles both paths before either is measured, so neither pays for it
                    load(pool, overHttp, warmup);
                    load(pool, direct, Math.max(1, warmup / 2));
                }
                if (!measure) {
                    return null;
                }
                long quiet = awaitQuiet(); // the warm-up's backlog in the stream consumers is not measured
                JitSettle jit = settleJit(pool, overHttp);
                CpuAccount cpu = CpuAccount.start();
                java.time.LocalTime from = java.time.LocalTime.now().withNano(0);
                Load http = load(pool, overHttp, seconds);
                String window = from + "-" + java.time.LocalTime.now().withNano(0);
                CpuAccount.Spent httpCpu = cpu.spent();
                awaitQuiet();
                cpu = CpuAccount.start();
                Load function = load(pool, direct, Math.max(1, seconds / 2));
                CpuAccount.Spent functionCpu = cpu.spent();
                long bytes = dataDir == null ? 0 : sizeOf(dataDir);
                return new ModeResult(mode, startMs, runtime.startupTimes().toString(), quiet, jit, window, http, httpCpu, function,
                        functionCpu, bytes);
            } finally {
                pool.shutdownNow();
            }
        } finally {
            if (dataDir != null) {
                deleteTree(dataDir);
            }
        }
    }

    /** A merchant and {@code members} members, each with a balance no use in the run can exhaust. */
    private void seed(int port, ExecutorService pool, ThreadLocal<KeepAliveClient> connections) throws Exception {
        try (KeepAliveClient client = new KeepAliveClient(port)) {
            expect(201, client.send("POST", "/merchants", "{\"merchantId\":\"" + MERCHANT + "\",\"name\":\"Benchmark\"}"));
        }
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            String id = memberId(i);
            done.add(pool.submit(() -> {
                expect(201, connections.get().send("POST", "/members", "{\"memberId\":\"" + id + "\",\"name\":\"Bench\"}"));
                expect(201, connections.get().send("POST", "/deals", deal(id, "earn", 1_000_000_000_000L, 0)));
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    /** One way of recording a deal: returns the status. */
    interface Deals {
        int record(String body) throws Exception;
    }

    record Load(long[] latenciesNanos, long refused, double elapsedSeconds) {
        double perSecond() {
            return latenciesNanos.length / elapsedSeconds;
        }

        double percentileMillis(double p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            return sorted.length == 0 ? Double.NaN
                    : sorted[(int) Math.max(0, Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1))] / 1e6;
        }
    }

    /** Deals from {@code concurrency} clients for {@code durationSeconds}: half earns, half uses, random members. */
    private Load load(ExecutorService pool, Deals deals, int durationSeconds) throws Exception {
        long deadline = System.nanoTime() + durationSeconds * 1_000_000_000L;
        AtomicLong refused = new AtomicLong();
        List<Future<long[]>> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                long[] latencies = new long[1024];
                int n = 0;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline) {
                    String member = memberId(random.nextInt(members));
                    String body = random.nextBoolean() ? deal(member, "earn", 1 + random.nextInt(100_000), 0)
                            : deal(member, "use", 1000, 1 + random.nextInt(100));
                    long t = System.nanoTime();
                    int status = deals.record(body);
                    long latency = System.nanoTime() - t;
                    if (status != 201) {
                        refused.incrementAndGet();
                        continue;
                    }
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = latency;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : workers) {
            all.add(f.get());
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        return new Load(all.stream().flatMapToLong(Arrays::stream).toArray(), refused.get(), elapsed);
    }

    private void print(Path template, int httpThreads, int warmup, int startupRuns, Map<Mode, List<Startup>> startups,
                       List<ModeResult> results, Path logFile) {
        int cores = Runtime.getRuntime().availableProcessors();
        report.println("OnePoint local runtime benchmark");
        report.printf("  setup          %s, %d members, concurrency %d, HTTP threads %s, %d s after %d s warm-up (and %d s of JIT"
                        + " warm-up on a throwaway in-memory runtime first), %d cores,"
                        + " load average %.2f at the end, GC %s%n", template, members, concurrency,
                httpThreads == RuntimeOverrides.AUTO_HTTP_THREADS ? "the runtime's (in memory: one per core; durable: four per core)"
                        : Integer.toString(httpThreads), seconds,
                warmup, warmup, cores, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining("+")));
        report.printf("  startup        java @%s -jar %s serve --port 0 --dynamodb-port 0 ..., launch until HTTP answers,"
                + " %d runs each, target <= %d ms (median)%n", ServeProcess.JVM_OPTIONS, ServeProcess.JAR, startupRuns,
                STARTUP_TARGET_MS);
        for (Map.Entry<Mode, List<Startup>> e : startups.entrySet().stream()
                .sorted(Comparator.comparing(e -> e.getKey().durable() ? 0 : 1)).toList()) {
            List<Startup> runs = e.getValue();
            if (runs.isEmpty()) {
                continue;
            }
            long median = median(runs);
            report.printf("    %-11s %s ms: median %d ms   %s   (other processes meanwhile: %s of the cores)%n",
                    e.getKey().durable() ? "--data-dir" : "--in-memory",
                    runs.stream().map(r -> String.valueOf(r.untilHttpMs())).collect(Collectors.joining(", ")), median,
                    verdict(median <= STARTUP_TARGET_MS), runs.stream().map(r -> percent(r.othersShare()))
                            .collect(Collectors.joining(", ")));
            Startup middle = runs.stream().filter(r -> r.untilHttpMs() == median).findFirst().orElseThrow();
            report.printf("                median run: start() %d ms (the child's banner); startup: %s%n", middle.startMs(),
                    middle.steps());
            runs.stream().flatMap(r -> r.warnings().stream()).distinct()
                    .forEach(w -> report.println("                child said: " + w));
        }
        for (ModeResult r : results) {
            Load http = r.http();
            double p99 = http.percentileMillis(0.99);
            report.printf("  %-14s in-process start() %d ms (%s)%s%n", r.mode().name(), r.inProcessStartMs(), r.inProcessSteps(),
                    r.mode().durable() ? String.format("; data dir %.1f MB at the end", r.dataBytes() / 1e6) : "");
            report.printf("    warm-up      its backlog drained %d ms after it; the JIT settled after %d s more of deals over HTTP"
                    + " (compiling %d ms in the last 2 s); other processes used %s of the cores during the HTTP run (%s)%n",
                    r.drainMs(), r.jit().seconds(), r.jit().lastSliceCompileMs(),
                    percent(r.httpCpu().otherProcessesShare()), r.window());
            report.printf("    throughput   %7.1f /s      POST /deals over HTTP (%d, %d refused)   target >= %.0f /s   %s%n",
                    http.perSecond(), http.latenciesNanos().length, http.refused(), THROUGHPUT_TARGET,
                    verdict(http.perSecond() >= THROUGHPUT_TARGET));
            report.printf("    latency      p50 %.2f ms, p99 %.2f ms                        target p99 <= %.0f ms  %s%n",
                    http.percentileMillis(0.50), p99, P99_TARGET_MS, verdict(p99 <= P99_TARGET_MS));
            // Little's law for a closed loop: mean latency = clients / throughput, and p99 >= mean
            report.printf("    closed loop  %d clients at %.1f /s wait %.2f ms on average (clients / throughput)%n",
                    concurrency, http.perSecond(), concurrency * 1000 / http.perSecond());
            report.printf("    no HTTP      same deals straight into the function: %.1f /s, p50 %.2f ms, p99 %.2f ms%n",
                    r.function().perSecond(), r.function().percentileMillis(0.50), r.function().percentileMillis(0.99));
            cpu("over HTTP", http, r.httpCpu(), cores);
            cpu("no HTTP", r.function(), r.functionCpu(), cores);
        }
        report.println("  request logs   " + logFile);
    }

    private void cpu(String label, Load load, CpuAccount.Spent spent, int cores) {
        long deals = Math.max(1, load.latenciesNanos().length + load.refused());
        double perDeal = spent.total() / 1e6 / deals;
        report.printf("    CPU per deal %-9s %.3f ms (all threads of this JVM): %d cores serve at most %.0f /s%n", label,
                perDeal, cores, cores / perDeal * 1000);
        StringBuilder split = new StringBuilder("      ");
        spent.byGroup().forEach((group, nanos) -> {
            if (nanos > 0) {
                split.append(String.format("%.3f %s; ", nanos / 1e6 / deals, group));
            }
        });
        split.append(String.format("(JIT compiling %.3f, GC pauses %.3f)", spent.jitNanos() / 1e6 / deals,
                spent.gcPauseNanos() / 1e6 / deals));
        report.println(split);
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "?" : String.format("%.0f%%", share * 100);
    }

    /** How long the deals before the measured run took for the JIT to settle. */
    record JitSettle(int seconds, long lastSliceCompileMs) {
    }

    /**
     * Runs deals in 2-second slices until the JIT compiles for less than 5% of a slice (100 ms) in two slices
     * running, at most 40 s, so the measured run does not share the cores with compilations of its own path.
     */
    private JitSettle settleJit(ExecutorService pool, Deals deals) throws Exception {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        int seconds = 0;
        int quietSlices = 0;
        long compiled;
        do {
            long before = jit.getTotalCompilationTime();
            load(pool, deals, 2);
            seconds += 2;
            compiled = jit.getTotalCompilationTime() - before;
            quietSlices = compiled < 100 ? quietSlices + 1 : 0;
        } while (quietSlices < 2 && seconds < 40); // compilations come in bursts: one quiet slice can fall between two
        return new JitSettle(seconds, compiled);
    }

    /**
     * Waits until this JVM's CPU stays below 10% of a core for a second (the stream consumers have caught up), at
     * most 60 s; returns how long it waited.
     */
    static long awaitQuiet() throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long started = System.nanoTime();
        while (System.nanoTime() - started < 60_000_000_000L) {
            long cpu = os.getProcessCpuTime();
            Thread.sleep(500);
            if (os.getProcessCpuTime() - cpu < 50_000_000L) {
                Thread.sleep(500);
                if (os.getProcessCpuTime() - cpu < 100_000_000L) {
                    break;
                }
            }
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static long median(List<Startup> runs) {
        long[] ms = runs.stream().mapToLong(Startup::untilHttpMs).sorted().toArray();
        return ms[(ms.length - 1) / 2];
    }

    private static String verdict(boolean pass) {
        return pass ? "PASS" : "MISS";
    }

    private static String functionOf(LocalRuntime runtime, String route) {
        return runtime.wiring().events().entrySet().stream().filter(e -> e.getValue().equals(route))
                .map(e -> e.getKey().substring(0, e.getKey().indexOf('.'))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no function serves " + route));
    }

    /** The event API Gateway would send for POST /deals with this body, as the admin. */
    static APIGatewayProxyRequestEvent proxyEvent(String body) {
        return proxyEvent("POST", "/deals", "/deals", Map.of(), body);
    }

    /** The event API Gateway would send, the authorizer's context saying admin. */
    static APIGatewayProxyRequestEvent proxyEvent(String method, String path, String resource,
                                                  Map<String, String> pathParameters, String body) {
        String requestId = UUID.randomUUID().toString();
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId(requestId).withResourcePath(resource).withHttpMethod(method);
        context.setAuthorizer(Map.of("role", "admin", "principalId", "admin")); // as API Gateway passes it on
        return new APIGatewayProxyRequestEvent().withHttpMethod(method).withPath(path).withResource(resource)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withHeaders(Map.of("Content-Type", "application/json")).withBody(body).withIsBase64Encoded(false)
                .withRequestContext(context);
    }

    private static void expect(int status, KeepAliveClient.Answer answer) {
        if (answer.status() != status) {
            throw new IllegalStateException("seeding: expected " + status + ", got " + answer.status() + " " + answer.body());
        }
    }

    private static String deal(String member, String type, long amount, long points) {
        return "{\"memberId\":\"" + member + "\",\"merchantId\":\"" + MERCHANT + "\",\"type\":\"" + type + "\",\"amount\":"
                + amount + (type.equals("use") ? ",\"points\":" + points : "") + "}";
    }

    private static String memberId(int i) {
        return String.format("bench-%04d", i);
    }

    static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // gone meanwhile
                }
            }).sum();
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
