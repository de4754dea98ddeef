package com.onepoint.devkit;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, strict reading of one resolved property map (a resource's Properties, or an event's). Every property must
 * be either honoured or declared an AWS-only no-op: anything else fails with {@link UnsupportedTemplateException}
 * naming where it is, so a template never silently means something else locally.
 */
public final class Props {
    private final Map<String, Object> values;
    private final String where;

    public Props(Map<String, Object> values, String where) {
        this.values = values == null ? Map.of() : values;
        this.where = where;
    }

    @SuppressWarnings("unchecked")
    public static Props of(Object resolved, String where) {
        if (resolved != null && !(resolved instanceof Map)) {
            throw new UnsupportedTemplateException(where, "expected a mapping");
        }
        return new Props((Map<String, Object>) resolved, where);
    }

    /** Fails on the first property that is neither supported nor an accepted no-op. */
    public Props only(Set<String> supported, Set<String> awsOnly) {
        for (String name : values.keySet()) {
            if (!supported.contains(name) && !awsOnly.contains(name)) {
                throw new UnsupportedTemplateException(where(name), "not supported by the local runtime");
            }
        }
        return this;
    }

    public String where(String property) {
        return where + "." + property;
    }

    public String where() {
        return where;
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    public Object raw(String name) {
        return values.get(name);
    }

    public String string(String name) {
        Object v = values.get(name);
        return v == null ? null : String.valueOf(v);
    }

    public String required(String name) {
        String v = string(name);
        if (v == null || v.isBlank()) {
            throw new UnsupportedTemplateException(where(name), "is required");
        }
        return v;
    }

    public int integer(String name, int fallback) {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new UnsupportedTemplateException(where(name), "expected an integer, got " + v);
        }
    }

    public boolean bool(String name, boolean fallback) {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        String text = String.valueOf(v).trim().toLowerCase();
        if (!text.equals("true") && !text.equals("false")) {
            throw new UnsupportedTemplateException(where(name), "expected true or false, got " + v);
        }
        return Boolean.parseBoolean(text);
    }

    public Props props(String name) {
        return of(values.get(name), where(name));
    }

    public List<?> list(String name) {
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new UnsupportedTemplateException(where(name), "expected a list");
        }
        return l;
    }

    /** A list of strings; a single string is taken as a list of one, as CloudFormation does for many such fields. */
    public List<String> strings(String name) {
        Object v = values.get(name);
        if (v instanceof String s) {
            return List.of(s);
        }
        return list(name).stream().map(String::valueOf).toList();
    }

    public Map<String, Object> asMap() {
        return values;
    }
}
