package com.onepoint.local;

import com.onepoint.devkit.SamTemplate;

import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code serve}: the template's REST API on 127.0.0.1 (the {@code sam local start-api} port), until Ctrl-C. */
final class ServeCommand {
    static final Set<String> OPTIONS = Set.of("--port", "--template", "--stage", "--data-dir", "--dynamodb-port");
    static final Set<String> FLAGS = Set.of("--in-memory");
    static final int DEFAULT_PORT = 3000;
    /** DynamoDB Local's port, so tools configured for it work unchanged; 0 turns the port off. */
    static final int DEFAULT_DYNAMODB_PORT = 8000;
    static final String DEFAULT_DATA_DIR = ".onepoint";

    private ServeCommand() {
    }

    static void run(List<String> args, PrintStream out) throws Exception {
        Options options = Options.parse(args, OPTIONS, FLAGS);
        if (!options.positional().isEmpty()) {
            throw new Options.UsageException("serve takes no argument " + options.positional());
        }
        int port = options.integer("--port", DEFAULT_PORT);
        if (port < 0 || port > 65535) {
            throw new Options.UsageException("--port must be 0 (any free port) to 65535");
        }
        int dynamoDbPort = options.integer("--dynamodb-port", DEFAULT_DYNAMODB_PORT);
        if (dynamoDbPort < 0 || dynamoDbPort > 65535) {
            throw new Options.UsageException("--dynamodb-port must be 0 (no port) to 65535");
        }
        if (options.flag("--in-memory") && options.get("--data-dir", null) != null) {
            throw new Options.UsageException("--in-memory and --data-dir exclude each other");
        }
        Path dataDir = options.flag("--in-memory") ? null : Path.of(options.get("--data-dir", DEFAULT_DATA_DIR));
        Templates.check(options);
        long started = System.nanoTime();
        LocalRuntime runtime;
        RuntimeOverrides overrides = RuntimeOverrides.standard(dataDir)
                .withDynamoDbPort(dynamoDbPort == 0 ? RuntimeOverrides.NO_DYNAMODB_PORT : dynamoDbPort);
        try {
            runtime = LocalRuntime.start(() -> Templates.load(options), port, overrides);
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
        printBanner(out, runtime.template(), runtime, startupMs);
        stopped.await();
    }

    static void printBanner(PrintStream out, SamTemplate template, LocalRuntime runtime, long startupMs) {
        out.println("OnePoint local runtime: " + runtime.baseUrl() + "  (stage " + runtime.stage() + ", template "
                + template.file() + ", started in " + startupMs + " ms)");
        out.println("  startup: " + runtime.startupTimes());
        out.println("  SnapStart: " + runtime.snapStart().describe());
        out.println("  data: " + (runtime.dataDir() == null ? "in memory (--in-memory): gone when this stops"
                : runtime.dataDir().toAbsolutePath().normalize() + " (durable: a write is answered once fsynced)"));
        if (runtime.dynamoDbPort() != RuntimeOverrides.NO_DYNAMODB_PORT) {
            out.println("  DynamoDB: http://127.0.0.1:" + runtime.dynamoDbPort()
                    + "  (aws dynamodb --endpoint-url http://127.0.0.1:" + runtime.dynamoDbPort() + " list-tables)");
        }
        for (LocalFunction fn : runtime.functions().all()) {
            out.printf("  %-20s %-45s %s%n", fn.logicalId(), fn.handlerClass().getName(),
                    String.join(", ", runtime.wiring().triggers(fn.logicalId())));
        }
        runtime.wiring().resources().forEach((id, how) -> {
            if (!how.startsWith("function ") && !how.startsWith(LocalRuntime.NO_LOCAL_BEHAVIOUR)) {
                out.printf("  %-20s %s%n", id, how);
            }
        });
        List<String> accepted = TemplateCheck.acceptedNotEmulated(template);
        if (!accepted.isEmpty()) {
            out.println("  accepted, not emulated: " + String.join(", ", accepted));
        }
        out.println("Ctrl-C stops it.");
        out.flush();
    }
}
