package com.onepoint.local.bench;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.engine.http.EngineServer;
import com.onepoint.member.MemberHandler;
import com.onepoint.merchant.MerchantHandler;
import com.onepoint.shared.aws.Env;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start of the deal function against a tutorial's, in fresh JVMs: from JVM start to the first answered
 * {@code POST /deals} (an earn of {@code events/earn.json} for the seeded member 0001 at merchant 20), for
 * <ul>
 *   <li><b>deal</b>: DealFunction's artifact and handler, both read from template.yaml ({@code CodeUri},
 *       {@code Handler}), with the function's environment from the template (Globals' {@code JAVA_TOOL_OPTIONS}
 *       included, which the child JVM picks up as Lambda's does);</li>
 *   <li><b>tutorial</b>: {@code local/tutorial}'s TutorialDealHandler jar ({@code DynamoDbClient.create()} with the
 *       Apache client a tutorial's pom brings, Jackson databind, one TransactWriteItems), with the same environment
 *       and the same JVM options, so the ratio compares the code and the artifact, not the flags; and once more
 *       without {@code JAVA_TOOL_OPTIONS} (the JVM's defaults, as a tutorial that sets none), printed beside it;</li>
 * </ul>
 * Each child is {@code java -XX:+UseSerialGC} (Lambda's Java runtime uses the serial collector) running
 * {@link ColdStartRuntime}, which calls the handler as the managed runtime does: the deal function is a
 * {@code RequestStreamHandler} and reads its own event; the tutorial's typed handler gets its event through
 * {@code aws-lambda-java-serialization}. Both talk to one embedded engine on a loopback port (the template's tables, the
 * merchant and member seeded through their own handlers). One launch of each warms the OS file cache, uncounted;
 * then {@code --rounds} rounds run deal, tutorial, tutorial on defaults, deal, ... and each figure, the medians and their ratio
 * are printed, with the artifact size of every function. Before the rounds the deal artifact answers each kind of
 * request once ({@code artifact check}: earn, replay, get, use, cancel, 404, 400, 409), so a jar cut too far fails here
 * rather than in AWS.
 *
 * <p>Not a unit test. From the repository root after {@code mvn package}:
 * {@code java -cp local/target/onepoint-local.jar com.onepoint.local.bench.ColdStartBenchmark --rounds 10}.
 */
public final class ColdStartBenchmark {
    static final String FUNCTION = "DealFunction";
    static final String TUTORIAL_JAR = "local/tutorial/target/function.jar";
    static final String TUTORIAL_HANDLER = "com.onepoint.local.bench.tutorial.TutorialDealHandler::handleRequest";
    static final String SERIALIZATION_JAR = "local/target/coldstart/aws-lambda-java-serialization.jar";
    static final String RUNTIME_CLASSES = "local/target/classes";
    static final double TARGET_RATIO = 0.7;
    static final long TARGET_ARTIFACT_BYTES = 8_000_000;
    /** The fixtures' idempotency keys and deal id, made unique per launch. */
    private static final String FIXTURE_KEY_PREFIX = "pos-20-terminal-3-";
    private static final String FIXTURE_DEAL_ID = "0b9e6f5c-3f5e-4c1a-9d1e-2f4b8a7c6d10";
    private static final Pattern ANSWER = Pattern.compile("^answered (\\S+) jvm-ms=(\\d+) main-ms=(\\d+) init-ms=(\\d+) event-ms=(\\d+) classes=(\\d+)");

    /** One cold start: JVM start to answer (in the child), launch to answer (here), classes loaded by then. */
    record Sample(long jvmMs, long launchMs, long mainMs, long initMs, long eventMs, long classes) {
    }

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchMain.options(args, List.of("--rounds", "--template", "--artifact", "--tutorial",
                        "--jvm-flags"), "ColdStartBenchmark [--rounds 10] [--template template.yaml] [--artifact <the template's"
                        + " CodeUri>] [--tutorial " + TUTORIAL_JAR + "] [--jvm-flags '<more child flags, e.g. -Xlog:class+load:file=/tmp/cl-%p.log>']");
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "10"));
        SamTemplate sam = SamTemplate.load(Path.of(options.getOrDefault("--template", "template.yaml")));
        SamTemplate.Resource fn = sam.resource(FUNCTION);
        Path artifact = Path.of(options.getOrDefault("--artifact", String.valueOf(fn.properties().get("CodeUri"))));
        String handler = String.valueOf(fn.properties().get("Handler"));
        Path tutorial = Path.of(options.getOrDefault("--tutorial", TUTORIAL_JAR));
        for (Path p : List.of(artifact, tutorial, Path.of(SERIALIZATION_JAR), Path.of(RUNTIME_CLASSES))) {
            if (!Files.exists(p)) {
                throw new IllegalStateException("run from the repository root after `mvn package` (no " + p + ")");
            }
        }
        List<String> extraFlags = options.containsKey("--jvm-flags") ? List.of(options.get("--jvm-flags").trim().split("\\s+")) : List.of();
        Path work = Files.createTempDirectory("coldstart");
        PrintStream console = System.out;
        Path logFile = BenchMain.logsToFile("coldstart"); // the seeding handlers' request lines
        try (LocalDynamo dynamo = LocalDynamo.start(sam);
             EngineServer server = EngineServer.start(dynamo.engine(), "127.0.0.1", 0)) {
            seed(sam, dynamo);
            Map<String, String> env = childEnvironment(sam, fn, dynamo, "http://127.0.0.1:" + server.port());
            List<String> flags = new ArrayList<>(List.of("-XX:+UseSerialGC"));
            flags.addAll(extraFlags);
            console.println(check(artifact, handler, env, flags, work));

            // a third launch: the tutorial without JAVA_TOOL_OPTIONS, on the JVM's own defaults (C2 included)
            Map<String, String> defaultsEnv = new TreeMap<>(env);
            defaultsEnv.remove("JAVA_TOOL_OPTIONS");
            List<Sample> deal = new ArrayList<>();
            List<Sample> bare = new ArrayList<>();
            List<Sample> bareDefaults = new ArrayList<>();
            launch(artifact, handler, env, flags, work); // warm-ups: the OS file cache, not counted
            launch(tutorial, TUTORIAL_HANDLER, env, flags, work);
            console.printf("cold start to the first answered POST /deals, %d rounds (JAVA_TOOL_OPTIONS=%s; java %s)%n",
                    rounds, env.get("JAVA_TOOL_OPTIONS"), String.join(" ", flags));
            console.println("  jvm: JVM start to the answer; launch: from before the launch; init: main() to the handler built;"
                    + " event: the runtime's (de)serialization of event and answer (0 for a stream handler, which reads its own); ms");
            console.println("  round | deal: jvm launch init event classes | tutorial: jvm launch init event classes"
                    + " | tutorial, JVM defaults: jvm");
            for (int i = 1; i <= rounds; i++) {
                Sample a = launch(artifact, handler, env, flags, work);
                Sample b = launch(tutorial, TUTORIAL_HANDLER, env, flags, work);
                Sample c = launch(tutorial, TUTORIAL_HANDLER, defaultsEnv, flags, work);
                deal.add(a);
                bare.add(b);
                bareDefaults.add(c);
                console.printf("  %5d | %9d %6d %4d %5d %7d | %13d %6d %4d %5d %7d | %27d%n", i, a.jvmMs(), a.launchMs(),
                        a.initMs(), a.eventMs(), a.classes(), b.jvmMs(), b.launchMs(), b.initMs(), b.eventMs(), b.classes(),
                        c.jvmMs());
            }
            long dealMedian = median(deal, Sample::jvmMs);
            long bareMedian = median(bare, Sample::jvmMs);
            double ratio = dealMedian / (double) bareMedian;
            console.printf("  median  deal %d ms (launch %d, init %d, event %d, %d classes); tutorial %d ms (launch %d, init %d,"
                            + " event %d, %d classes)%n", dealMedian, median(deal, Sample::launchMs), median(deal, Sample::initMs),
                    median(deal, Sample::eventMs), median(deal, Sample::classes), bareMedian, median(bare, Sample::launchMs),
                    median(bare, Sample::initMs), median(bare, Sample::eventMs), median(bare, Sample::classes));
            console.printf("          tutorial on JVM defaults %d ms%n", median(bareDefaults, Sample::jvmMs));
            console.printf("  ratio   deal / tutorial = %.2f (launch to answer %.2f); target <= %.1f: %s%n", ratio,
                    median(deal, Sample::launchMs) / (double) median(bare, Sample::launchMs), TARGET_RATIO,
                    ratio <= TARGET_RATIO ? "met" : "MISSED");
            console.printf("          (deal / tutorial on JVM defaults %.2f, which Lambda's Java 17+ runtimes do not use: they"
                            + " stop at C1 by default)%n", dealMedian / (double) median(bareDefaults, Sample::jvmMs));
            printArtifactSizes(console, sam, artifact, tutorial);
        } finally {
            System.out.flush();
            Files.deleteIfExists(logFile);
            try (var files = Files.list(work)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    /**
     * The artifact check alone, on an engine of its own, with the template's handler and environment: what
     * {@code DealArtifactTest} runs in CI, since a minimized jar can lack a class only its own JVM would miss.
     */
    static String checkArtifact(SamTemplate sam, Path artifact) throws IOException, InterruptedException {
        SamTemplate.Resource fn = sam.resource(FUNCTION);
        Path work = Files.createTempDirectory("artifact-check");
        try (LocalDynamo dynamo = LocalDynamo.start(sam);
             EngineServer server = EngineServer.start(dynamo.engine(), "127.0.0.1", 0)) {
            seed(sam, dynamo);
            Map<String, String> env = childEnvironment(sam, fn, dynamo, "http://127.0.0.1:" + server.port());
            return check(artifact, String.valueOf(fn.properties().get("Handler")), env, List.of("-XX:+UseSerialGC"), work);
        } finally {
            try (var files = Files.list(work)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    /** Merchant 20 and member 0001 of the fixtures, through their own handlers on the engine. */
    private static void seed(SamTemplate sam, LocalDynamo dynamo) {
        Map<String, String> merchantEnv = new LinkedHashMap<>(sam.functionEnvironment("MerchantFunction", dynamo));
        Map<String, String> memberEnv = new LinkedHashMap<>(sam.functionEnvironment("MemberFunction", dynamo));
        int merchant = new MerchantHandler(new Env(merchantEnv), dynamo.client(), Clock.systemUTC())
                .handleRequest(EventLoader.loadApiGatewayRestEvent("events/register-merchant.json"), null).getStatusCode();
        int member = new MemberHandler(new Env(memberEnv), dynamo.client(), Clock.systemUTC())
                .handleRequest(EventLoader.loadApiGatewayRestEvent("events/join-member.json"), null).getStatusCode();
        if (merchant != 201 || member != 201) {
            throw new IllegalStateException("seeding answered " + merchant + " (merchant) and " + member + " (member)");
        }
    }

    /**
     * What Lambda gives the function's process: the template's variables, the ones Lambda sets itself (region, name,
     * memory, version, credentials), and the engine's URL, for the project's clients ({@code DYNAMODB_ENDPOINT}) and
     * for the SDK's own lookup ({@code AWS_ENDPOINT_URL_DYNAMODB}, which {@code DynamoDbClient.create()} reads).
     */
    static Map<String, String> childEnvironment(SamTemplate sam, SamTemplate.Resource fn, LocalDynamo dynamo, String endpoint) {
        Map<String, String> env = new TreeMap<>(sam.functionEnvironment(fn.logicalId(), dynamo));
        String name = sam.resolveString(fn.properties().get("FunctionName"), dynamo, fn.where("FunctionName"));
        Object memory = fn.properties().getOrDefault("MemorySize", sam.globals("Function").get("MemorySize"));
        env.put("AWS_REGION", SamTemplate.REGION);
        env.put("AWS_DEFAULT_REGION", SamTemplate.REGION);
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memory));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("TZ", ":UTC");
        env.put("DYNAMODB_ENDPOINT", endpoint);
        env.put("AWS_ENDPOINT_URL_DYNAMODB", endpoint);
        return env;
    }

    /**
     * The deal artifact answers, in one JVM, every kind of answer its routes give: an earn (201), its replay (201, the
     * same body), a read of it (200), a use (201), the use's cancellation (202), a read of an unknown deal (404), an
     * earn with a negative amount (400) and a use beyond the balance (409, a FAILED deal). Throws with the child's
     * output otherwise.
     */
    private static String check(Path artifact, String handler, Map<String, String> env, List<String> flags, Path work)
            throws IOException, InterruptedException {
        String run = "check-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Path earn = fixture("events/earn.json", run, work, Map.of());
        Path get = fixture("events/get-deal.json", run, work, Map.of());
        Path use = fixture("events/use.json", run, work, Map.of());
        Path cancel = fixture("events/cancel-deal.json", run, work, Map.of());
        Path unknown = fixture("events/get-deal.json", run + "unknown-", work, Map.of("${dealId}", UUID.randomUUID().toString()));
        // the bodies are JSON text inside the event's JSON: their quotes are escaped
        Path negative = fixture("events/earn.json", run + "negative-", work,
                Map.of("\\\"amount\\\": 100000", "\\\"amount\\\": -1"));
        Path overdraft = fixture("events/use.json", run + "overdraft-", work,
                Map.of("\\\"points\\\": 100}", "\\\"points\\\": 1000000000}"));
        List<String> output = new ArrayList<>();
        int exit = run(artifact, List.of(handler), env, flags, List.of(earn, earn, get, use, cancel, unknown, negative, overdraft),
                output, new long[1]);
        List<String> answers = output.stream().filter(l -> l.startsWith(ColdStartRuntime.ANSWERED)).toList();
        List<String> statuses = answers.stream().map(l -> l.split(" ")[1]).toList();
        boolean replayed = answers.size() > 1 && body(answers.get(0)).equals(body(answers.get(1)));
        List<String> expected = List.of("201", "201", "200", "201", "202", "404", "400", "409");
        if (exit != 0 || !statuses.equals(expected) || !replayed) {
            throw new IllegalStateException("artifact check of " + artifact + " failed (exit " + exit + ", statuses " + statuses
                    + ", expected " + expected + ", replay identical " + replayed + "):\n" + String.join("\n", output));
        }
        return "artifact check: " + artifact + " answered earn 201, its replay 201 (identical), get 200, use 201, cancel 202,"
                + " unknown deal 404, negative amount 400, overdraft 409";
    }

    private static String body(String answerLine) {
        return answerLine.substring(answerLine.indexOf(" body=") + 6);
    }

    /**
     * A fixture with its idempotency keys unique to this launch, its deal id the one the last answer carried, and
     * {@code replacements} made after that.
     */
    private static Path fixture(String fixture, String run, Path work, Map<String, String> replacements) throws IOException {
        String json = Files.readString(Path.of(fixture)).replace(FIXTURE_KEY_PREFIX, run).replace(FIXTURE_DEAL_ID, "${dealId}");
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            if (!json.contains(r.getKey())) {
                throw new IllegalStateException(fixture + " no longer holds " + r.getKey());
            }
            json = json.replace(r.getKey(), r.getValue());
        }
        Path file = work.resolve(run + Path.of(fixture).getFileName());
        Files.writeString(file, json);
        return file;
    }

    /** One fresh JVM answering a fresh earn; its figures. */
    private static Sample launch(Path jar, String handler, Map<String, String> env, List<String> flags, Path work)
            throws IOException, InterruptedException {
        Path earn = fixture("events/earn.json", "cold-" + UUID.randomUUID().toString().substring(0, 8) + "-", work, Map.of());
        List<String> output = new ArrayList<>();
        long[] launchNanos = new long[1];
        List<String> runtimeArgs = List.of(handler);
        int exit = run(jar, runtimeArgs, env, flags, List.of(earn), output, launchNanos);
        Files.deleteIfExists(earn);
        for (String line : output) {
            Matcher m = ANSWER.matcher(line);
            if (m.find() && exit == 0 && m.group(1).equals("201")) {
                return new Sample(Long.parseLong(m.group(2)), launchNanos[0] / 1_000_000, Long.parseLong(m.group(3)),
                        Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)));
            }
        }
        throw new IllegalStateException(jar + " did not answer 201 (exit " + exit + "):\n" + String.join("\n", output));
    }

    /** Runs ColdStartRuntime; {@code launchNanos[0]} is from just before the launch until its first answer line. */
    private static int run(Path jar, List<String> runtimeArgs, Map<String, String> env, List<String> flags, List<Path> events,
                           List<String> output, long[] launchNanos) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(flags);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, jar.toString(), SERIALIZATION_JAR, RUNTIME_CLASSES),
                ColdStartRuntime.class.getName()));
        command.addAll(runtimeArgs);
        events.forEach(e -> command.add(e.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        long launched = System.nanoTime();
        Process process = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (launchNanos[0] == 0 && line.startsWith(ColdStartRuntime.ANSWERED)) {
                    launchNanos[0] = System.nanoTime() - launched;
                }
                output.add(line);
            }
        }
        return process.waitFor();
    }

    /** Every function's artifact (the template's CodeUri), the measured one and the tutorial's. */
    private static void printArtifactSizes(PrintStream out, SamTemplate sam, Path artifact, Path tutorial) throws IOException {
        Map<String, List<String>> byArtifact = new TreeMap<>();
        for (SamTemplate.Resource f : sam.resourcesOfType("AWS::Serverless::Function")) {
            byArtifact.computeIfAbsent(String.valueOf(f.properties().get("CodeUri")), k -> new ArrayList<>()).add(f.logicalId());
        }
        out.println("artifact sizes (MB = 1,000,000 bytes):");
        for (Map.Entry<String, List<String>> e : byArtifact.entrySet()) {
            Path p = Path.of(e.getKey());
            out.printf("  %-42s %s  %s%n", e.getKey(), size(p), String.join(", ", e.getValue()));
        }
        if (!byArtifact.containsKey(artifact.toString())) {
            out.printf("  %-42s %s  (measured as deal)%n", artifact, size(artifact));
        }
        out.printf("  %-42s %s  (tutorial)%n", tutorial, size(tutorial));
        out.printf("  deal artifact %.2f MB: target <= 8 MB %s%n", Files.size(artifact) / 1e6,
                Files.size(artifact) <= TARGET_ARTIFACT_BYTES ? "met" : "MISSED");
    }

    private static String size(Path p) throws IOException {
        if (!Files.exists(p)) {
            return "(not built)";
        }
        long bytes = Files.size(p);
        return String.format("%5.2f MB (%,6d entries)", bytes / 1e6, entries(p));
    }

    private static int entries(Path jar) throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            return zip.size();
        }
    }

    private static long median(List<Sample> samples, java.util.function.ToLongFunction<Sample> figure) {
        long[] values = samples.stream().mapToLong(figure).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }
}
