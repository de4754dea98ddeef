package com.onepoint.shared.json;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plain Java values to JSON text: null, strings, booleans, whole numbers, BigDecimal (plain, never 1E+3), Instant
 * (ISO-8601, as the tables store it), enums, maps, collections and records. A null map value or record component is
 * left out. Records and enums follow the Jackson annotations the domain types carry, and only these:
 * {@code @JsonIgnore} on a component or method, {@code @JsonProperty("name")} on a no-argument method (an extra
 * property, or the one shown in place of an ignored component of that name), {@code @JsonValue} on a method.
 * Anything else is refused, so a new type cannot be half-written silently.
 */
final class JsonWriter {
    private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();

    private JsonWriter() {
    }

    static void write(Object value, StringBuilder out, boolean sortedWithNulls) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof Byte || value instanceof java.math.BigInteger) {
            out.append(value);
        } else if (value instanceof BigDecimal d) {
            out.append(d.toPlainString());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            out.append(value);
        } else if (value instanceof Instant || value instanceof java.util.UUID) {
            string(value.toString(), out);
        } else if (value instanceof Map<?, ?> map) {
            map(map, out, sortedWithNulls);
        } else if (value instanceof Collection<?> items) {
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(item, out, sortedWithNulls);
            }
            out.append(']');
        } else {
            Shape shape = shapeOf(value.getClass());
            if (shape.value != null) {
                write(invoke(shape.value, value), out, sortedWithNulls);
            } else if (value instanceof Enum<?> e) {
                string(e.name(), out);
            } else {
                out.append('{');
                boolean first = true;
                for (Property p : shape.properties) {
                    Object v = invoke(p.accessor, value);
                    if (v == null) {
                        continue;
                    }
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(p.name, out);
                    out.append(':');
                    write(v, out, sortedWithNulls);
                }
                out.append('}');
            }
        }
    }

    private static void map(Map<?, ?> map, StringBuilder out, boolean sortedWithNulls) {
        Map<?, ?> entries = sortedWithNulls ? new java.util.TreeMap<>(stringKeys(map)) : map;
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            if (e.getValue() == null && !sortedWithNulls) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            string(String.valueOf(e.getKey()), out);
            out.append(':');
            write(e.getValue(), out, sortedWithNulls);
        }
        out.append('}');
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    static void string(String s, StringBuilder out) {
        out.append('"');
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, start, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(String.format("\\u%04X", (int) c));
            }
            start = i + 1;
        }
        out.append(s, start, s.length()).append('"');
    }

    /** How a record or enum is written: its {@code @JsonValue}, or its properties in declaration order. */
    private record Shape(Method value, List<Property> properties) {
    }

    private record Property(String name, Method accessor) {
    }

    static void prepare(Class<?> type) {
        shapeOf(type);
    }

    private static Shape shapeOf(Class<?> type) {
        return SHAPES.computeIfAbsent(type, JsonWriter::shape);
    }

    private static Shape shape(Class<?> type) {
        Class<?> declaring = type.isEnum() || type.isAnonymousClass() ? enumType(type) : type;
        for (Method m : declaring.getDeclaredMethods()) {
            if (m.isAnnotationPresent(JsonValue.class) && m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())) {
                return new Shape(accessible(m), List.of());
            }
        }
        if (declaring.isEnum()) {
            return new Shape(null, List.of());
        }
        if (!type.isRecord()) {
            throw new IllegalArgumentException("cannot write a " + type.getName() + " as JSON: not a record, map,"
                    + " collection or simple value");
        }
        Map<String, Method> shownInstead = new java.util.LinkedHashMap<>();
        for (Method m : type.getDeclaredMethods()) {
            JsonProperty named = m.getAnnotation(JsonProperty.class);
            if (named != null && m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())) {
                shownInstead.put(named.value(), accessible(m));
            }
        }
        List<Property> properties = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Method extra = shownInstead.remove(c.getName());
            if (extra != null) {
                properties.add(new Property(c.getName(), extra));
            } else if (!c.isAnnotationPresent(JsonIgnore.class) && !c.getAccessor().isAnnotationPresent(JsonIgnore.class)) {
                properties.add(new Property(c.getName(), accessible(c.getAccessor())));
            }
        }
        shownInstead.forEach((name, m) -> properties.add(new Property(name, m)));
        return new Shape(null, List.copyOf(properties));
    }

    private static Class<?> enumType(Class<?> type) {
        Class<?> t = type;
        while (t != null && !t.isEnum()) {
            t = t.getSuperclass();
        }
        return t == null ? type : t;
    }

    private static Method accessible(Method m) {
        if (!Modifier.isPublic(m.getModifiers()) || !Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
            ((AccessibleObject) m).setAccessible(true);
        }
        return m;
    }

    private static Object invoke(Method m, Object target) {
        try {
            return m.invoke(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(m + " is not accessible", e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(m + " failed", cause);
        }
    }
}
