package com.onepoint.local;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.json.Json;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code invoke <LogicalId> -e event.json}: a Docker-free {@code sam local invoke}. Starts the runtime without HTTP,
 * reads the event into the handler's input type as the Lambda Java runtime would, invokes once, and prints the
 * response as the last line of stdout (so a script can {@code tail -1}). The embedded database starts empty.
 */
final class InvokeCommand {
    static final Set<String> OPTIONS = Set.of("-e", "--event", "--template", "--stage");

    private InvokeCommand() {
    }

    /** @return the exit code: 0 when the function answered, 1 when it threw */
    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options options = Options.parse(args, OPTIONS);
        if (options.positional().size() != 1) {
            throw new Options.UsageException("invoke takes one function logical id");
        }
        String logicalId = options.positional().get(0);
        String eventFile = options.get("-e", options.get("--event", null));
        if (eventFile == null) {
            throw new Options.UsageException("invoke needs -e <event.json>");
        }
        if (!Files.isRegularFile(Path.of(eventFile))) {
            throw new Options.UsageException("no event file at " + Path.of(eventFile).toAbsolutePath());
        }
        SamTemplate template = Templates.load(options);
        SamTemplate.Resource declared = template.resources().get(logicalId);
        if (declared == null || !declared.type().equals(TemplateCheck.FUNCTION)) {
            throw new Options.UsageException("no function " + logicalId + " in " + template.file() + "; functions: "
                    + template.resourcesOfType(TemplateCheck.FUNCTION).stream().map(SamTemplate.Resource::logicalId).toList());
        }
        String response;
        try (LocalRuntime runtime = LocalRuntime.start(template, LocalRuntime.NO_HTTP, RuntimeOverrides.standard())) {
            LocalFunction function = runtime.functions().get(logicalId);
            Object event = EventLoader.loadEvent(eventFile, function.inputType());
            try {
                response = Json.write(function.invoke(event, UUID.randomUUID().toString()));
            } catch (RuntimeException | Error e) {
                err.println(logicalId + " failed: " + e);
                e.printStackTrace(err);
                return 1;
            }
        }
        // printed after the runtime has stopped, so no shutdown log can follow it
        out.println(response);
        out.flush();
        return 0;
    }
}
