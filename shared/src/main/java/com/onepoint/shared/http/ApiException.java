package com.onepoint.shared.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal the caller can act on: HTTP status, an UPPER_SNAKE code, a human message and details.
 * Thrown by validation and domain services; turned into the SPEC error body by {@link ApiResponses}.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> details;

    public ApiException(int status, String code, String message, Map<String, Object> details) {
        super(message, null, false, false); // no stack trace: this is an answer, not a bug
        this.status = status;
        this.code = code;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public static ApiException validation(String field, String message) {
        return new ApiException(400, "VALIDATION_FAILED", field + ": " + message, Map.of("field", field));
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** The SPEC body: {"error":{"code","message","details"}}. */
    public Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", getMessage());
        error.put("details", details);
        return Map.of("error", error);
    }
}
