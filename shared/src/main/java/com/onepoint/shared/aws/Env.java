package com.onepoint.shared.aws;

import java.util.Map;

/** Reads the environment variables template.yaml gives a function; a missing one fails the cold start loudly. */
public final class Env {
    private final Map<String, String> vars;

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public String require(String name) {
        String value = vars.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    public String get(String name, String fallback) {
        String value = vars.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
