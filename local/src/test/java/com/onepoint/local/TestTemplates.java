package com.onepoint.local;

import com.onepoint.devkit.SamTemplate;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Templates of the tests: the repository's own, and small ones under src/test/resources/templates. */
final class TestTemplates {
    private TestTemplates() {
    }

    /**
     * template.yaml at the repository root (surefire runs there); {@code -Donepoint.template=<file>} points the tests
     * that run the project's template at another file.
     */
    static SamTemplate project() {
        return SamTemplate.load(projectPath());
    }

    static Path projectPath() {
        return Path.of(System.getProperty("onepoint.template", "template.yaml"));
    }

    static Path resource(String name) {
        URL url = TestTemplates.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static SamTemplate load(String name) {
        return SamTemplate.load(resource("templates/" + name));
    }
}
