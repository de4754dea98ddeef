package com.onepoint.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line of one command: {@code --name value} / {@code -e value} options and positional arguments. */
final class Options {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final Set<String> flagsGiven = new java.util.HashSet<>();

    /** Parses {@code args}; an option outside {@code known} or without a value is a usage error. */
    static Options parse(List<String> args, Set<String> known) {
        return parse(args, known, Set.of());
    }

    /** As {@link #parse(List, Set)}, with {@code flags}: options that take no value ({@code --in-memory}). */
    static Options parse(List<String> args, Set<String> known, Set<String> flags) {
        Options options = new Options();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (flags.contains(arg)) {
                options.flagsGiven.add(arg);
            } else if (arg.startsWith("-")) {
                if (!known.contains(arg)) {
                    throw new UsageException("unknown option " + arg);
                }
                if (i + 1 >= args.size()) {
                    throw new UsageException(arg + " needs a value");
                }
                options.values.put(arg, args.get(++i));
            } else {
                options.positional.add(arg);
            }
        }
        return options;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, got " + value);
        }
    }

    boolean flag(String name) {
        return flagsGiven.contains(name);
    }

    List<String> positional() {
        return positional;
    }

    /** A wrong command line: the message and the usage are printed, the exit code is 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
