package com.onepoint.local;

import com.onepoint.devkit.SamTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Loads the template a command names, with the stage override it was given. */
final class Templates {
    static final String DEFAULT_TEMPLATE = "template.yaml";

    private Templates() {
    }

    /** Refuses a missing template file before anything starts. */
    static void check(Options options) {
        Path file = Path.of(options.get("--template", DEFAULT_TEMPLATE));
        if (!Files.isRegularFile(file)) {
            throw new Options.UsageException("no template at " + file.toAbsolutePath()
                    + " (run from the repository root or pass --template)");
        }
    }

    static SamTemplate load(Options options) {
        check(options);
        Path file = Path.of(options.get("--template", DEFAULT_TEMPLATE));
        String stage = options.get("--stage", null);
        return SamTemplate.load(file, stage == null ? Map.of() : Map.of("Stage", stage));
    }
}
