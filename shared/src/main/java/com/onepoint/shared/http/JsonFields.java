package com.onepoint.shared.http;

import com.onepoint.shared.domain.Ids;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed, validating reads of a JSON request object. Every refusal is a 400 VALIDATION_FAILED naming the field.
 * Unknown fields are ignored, so integrators can send fields a later version understands.
 */
public final class JsonFields {
    /** Largest amount or point figure accepted anywhere: 10^12. */
    public static final long MAX_NUMBER = 1_000_000_000_000L;

    private final Map<String, Object> object;

    JsonFields(Map<String, Object> object) {
        this.object = object;
    }

    private Object present(String field) {
        return object.get(field);
    }

    public String requiredId(String field) {
        return Ids.require(field, requiredText(field, Ids.MAX_LENGTH));
    }

    public String requiredText(String field, int maxLength) {
        return optionalText(field, maxLength).orElseThrow(() -> ApiException.validation(field, "is required"));
    }

    public Optional<String> optionalText(String field, int maxLength) {
        Object node = present(field);
        if (node == null) {
            return Optional.empty();
        }
        if (!(node instanceof String text)) {
            throw ApiException.validation(field, "must be a string");
        }
        String value = text.strip();
        if (value.isEmpty()) {
            throw ApiException.validation(field, "must not be blank");
        }
        if (value.length() > maxLength) {
            throw ApiException.validation(field, "must be at most " + maxLength + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw ApiException.validation(field, "must not contain control characters");
            }
        }
        return Optional.of(value);
    }

    public Optional<String> optionalMatching(String field, int maxLength, Pattern pattern, String rule) {
        Optional<String> value = optionalText(field, maxLength);
        if (value.isPresent() && !pattern.matcher(value.get()).matches()) {
            throw ApiException.validation(field, rule);
        }
        return value;
    }

    /** A whole number in [min, 10^12]; floats such as 1.5 or 1.0 and strings are refused. */
    public long requiredLong(String field, long min) {
        return optionalLong(field, min).orElseThrow(() -> ApiException.validation(field, "is required"));
    }

    public Optional<Long> optionalLong(String field, long min) {
        Object node = present(field);
        if (node == null) {
            return Optional.empty();
        }
        if (!(node instanceof Long || node instanceof BigInteger)) {
            throw ApiException.validation(field, "must be a whole number");
        }
        if (!(node instanceof Long whole) || whole > MAX_NUMBER) {
            throw ApiException.validation(field, "must be at most " + MAX_NUMBER);
        }
        long value = whole;
        if (value < min) {
            throw ApiException.validation(field, "must be at least " + min);
        }
        return Optional.of(value);
    }

    /** A signed whole number, not 0, with |value| ≤ 10^12 (an adjustment's points: the sign is the direction). */
    public long requiredNonZeroLong(String field) {
        Object node = present(field);
        if (node == null) {
            throw ApiException.validation(field, "is required");
        }
        if (!(node instanceof Long || node instanceof BigInteger)) {
            throw ApiException.validation(field, "must be a whole number");
        }
        if (!(node instanceof Long whole) || Math.abs(whole) > MAX_NUMBER) {
            throw ApiException.validation(field, "must be at most " + MAX_NUMBER + " either way");
        }
        if (whole == 0) {
            throw ApiException.validation(field, "must not be 0");
        }
        return whole;
    }

    /** A JSON number (not a string) kept exact as BigDecimal. */
    public Optional<BigDecimal> optionalDecimal(String field) {
        Object node = present(field);
        if (node == null) {
            return Optional.empty();
        }
        if (node instanceof BigDecimal decimal) {
            return Optional.of(decimal);
        }
        if (node instanceof Long || node instanceof BigInteger) {
            return Optional.of(new BigDecimal(node.toString()));
        }
        throw ApiException.validation(field, "must be a number");
    }

    /** An ISO-8601 instant such as 2026-07-31T23:59:00+09:00 or 2026-07-31T14:59:00Z. */
    public Optional<Instant> optionalInstant(String field) {
        Optional<String> text = optionalText(field, 64);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.OffsetDateTime.parse(text.get()).toInstant());
        } catch (DateTimeParseException e) {
            throw ApiException.validation(field, "must be an ISO-8601 instant with offset, e.g. 2026-07-31T23:59:00+09:00");
        }
    }

    /**
     * For a body that must not carry what the route does not understand (PATCH: a misspelt field would silently
     * change nothing): 400 naming the first field outside {@code allowed}, and 400 on "body" when none is present.
     */
    public void requireOnlyAndSome(Set<String> allowed) {
        if (object.isEmpty()) {
            throw ApiException.validation("body", "must name at least one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
        }
        for (String name : object.keySet()) {
            if (!allowed.contains(name)) {
                throw ApiException.validation(name, "is not a field of this request");
            }
        }
    }

    /** True when the body has {@code field}, null included: for a PATCH, null removes and absent keeps. */
    public boolean has(String field) {
        return object.containsKey(field);
    }

    /** True when the body sets {@code field} to JSON null. */
    public boolean isNull(String field) {
        return object.containsKey(field) && object.get(field) == null;
    }
}
