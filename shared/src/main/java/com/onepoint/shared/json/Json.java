package com.onepoint.shared.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * OnePoint's JSON, in the functions: {@link JsonReader} and {@link JsonWriter}, two small classes instead of a second
 * JSON library beside the one the AWS SDK carries shaded (Jackson databind was a sixth of the deal artifact and of its
 * cold start). Values are plain Java: Map, List, String, Boolean, Long or BigInteger, BigDecimal, null. Decimals stay
 * exact; instants are ISO-8601 UTC. Tools and tests use Jackson itself (devkit's {@code Json}).
 */
public final class Json {
    private Json() {
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        JsonWriter.write(value, out, false);
        return out.toString();
    }

    /**
     * The canonical text of a parsed value: object names sorted at every depth, nulls kept, no whitespace; two
     * documents that differ only in name order and spacing have the same canonical text.
     */
    public static String canonical(Object value) {
        StringBuilder out = new StringBuilder(256);
        JsonWriter.write(value, out, true);
        return out.toString();
    }

    public static void writeTo(OutputStream out, Object value) throws IOException {
        out.write(write(value).getBytes(StandardCharsets.UTF_8));
    }

    /** One JSON value as plain Java; {@link JsonSyntaxException} when the text is not exactly one. */
    public static Object parse(String text) {
        return JsonReader.read(text);
    }

    public static Object parse(InputStream json) throws IOException {
        return parse(new String(json.readAllBytes(), StandardCharsets.UTF_8));
    }

    /** The value at {@code path} of nested objects, or null where any step is missing or not an object. */
    public static Object at(Object value, String... path) {
        Object current = value;
        for (String name : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(name);
        }
        return current;
    }

    /** Builds {@code type}'s writing plan now (SnapStart priming), so the first answer does not. */
    public static void prepare(Class<?> type) {
        JsonWriter.prepare(type);
    }

    /**
     * A record from a parsed object, by component name: strings, whole numbers (int, long and their boxes), booleans,
     * BigDecimal and nested records. A missing primitive is 0 or false and a missing object null, as Jackson reads a
     * record; a value of the wrong JSON type is refused with the component's name.
     */
    public static <R extends Record> R toRecord(Object value, Class<R> type) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(type.getSimpleName() + " must be a JSON object");
        }
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = component(components[i].getName(), types[i], map.get(components[i].getName()));
        }
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(type.getSimpleName() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object component(String name, Class<?> type, Object value) {
        if (value == null) {
            if (type == long.class) {
                return 0L;
            }
            if (type == int.class) {
                return 0;
            }
            if (type == boolean.class) {
                return false;
            }
            return null;
        }
        if (type == String.class) {
            if (value instanceof String) {
                return value;
            }
        } else if (type == long.class || type == Long.class) {
            if (value instanceof Long l) {
                return l;
            }
        } else if (type == int.class || type == Integer.class) {
            if (value instanceof Long l && l == l.intValue()) {
                return l.intValue();
            }
        } else if (type == boolean.class || type == Boolean.class) {
            if (value instanceof Boolean) {
                return value;
            }
        } else if (type == BigDecimal.class) {
            if (value instanceof BigDecimal d) {
                return d;
            }
            if (value instanceof Long || value instanceof BigInteger) {
                return new BigDecimal(value.toString());
            }
        } else if (type.isRecord()) {
            return toRecord(value, (Class<? extends Record>) type);
        } else {
            throw new IllegalStateException(name + ": cannot read a " + type.getName());
        }
        throw new IllegalArgumentException(name + " has the wrong JSON type");
    }
}
