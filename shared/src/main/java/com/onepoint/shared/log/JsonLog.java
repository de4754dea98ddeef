package com.onepoint.shared.log;

import com.onepoint.shared.json.Json;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line on stdout, which Lambda ships to CloudWatch. Every line names the request id.
 * Callers log ids, codes and figures only: never request bodies, API keys or personal data.
 */
public final class JsonLog {
    private static final PrintStream OUT = System.out;
    private final String logger;

    private JsonLog(String logger) {
        this.logger = logger;
    }

    public static JsonLog of(Class<?> type) {
        return new JsonLog(type.getSimpleName());
    }

    public void info(String requestId, String message, Map<String, ?> fields) {
        write("INFO", requestId, message, fields);
    }

    public void warn(String requestId, String message, Map<String, ?> fields) {
        write("WARN", requestId, message, fields);
    }

    public void error(String requestId, String message, Map<String, ?> fields) {
        write("ERROR", requestId, message, fields);
    }

    private void write(String level, String requestId, String message, Map<String, ?> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level);
        line.put("logger", logger);
        line.put("requestId", requestId);
        line.put("message", message);
        line.putAll(fields);
        OUT.println(Json.write(line)); // println of one String is atomic on a PrintStream
    }
}
