package com.onepoint.local;

import com.onepoint.devkit.UnsupportedTemplateException;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** {@code java -jar onepoint-local.jar serve|invoke ...}: the local runtime's command line. */
public final class Main {
    static final String USAGE = """
            usage: java -jar local/target/onepoint-local.jar <command>
              serve  [--port 3000] [--template template.yaml] [--stage dev]
                     the REST API on http://127.0.0.1:PORT (--port 0: any free port) until Ctrl-C
              invoke <LogicalId> -e events/x.json [--template template.yaml] [--stage dev]
                     one invocation with a sample event; the response is the last line of stdout""";

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(Arrays.asList(args), System.out, System.err);
        // System.exit also ends the threads ElasticMQ leaves behind; serve returns only when stopped
        System.exit(code);
    }

    /** Runs one command; returns its exit code (2: usage, 1: failure). */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        try {
            switch (args.get(0)) {
                case "serve" -> {
                    ServeCommand.run(args.subList(1, args.size()), out);
                    return 0;
                }
                case "invoke" -> {
                    return InvokeCommand.run(args.subList(1, args.size()), out, err);
                }
                case "-h", "--help", "help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> throw new Options.UsageException("unknown command " + args.get(0));
            }
        } catch (Options.UsageException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (UnsupportedTemplateException e) {
            err.println("the local runtime cannot run this template: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            err.println("failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }
}
