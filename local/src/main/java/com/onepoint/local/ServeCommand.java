package com.onepoint.local;

import com.onepoint.devkit.SamTemplate;

import java.io.PrintStream;
import java.net.BindException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code serve}: the template's REST API on 127.0.0.1 (the {@code sam local start-api} port), until Ctrl-C. */
final class ServeCommand {
    static final Set<String> OPTIONS = Set.of("--port", "--template", "--stage");
    static final int DEFAULT_PORT = 3000;

    private ServeCommand() {
    }

    static void run(List<String> args, PrintStream out) throws Exception {
        Options options = Options.parse(args, OPTIONS);
        if (!options.positional().isEmpty()) {
            throw new Options.UsageException("serve takes no argument " + options.positional());
        }
        int port = options.integer("--port", DEFAULT_PORT);
        if (port < 0 || port > 65535) {
            throw new Options.UsageException("--port must be 0 (any free port) to 65535");
        }
        SamTemplate template = Templates.load(options);
        long started = System.nanoTime();
        LocalRuntime runtime;
        try {
            runtime = LocalRuntime.start(template, port, RuntimeOverrides.standard());
        } catch (BindException e) {
            throw new Options.UsageException("port " + port + " is in use; pass --port 0 for any free port");
        }
        long startupMs = (System.nanoTime() - started) / 1_000_000;

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            out.println("OnePoint local runtime stopped.");
            stopped.countDown();
        }, "local-runtime-shutdown"));
        printBanner(out, template, runtime, startupMs);
        stopped.await();
    }

    static void printBanner(PrintStream out, SamTemplate template, LocalRuntime runtime, long startupMs) {
        out.println("OnePoint local runtime: " + runtime.baseUrl() + "  (stage " + runtime.stage() + ", template "
                + template.file() + ", started in " + startupMs + " ms)");
        out.println("  startup: " + runtime.startupTimes());
        for (LocalFunction fn : runtime.functions().all()) {
            out.printf("  %-20s %-45s %s%n", fn.logicalId(), fn.handlerClass().getName(),
                    String.join(", ", runtime.wiring().triggers(fn.logicalId())));
        }
        runtime.wiring().resources().forEach((id, how) -> {
            if (!how.startsWith("function ")) {
                out.printf("  %-20s %s%n", id, how);
            }
        });
        out.println("Ctrl-C stops it.");
        out.flush();
    }
}
