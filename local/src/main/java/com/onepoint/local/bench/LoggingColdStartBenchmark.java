package com.onepoint.local.bench;

import com.onepoint.shared.log.JsonLog;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a function's logging costs at cold start: fresh JVMs, each loading one logger and writing one request line
 * with the operator's fields (cold start, function name and version, request id, trace id), interleaved:
 * <ul>
 *   <li>{@code JsonLog} (shared/log) on Jackson, which every function already loads;</li>
 *   <li>Powertools logging 1.15.0: log4j2 with Powertools' LambdaJsonLayout template, the Lambda fields put in the
 *       ThreadContext as its {@code @Logging} aspect does (the aspect's own AspectJ weaving is not counted).</li>
 * </ul>
 * Prints per variant the median and spread of: in the JVM, from main() to the line written (class loading and the
 * logger's set-up), and the whole process, launch to exit. Run from the repository root after {@code mvn package}:
 * {@code java -cp local/target/onepoint-local.jar com.onepoint.local.bench.LoggingColdStartBenchmark --runs 10}.
 */
public final class LoggingColdStartBenchmark {
    private static final String MARK = "main-to-line-ns=";

    private LoggingColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchMain.options(args, List.of("--runs"), "LoggingColdStartBenchmark [--runs 10]");
        int runs = Integer.parseInt(options.getOrDefault("--runs", "10"));
        Path target = Path.of("local/target");
        String classes = target.resolve("classes").toString();
        String jsonLogPath = String.join(File.pathSeparator, classes, jars(target.resolve("lib"), "shared-", "jackson-"));
        // log4j and Powertools' layout (provided scope), plus what a function with it also carries (target/lib)
        String powertoolsPath = String.join(File.pathSeparator, classes,
                Files.readString(target.resolve("powertools-logging.classpath")).trim(),
                jars(target.resolve("lib"), "jackson-", "powertools-core-", "aspectjrt-", "aws-lambda-java-core-"));
        Path log4jConfig = Files.createTempFile("log4j2-powertools", ".xml");
        Files.writeString(log4jConfig, """
                <Configuration>
                  <Appenders>
                    <Console name="JsonAppender" target="SYSTEM_OUT">
                      <JsonTemplateLayout eventTemplateUri="classpath:LambdaJsonLayout.json"/>
                    </Console>
                  </Appenders>
                  <Loggers>
                    <Root level="info"><AppenderRef ref="JsonAppender"/></Root>
                  </Loggers>
                </Configuration>
                """);
        Map<String, List<long[]>> results = new java.util.LinkedHashMap<>();
        results.put("JsonLog", new ArrayList<>());
        results.put("Powertools logging", new ArrayList<>());
        for (int i = 0; i < runs; i++) {
            results.get("JsonLog").add(run(List.of("-cp", jsonLogPath, JsonLogChild.class.getName())));
            results.get("Powertools logging").add(run(List.of("-cp", powertoolsPath,
                    "-Dlog4j2.configurationFile=" + log4jConfig, PowertoolsChild.class.getName())));
        }
        Files.deleteIfExists(log4jConfig);
        System.out.printf("logging at cold start, %d fresh JVMs each, interleaved (JVM flags: %s)%n", runs, childFlags());
        results.forEach((name, samples) -> System.out.printf("  %-20s main() to first line: %s   launch to exit: %s%n",
                name, summary(samples, 0), summary(samples, 1)));
    }

    /** The template's JAVA_TOOL_OPTIONS, as the functions run. */
    private static List<String> childFlagList() {
        return List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    }

    private static String childFlags() {
        return String.join(" ", childFlagList());
    }

    private static long[] run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(childFlagList());
        command.addAll(args);
        long launched = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        long mainToLine = -1;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.startsWith(MARK)) {
                    mainToLine = Long.parseLong(line.substring(MARK.length()));
                }
            }
        }
        int exit = process.waitFor();
        long total = System.nanoTime() - launched;
        if (exit != 0 || mainToLine < 0) {
            throw new IllegalStateException("child " + args.get(args.size() - 1) + " failed (" + exit + "):\n" + output);
        }
        return new long[] {mainToLine, total};
    }

    private static String summary(List<long[]> samples, int index) {
        List<Long> ms = samples.stream().map(s -> s[index] / 1_000_000).sorted().collect(Collectors.toList());
        return String.format("median %4d ms (min %d, max %d)", ms.get(ms.size() / 2), Collections.min(ms), Collections.max(ms));
    }

    private static String jars(Path lib, String... prefixes) throws IOException {
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(f -> Stream.of(prefixes).anyMatch(p -> f.getFileName().toString().startsWith(p)))
                    .map(Path::toString).sorted().collect(Collectors.joining(File.pathSeparator));
        }
    }

    /** One cold start's first request line through JsonLog. */
    static final class JsonLogChild {
        public static void main(String[] args) {
            long started = System.nanoTime();
            JsonLog log = JsonLog.of(JsonLogChild.class);
            JsonLog.during(new JsonLog.Invocation("onepoint-dev-deal", "1", true), () -> {
                log.info("c0ffee00-0000-4000-8000-000000000000", "request",
                        Map.of("route", "POST /deals", "status", 201, "durationMs", 12));
                return null;
            });
            System.out.flush();
            System.out.println(MARK + (System.nanoTime() - started));
        }
    }

    /** The same line through Powertools logging: log4j2, its JSON template layout, the Lambda keys. */
    static final class PowertoolsChild {
        public static void main(String[] args) {
            long started = System.nanoTime();
            software.amazon.lambda.powertools.logging.LoggingUtils.appendKeys(Map.of(
                    "function_name", "onepoint-dev-deal", "function_version", "1", "cold_start", "true",
                    "function_request_id", "c0ffee00-0000-4000-8000-000000000000",
                    "xray_trace_id", "1-6745a1b2-0123456789abcdef01234567"));
            org.apache.logging.log4j.LogManager.getLogger(PowertoolsChild.class).info("request");
            System.out.flush();
            System.out.println(MARK + (System.nanoTime() - started));
        }
    }
}
