package com.onepoint.devkit;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Test templates from src/test/resources, and bounded waiting for asynchronous effects. */
public final class TestTemplates {
    private TestTemplates() {
    }

    public static SamTemplate load(String resource) {
        try {
            return SamTemplate.load(Path.of(TestTemplates.class.getResource("/" + resource).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} every 50 ms until it holds; fails the test after {@code timeout}. */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** The resolved Properties of one event of a function, as an event source reads them. */
    public static Props eventProps(SamTemplate template, String functionId, String eventName, ResourceRefs refs) {
        SamTemplate.Resource fn = template.resource(functionId);
        Props events = Props.of(fn.properties().get("Events"), fn.where("Events"));
        Props event = events.props(eventName);
        String where = fn.where("Events." + eventName + ".Properties");
        return Props.of(template.resolve(event.raw("Properties"), refs, where), where);
    }
}
