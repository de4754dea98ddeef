package com.onepoint.shared.log;

import com.onepoint.shared.ThreadLocals;
import com.onepoint.shared.json.Json;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One JSON object per line on stdout, which Lambda ships to CloudWatch. Every line names the request id, and carries
 * what an operator filters on: {@code function} and {@code functionVersion} (the published version SnapStart
 * restored, or $LATEST), {@code coldStart} (the first request of an execution environment, or of one restored from
 * a snapshot) and {@code xrayTraceId} (the trace's Root id). Lines below the level of {@code POWERTOOLS_LOG_LEVEL},
 * else of Lambda's {@code AWS_LAMBDA_LOG_LEVEL} (the function's LoggingConfig), else INFO, are not written.
 * Callers log ids, codes and figures only: never request bodies, API keys or personal data.
 *
 * <p>The function's name, version and cold start come from the {@link Invocation} the handler shell runs the request
 * in ({@link #during}); outside one, name and version come from Lambda's environment variables.
 */
public final class JsonLog {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    /** The Lambda Java runtime sets this system property to each invocation's X-Ray trace header. */
    static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";
    static final String TRACE_ENV = "_X_AMZN_TRACE_ID";

    /** What the handler knows of the invocation it is answering; a null name or version is the environment's. */
    public record Invocation(String functionName, String functionVersion, boolean coldStart) {
    }

    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();
    private static final JsonLogSettings SYSTEM = new JsonLogSettings(System.getenv());

    private final String logger;
    private final JsonLogSettings settings;
    private final Supplier<PrintStream> out;

    private JsonLog(String logger, JsonLogSettings settings, Supplier<PrintStream> out) {
        this.logger = logger;
        this.settings = settings;
        this.out = out;
    }

    public static JsonLog of(Class<?> type) {
        return new JsonLog(type.getSimpleName(), SYSTEM, () -> System.out);
    }

    /** A log configured from {@code environment} instead of the process's, writing to {@code out} (tests). */
    public static JsonLog of(Class<?> type, Map<String, String> environment, PrintStream out) {
        return new JsonLog(type.getSimpleName(), new JsonLogSettings(environment), () -> out);
    }

    /** Runs {@code call} with {@code invocation} as this thread's: every line it logs carries it. */
    public static <T> T during(Invocation invocation, Supplier<T> call) {
        return ThreadLocals.with(CURRENT, invocation, call);
    }

    public void info(String requestId, String message, Map<String, ?> fields) {
        write(Level.INFO, requestId, message, fields);
    }

    public void warn(String requestId, String message, Map<String, ?> fields) {
        write(Level.WARN, requestId, message, fields);
    }

    public void error(String requestId, String message, Map<String, ?> fields) {
        write(Level.ERROR, requestId, message, fields);
    }

    private void write(Level level, String requestId, String message, Map<String, ?> fields) {
        if (level.compareTo(settings.threshold()) < 0) {
            return;
        }
        Invocation invocation = CURRENT.get();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level.name());
        line.put("logger", logger);
        line.put("requestId", requestId);
        line.put("message", message);
        line.put("function", invocation != null && invocation.functionName() != null ? invocation.functionName()
                : settings.functionName());
        line.put("functionVersion", invocation != null && invocation.functionVersion() != null
                ? invocation.functionVersion() : settings.functionVersion());
        if (invocation != null) {
            line.put("coldStart", invocation.coldStart());
        }
        line.put("xrayTraceId", settings.traceRoot());
        line.putAll(fields);
        out.get().println(Json.write(line)); // println of one String is atomic on a PrintStream
    }

    /** The level names Powertools and Lambda accept, in either variable; unknown or absent is INFO. */
    static Level parseLevel(String text) {
        if (text == null || text.isBlank()) {
            return Level.INFO;
        }
        return switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE", "DEBUG" -> Level.DEBUG;
            case "WARN", "WARNING" -> Level.WARN;
            case "ERROR", "FATAL", "CRITICAL" -> Level.ERROR;
            default -> Level.INFO;
        };
    }

    /** The Root id of an X-Ray trace header ("Root=1-...;Parent=...;Sampled=1"), or null. */
    static String traceRoot(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            if (part.startsWith("Root=")) {
                return part.substring("Root=".length());
            }
        }
        return null;
    }

    /** What the environment says once; the trace id, which changes per invocation, is read per line. */
    private record JsonLogSettings(Level threshold, String functionName, String functionVersion, String traceEnv) {
        JsonLogSettings(Map<String, String> env) {
            this(parseLevel(blank(env.get("POWERTOOLS_LOG_LEVEL")) ? env.get("AWS_LAMBDA_LOG_LEVEL") : env.get("POWERTOOLS_LOG_LEVEL")),
                    env.get("AWS_LAMBDA_FUNCTION_NAME"), env.get("AWS_LAMBDA_FUNCTION_VERSION"), env.get(TRACE_ENV));
        }

        private static boolean blank(String value) {
            return value == null || value.isBlank();
        }

        String traceRoot() {
            String header = System.getProperty(TRACE_PROPERTY);
            return JsonLog.traceRoot(header != null ? header : traceEnv);
        }
    }
}
