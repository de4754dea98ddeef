package com.onepoint.local.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code serve} launched as a new JVM, the way a user runs it ({@code java @local/jvm.options -jar
 * local/target/onepoint-local.jar serve ...} from the repository root), timed from just before the launch until
 * its HTTP port answers. Its output is read all along on a thread of its own (a full pipe would stall the child);
 * the banner's lines and the lines before it (JVM warnings, such as an unusable class-data-sharing archive) are
 * kept, the request log only counted.
 */
final class ServeProcess implements AutoCloseable {
    static final String JAR = "local/target/onepoint-local.jar";
    static final String JVM_OPTIONS = "local/jvm.options";
    private static final Pattern URL_LINE = Pattern.compile("OnePoint local runtime: http://127\\.0\\.0\\.1:(\\d+).*started in (\\d+) ms");
    private static final Pattern RECORDS = Pattern.compile("\"records\":(\\d+)");

    private final Process process;
    private final long launchedNanos;
    private final List<String> beforeBanner = new ArrayList<>();
    private final Object lock = new Object();
    private int port = -1;
    private long startedInMillis = -1;
    private String startupLine;
    private boolean bannerDone;
    private boolean ended;
    private long streamRecordsLogged;
    private final long machineAtLaunch = CpuAccount.machineBusyNanos();
    private final long selfAtLaunch = selfCpuNanos();
    private double othersShare = Double.NaN;

    private ServeProcess(Process process, long launchedNanos) {
        this.process = process;
        this.launchedNanos = launchedNanos;
        Thread reader = new Thread(this::read, "serve-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Launches {@code serve} with these arguments (after {@code serve}); returns at once. */
    static ServeProcess launch(List<String> serveArgs) throws IOException {
        if (!Files.isRegularFile(Path.of(JAR)) || !Files.isRegularFile(Path.of(JVM_OPTIONS))) {
            throw new IllegalStateException("run from the repository root after `mvn install` (no " + JAR + " or "
                    + JVM_OPTIONS + " in " + Path.of("").toAbsolutePath() + ")");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + JVM_OPTIONS, "-jar", JAR, "serve"));
        command.addAll(serveArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        long launched = System.nanoTime();
        return new ServeProcess(builder.start(), launched);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lock) {
                    if (!bannerDone) {
                        Matcher m = URL_LINE.matcher(line);
                        if (port < 0 && m.find()) {
                            port = Integer.parseInt(m.group(1));
                            startedInMillis = Long.parseLong(m.group(2));
                        } else if (line.startsWith("  startup: ")) {
                            startupLine = line.substring("  startup: ".length());
                        } else if (line.startsWith("Ctrl-C stops it.")) {
                            bannerDone = true;
                        } else if (port < 0 && beforeBanner.size() < 50) {
                            beforeBanner.add(line);
                        }
                        lock.notifyAll();
                    } else if (line.contains("\"records\":")) {
                        Matcher m = RECORDS.matcher(line);
                        if (m.find()) {
                            streamRecordsLogged += Long.parseLong(m.group(1));
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // the child is gone
        } finally {
            synchronized (lock) {
                ended = true;
                lock.notifyAll();
            }
        }
    }

    /** Waits for the banner's URL line; the HTTP server is up once it is printed. */
    int awaitPort(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (port < 0) {
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new IllegalStateException("serve printed no URL within " + timeout.toSeconds() + " s (exited: "
                            + ended + "): " + String.join("\n", beforeBanner));
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return port;
        }
    }

    /**
     * Milliseconds from just before the launch until {@code method path} answers with a status and body that
     * {@code accept} takes (a connection refused or another answer is retried every 2 ms).
     */
    long millisUntilAnswered(String method, String path, Predicate<KeepAliveClient.Answer> accept, Duration timeout)
            throws InterruptedException {
        int p = awaitPort(timeout);
        long deadline = launchedNanos + timeout.toNanos();
        KeepAliveClient.Answer last = null;
        try (KeepAliveClient client = new KeepAliveClient(p)) {
            while (System.nanoTime() < deadline) {
                try {
                    last = client.send(method, path, null);
                    if (accept.test(last)) {
                        long wall = System.nanoTime() - launchedNanos;
                        long machine = CpuAccount.machineBusyNanos();
                        long child = process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
                        if (machine >= 0 && machineAtLaunch >= 0 && child >= 0) {
                            long others = machine - machineAtLaunch - child - (selfCpuNanos() - selfAtLaunch);
                            othersShare = Math.max(0, others) / (double) wall / Runtime.getRuntime().availableProcessors();
                        }
                        return wall / 1_000_000;
                    }
                } catch (IOException e) {
                    // not serving yet
                }
                Thread.sleep(2);
            }
        }
        throw new IllegalStateException(method + " " + path + " not answered as expected within " + timeout.toSeconds()
                + " s; last answer " + (last == null ? "none" : last.status() + " " + last.body()));
    }

    /** The banner's {@code startup:} line (each step of start()), once the banner is complete. */
    String startupLine(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!bannerDone && !ended && System.nanoTime() < deadline) {
                TimeUnit.NANOSECONDS.timedWait(lock, Math.max(1, deadline - System.nanoTime()));
            }
            return startupLine;
        }
    }

    /**
     * The CPU the machine's other processes (neither the child nor this JVM) used from the launch until it answered,
     * as a share of all the cores; NaN when unknown.
     */
    double othersShare() {
        return othersShare;
    }

    private static long selfCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** start() as the child measured it ({@code started in N ms}). */
    long startedInMillis() {
        synchronized (lock) {
            return startedInMillis;
        }
    }

    /** The child's lines before its banner: JVM warnings (an unusable class-data-sharing archive), or none. */
    List<String> warnings() {
        synchronized (lock) {
            return List.copyOf(beforeBanner);
        }
    }

    /** Stream records the child's consumers logged as processed since its banner ({@code "records":N} lines). */
    long streamRecordsLogged() {
        synchronized (lock) {
            return streamRecordsLogged;
        }
    }

    long pid() {
        return process.pid();
    }

    /** Stops the child as Ctrl-C does (SIGTERM: its shutdown hook closes the runtime) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
