package com.onepoint.engine.expr;

import com.onepoint.engine.DynamoException;
import com.onepoint.engine.value.Value;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Short builders for values, items and placeholders, and the one assertion every error test makes. */
final class Fx {
    private Fx() {
    }

    static Value.S s(String v) {
        return new Value.S(v);
    }

    static Value.N n(String v) {
        return Value.N.of(v);
    }

    static Value.B b(String utf8) {
        return new Value.B(utf8.getBytes(StandardCharsets.UTF_8));
    }

    static Value.L l(Value... values) {
        return new Value.L(Arrays.asList(values));
    }

    static Value.SS ss(String... values) {
        return new Value.SS(new LinkedHashSet<>(Arrays.asList(values)));
    }

    static Value.NS ns(String... values) {
        return new Value.NS(Arrays.stream(values).map(v -> Value.N.of(v).text()).collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    static Value.BS bs(String... utf8) {
        return new Value.BS(Arrays.stream(utf8).map(Fx::b).collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    static Value.M m(Object... keysAndValues) {
        return new Value.M(item(keysAndValues));
    }

    /** An item from alternating names and values. */
    static Map<String, Value> item(Object... keysAndValues) {
        Map<String, Value> item = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            item.put((String) keysAndValues[i], (Value) keysAndValues[i + 1]);
        }
        return item;
    }

    /** Names from alternating placeholders and attribute names. */
    static Map<String, String> names(String... placeholdersAndNames) {
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < placeholdersAndNames.length; i += 2) {
            names.put(placeholdersAndNames[i], placeholdersAndNames[i + 1]);
        }
        return names;
    }

    static Placeholders values(Object... placeholdersAndValues) {
        return new Placeholders(Map.of(), item(placeholdersAndValues));
    }

    static Placeholders placeholders(Map<String, String> names, Object... placeholdersAndValues) {
        return new Placeholders(names, item(placeholdersAndValues));
    }

    /** The call fails with a ValidationException whose message (what the client sees) is exactly {@code message}. */
    static void assertInvalid(String message, Executable call) {
        DynamoException e = assertThrows(DynamoException.class, call);
        assertEquals(DynamoException.VALIDATION, e.type());
        assertEquals(message, e.getMessage());
    }
}
