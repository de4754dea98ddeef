package com.onepoint.local.bench;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What every benchmark's main does first: read {@code --name value} options, and move the request logs to a file. */
final class BenchMain {
    private BenchMain() {
    }

    /** The options, or exit 2 with {@code usage} for one outside {@code known} or without a value. */
    static Map<String, String> options(String[] args, List<String> known, String usage) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!known.contains(args[i]) || i + 1 >= args.length) {
                System.err.println("usage: " + usage);
                System.exit(2);
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    /** Sends System.out (the functions' JSON logs) to a new temp file, so the console holds only the figures. */
    static Path logsToFile(String prefix) throws IOException {
        Path logFile = Files.createTempFile(prefix, ".log");
        // JsonLog writes to whatever System.out is when it writes
        System.setOut(new PrintStream(new BufferedOutputStream(new FileOutputStream(logFile.toFile()), 1 << 16), false,
                StandardCharsets.UTF_8));
        return logFile;
    }
}
