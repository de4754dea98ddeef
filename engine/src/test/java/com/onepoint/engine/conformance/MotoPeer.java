package com.onepoint.engine.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * moto's server, single-threaded ({@code src/test/python/moto_single_threaded.py}), as a child process on a free
 * port. State is dropped between scenarios with {@code POST /moto-api/reset}.
 */
final class MotoPeer extends Peer {
    static final String REQUIRED_VERSION = "5.2.1";
    static final String INSTALL_HINT = "moto " + REQUIRED_VERSION + " (with its server extras) is required by the "
            + "DynamoDB conformance test: install it with `python3 -m pip install 'moto[server]==" + REQUIRED_VERSION
            + "'` (python3 must be on PATH, or name the interpreter with -Dconformance.python=/path/to/python3)";

    private final Process process;
    private final int port;
    private final StringBuffer stderr = new StringBuffer();

    private MotoPeer(String name, Process process, int port) {
        super(name);
        this.process = process;
        this.port = port;
        drain(process.getErrorStream(), stderr);
    }

    static String python() {
        return System.getProperty("conformance.python", "python3");
    }

    /** Fails (never skips) with how to install moto when python3 or moto is missing or of another version. */
    static void checkInstalled() {
        List<String> cmd = List.of(python(), "-c", "import moto, werkzeug; print(moto.__version__)");
        String out;
        int rc;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("`" + String.join(" ", cmd) + "` did not finish in 60 s. " + INSTALL_HINT);
            }
            rc = p.exitValue();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + python() + " (" + e.getMessage() + "). " + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (rc != 0) {
            throw new AssertionError("`python3 -c 'import moto'` failed (exit " + rc + "): " + out + "\n" + INSTALL_HINT);
        }
        String version = out.lines().reduce((a, b) -> b).orElse("");
        if (!version.equals(REQUIRED_VERSION)) {
            throw new AssertionError("moto " + version + " is installed, but the corpus and known-differences.json "
                    + "are calibrated against moto " + REQUIRED_VERSION + ". " + INSTALL_HINT);
        }
    }

    static Path script() {
        String prop = System.getProperty("conformance.moto.script");
        if (prop != null) {
            return Path.of(prop);
        }
        // target/test-classes -> the module directory
        try {
            Path classes = Path.of(MotoPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path s = classes.getParent().getParent().resolve("src/test/python/moto_single_threaded.py");
            if (Files.isRegularFile(s)) {
                return s;
            }
        } catch (URISyntaxException | RuntimeException ignored) {
            // fall through
        }
        for (Path s : List.of(Path.of("src/test/python/moto_single_threaded.py"),
                Path.of("engine/src/test/python/moto_single_threaded.py"))) {
            if (Files.isRegularFile(s)) {
                return s.toAbsolutePath();
            }
        }
        throw new AssertionError("cannot find src/test/python/moto_single_threaded.py (set -Dconformance.moto.script)");
    }

    static MotoPeer start(String name) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(python(), script().toString(), "--host", "127.0.0.1", "--port", "0");
        // the engine's account: ARNs then compare as they are
        pb.environment().put("MOTO_ACCOUNT_ID", "000000000000");
        pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        pb.environment().put("PYTHONUNBUFFERED", "1");
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> portLine = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("MOTO_PORT=")) {
                        return Integer.parseInt(line.substring("MOTO_PORT=".length()).trim());
                    }
                }
                return -1;
            } catch (IOException e) {
                return -1;
            }
        });
        int port;
        try {
            port = portLine.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            port = -1;
        }
        if (port <= 0) {
            p.destroyForcibly();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("moto did not start (exit " + (p.isAlive() ? "?" : p.exitValue()) + "): " + err
                    + "\n" + INSTALL_HINT);
        }
        Thread discard = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // moto prints nothing else on stdout; keep the pipe from filling
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "moto-stdout");
        discard.setDaemon(true);
        discard.start();
        MotoPeer peer = new MotoPeer(name, p, port);
        peer.awaitReady();
        return peer;
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("moto exited with " + process.exitValue() + ": " + stderr);
            }
            try {
                Response r = call("DynamoDB_20120810.ListTables", "{}");
                if (r.status() == 200) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("moto on port " + port + " did not answer ListTables in 60 s: " + last + " " + stderr);
    }

    @Override
    int port() {
        return port;
    }

    @Override
    void reset() throws Exception {
        Response r = post(port, "/moto-api/reset");
        if (r.status() != 200) {
            throw new IllegalStateException("moto reset answered " + r.status() + ": " + r.body());
        }
    }

    /** What moto wrote on stderr (werkzeug's request log and any traceback), for failure reports. */
    String stderrTail(int chars) {
        String s = stderr.toString();
        return s.length() <= chars ? s : s.substring(s.length() - chars);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void drain(java.io.InputStream in, StringBuffer sink) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    sink.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    if (sink.length() > 200_000) {
                        sink.delete(0, sink.length() - 100_000);
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "moto-output");
        t.setDaemon(true);
        t.start();
    }

}
