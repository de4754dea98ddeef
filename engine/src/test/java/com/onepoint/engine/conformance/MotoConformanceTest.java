package com.onepoint.engine.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential conformance test: replays the corpus ({@code src/test/resources/conformance/scenarios}) against moto
 * 5.2.1's server and the engine's loopback server, normalises both answers ({@link Normaliser}) and fails on any
 * difference that {@code known-differences.json} does not list, and on any entry there that no longer matches.
 *
 * <p>{@code -Dconformance.peer=moto} compares moto with a second moto instead (a self-check of the harness: it must
 * show no difference). {@code -Dconformance.scenario=NAME} runs one scenario (stale entries are then not checked).
 * A report of every step goes to {@code target/conformance/report.txt} (with every request and answer when
 * {@code -Dconformance.verbose=true}). See CONFORMANCE.md.
 */
class MotoConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_PAGES = 200;
    /** -Dconformance.verbose=true: the report shows every step's request and both answers, not only differing ones. */
    private static final boolean VERBOSE = Boolean.getBoolean("conformance.verbose");

    private static MotoPeer moto;
    private static Peer other;
    private static boolean selfCheck;
    private static KnownDifferences known;
    private static final StringBuilder report = new StringBuilder();
    /** Every difference seen, explained or not, for target/conformance/differences.json. */
    private static final ArrayNode allDifferences = JsonNodeFactory.instance.arrayNode();
    private static int stepsRun;
    private static int requestsSent;
    private static int differencesExplained;
    private static long motoNanos;
    private static long otherNanos;
    private static boolean allScenariosRan = true;

    @BeforeAll
    static void start() throws Exception {
        MotoPeer.checkInstalled();
        selfCheck = "moto".equals(System.getProperty("conformance.peer", "engine"));
        known = selfCheck ? KnownDifferences.none() : KnownDifferences.load(JSON);
        moto = MotoPeer.start("moto");
        other = selfCheck ? MotoPeer.start("moto#2") : new EnginePeer();
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (other != null) {
                other.close();
            }
        } finally {
            if (moto != null) {
                moto.close();
            }
        }
        Path dir = Path.of(System.getProperty("conformance.report.dir", reportDir()));
        Files.createDirectories(dir);
        String summary = "steps " + stepsRun + ", requests sent to each side " + requestsSent
                + ", differences explained by known-differences.json " + differencesExplained
                + "; time answering: moto " + motoNanos / 1_000_000 + " ms, " + (other == null ? "-" : other.name) + " "
                + otherNanos / 1_000_000 + " ms\n";
        Files.writeString(dir.resolve("report.txt"), summary + report, StandardCharsets.UTF_8);
        PRETTY.writeValue(dir.resolve("differences.json").toFile(), allDifferences);
    }

    private static String reportDir() {
        try {
            Path classes = Path.of(MotoConformanceTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent().resolve("conformance").toString();
        } catch (Exception e) {
            return "target/conformance";
        }
    }

    @TestFactory
    Stream<DynamicTest> corpus() {
        List<Corpus.Scenario> scenarios = Corpus.load(JSON);
        String only = System.getProperty("conformance.scenario");
        if (only != null) {
            scenarios = scenarios.stream().filter(s -> s.name().equals(only)).toList();
            allScenariosRan = false;
            if (scenarios.isEmpty()) {
                throw new IllegalArgumentException("no scenario named " + only);
            }
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Corpus.Scenario s : scenarios) {
            tests.add(DynamicTest.dynamicTest(s.name() + " (" + s.steps().size() + " steps)", () -> run(s)));
        }
        tests.add(DynamicTest.dynamicTest("known-differences.json: every entry still matches a difference",
                MotoConformanceTest::noStaleEntries));
        return tests.stream();
    }

    private static void noStaleEntries() {
        if (selfCheck || !allScenariosRan) {
            return;
        }
        List<String> stale = new ArrayList<>();
        for (KnownDifferences.Entry e : known.entries) {
            if (e.matched == 0) {
                stale.add("  " + e + ": " + e.what);
            }
        }
        if (!stale.isEmpty()) {
            fail(stale.size() + " entries of known-differences.json match no difference any more; remove them "
                    + "(or fix their scenario/steps/path):\n" + String.join("\n", stale));
        }
    }

    /** What one side answered to one step (after paging/segment merging), and what it was sent. */
    record Outcome(int status, JsonNode body, JsonNode request, int requests) {
    }

    private static void run(Corpus.Scenario scenario) throws Exception {
        moto.reset();
        other.reset();
        Map<String, JsonNode> motoCaptures = new HashMap<>();
        Map<String, JsonNode> otherCaptures = new HashMap<>();
        List<String> failures = new ArrayList<>();
        report.append("\n=== ").append(scenario.name()).append(" — ").append(scenario.description()).append('\n');
        for (Corpus.Step step : scenario.steps()) {
            stepsRun++;
            long t0 = System.nanoTime();
            Outcome m = execute(moto, step, motoCaptures);
            long t1 = System.nanoTime();
            Outcome o = execute(other, step, otherCaptures);
            motoNanos += t1 - t0;
            otherNanos += System.nanoTime() - t1;
            requestsSent += m.requests();
            String op = (step.paginate() || step.segments()) ? "$merged" : step.operation();
            ObjectNode mv = Normaliser.view(op, m.status(), m.body());
            ObjectNode ov = Normaliser.view(op, o.status(), o.body());
            List<JsonDiff.Difference> diffs = JsonDiff.diff(mv, ov);

            List<KnownDifferences.Entry> entries = known.applicable(scenario.name(), step, m.request());
            List<JsonDiff.Difference> unexplained = new ArrayList<>();
            Set<KnownDifferences.Entry> used = new LinkedHashSet<>();
            for (JsonDiff.Difference d : diffs) {
                KnownDifferences.Entry by = null;
                for (KnownDifferences.Entry e : entries) {
                    if (e.matches(d)) {
                        by = e;
                        break;
                    }
                }
                ObjectNode rec = allDifferences.addObject();
                rec.put("scenario", scenario.name());
                rec.put("step", step.number());
                rec.put("id", step.id());
                rec.put("operation", step.operation());
                rec.put("path", d.path());
                rec.put("kind", d.kind());
                rec.set("moto", d.moto());
                rec.set(other.name, d.engine());
                rec.put("knownAs", by == null ? null : by.id);
                if (by == null) {
                    unexplained.add(d);
                } else {
                    by.matched++;
                    used.add(by);
                    differencesExplained++;
                }
            }

            String expectation = checkExpectation(step, mv, ov, used);
            report.append(step.label()).append(diffs.isEmpty() ? " same" : " " + diffs.size() + " difference(s)")
                    .append(used.isEmpty() ? "" : ", known: " + used.stream().map(e -> e.id).toList())
                    .append(expectation == null ? "" : " EXPECTATION: " + expectation).append('\n');
            if (!diffs.isEmpty() || VERBOSE) {
                report.append(describe(scenario, step, m, mv, ov, diffs, other.name, false)).append('\n');
            }
            // the self-check (moto against moto) tests the harness: only differences count there, moto's own gaps
            // against the corpus's expectations are reported but do not fail it
            if (!unexplained.isEmpty() || (expectation != null && !selfCheck)) {
                failures.add(describe(scenario, step, m, mv, ov, unexplained, other.name, true)
                        + (expectation == null ? "" : "  corpus expectation: " + expectation + "\n"));
            }
        }
        if (!failures.isEmpty()) {
            fail(scenario.name() + ": " + failures.size() + " of " + scenario.steps().size() + " steps differ "
                    + "(not explained by known-differences.json)\n\n" + String.join("\n", failures));
        }
    }

    /**
     * The corpus says what DynamoDB answers (HTTP 200, or {@code expectError}); that is checked on the side that
     * matches DynamoDB: moto, unless a known difference that applies to this step says the engine (or neither).
     */
    private static String checkExpectation(Corpus.Step step, ObjectNode mv, ObjectNode ov,
                                           Set<KnownDifferences.Entry> used) {
        ObjectNode view = mv;
        String side = "moto";
        for (KnownDifferences.Entry e : used) {
            if (e.dynamodb.equals("engine")) {
                view = ov;
                side = other.name;
            } else if (!e.dynamodb.equals("moto")) {
                return null;
            }
        }
        int status = view.path("$status").asInt();
        String type = view.path("__type").asText(null);
        for (Map.Entry<String, JsonNode> e : step.expect().entrySet()) {
            JsonNode actual = view.at(e.getKey());
            boolean ok = e.getValue().isNull() ? actual.isMissingNode()
                    : JsonDiff.diff(wrap(e.getValue()), wrap(actual.isMissingNode() ? null : actual)).isEmpty();
            if (!ok) {
                return side + " answered " + (actual.isMissingNode() ? "nothing" : actual.toString()) + " at "
                        + e.getKey() + " where the corpus expects " + e.getValue();
            }
        }
        if (step.expectError() == null) {
            return status == 200 ? null : side + " answered " + status + " " + type + " where the corpus expects "
                    + "success: " + view.path("message").asText(view.path("Message").asText(""));
        }
        if (status == 200) {
            return side + " succeeded where the corpus expects " + step.expectError();
        }
        return step.expectError().equals(type) ? null
                : side + " answered " + status + " " + (type != null ? type : "(no __type)") + " where the corpus expects "
                + step.expectError();
    }

    private static ObjectNode wrap(JsonNode value) {
        ObjectNode o = F.objectNode();
        o.put("$status", 0);
        o.set("v", value == null ? null : Normaliser.canonicalTree(value));
        if (value == null) {
            o.remove("v");
        }
        return o;
    }

    private static Outcome execute(Peer peer, Corpus.Step step, Map<String, JsonNode> captures) {
        JsonNode request;
        try {
            request = Templates.resolve(step.request(), captures);
        } catch (Templates.MissingCapture e) {
            return new Outcome(-1, TextNode.valueOf("harness: " + e.getMessage()), step.request(), 0);
        }
        Outcome out;
        try {
            if (step.segments()) {
                out = segments(peer, step, (ObjectNode) request);
            } else if (step.paginate()) {
                out = pages(peer, step, (ObjectNode) request, null);
            } else {
                out = send(peer, step, request);
            }
        } catch (Exception e) {
            StringWriter sw = new StringWriter();
            e.printStackTrace(new PrintWriter(sw));
            String tail = peer instanceof MotoPeer mp ? "\nmoto stderr: " + mp.stderrTail(2000) : "";
            return new Outcome(-1, TextNode.valueOf("harness: request failed: " + sw + tail), request, 1);
        }
        for (Map.Entry<String, String> c : step.capture().entrySet()) {
            captures.put(c.getKey(), out.body().at(c.getValue()));
        }
        return out;
    }

    private static Outcome send(Peer peer, Corpus.Step step, JsonNode request) throws IOException, InterruptedException {
        Peer.Response r = peer.call(step.amzTarget(), JSON.writeValueAsString(request));
        JsonNode body;
        try {
            body = r.body().isEmpty() ? TextNode.valueOf("") : JSON.readTree(r.body());
        } catch (JsonProcessingException e) {
            body = TextNode.valueOf(r.body());
        }
        return new Outcome(r.status(), body, request, 1);
    }

    /** Follows LastEvaluatedKey; answers the merged Items (in any order), Count, ScannedCount and page count. */
    private static Outcome pages(Peer peer, Corpus.Step step, ObjectNode request, ObjectNode into)
            throws IOException, InterruptedException {
        ObjectNode merged = into != null ? into : F.objectNode();
        ObjectNode req = request.deepCopy();
        int requests = 0;
        int pages = 0;
        for (; ; ) {
            Outcome o = send(peer, step, req);
            requests++;
            if (o.status() != 200 || !o.body().isObject()) {
                return new Outcome(o.status(), o.body(), request, requests);
            }
            pages++;
            JsonNode items = o.body().get("Items");
            if (items != null) {
                ArrayNode all = merged.has("Items") ? (ArrayNode) merged.get("Items") : merged.putArray("Items");
                items.forEach(all::add);
            }
            merged.put("Count", merged.path("Count").asLong() + o.body().path("Count").asLong());
            merged.put("ScannedCount", merged.path("ScannedCount").asLong() + o.body().path("ScannedCount").asLong());
            JsonNode lek = o.body().get("LastEvaluatedKey");
            if (lek == null || !step.paginate()) {
                break;
            }
            if (pages >= MAX_PAGES) {
                return new Outcome(-1, TextNode.valueOf("harness: more than " + MAX_PAGES + " pages"), request, requests);
            }
            req.set("ExclusiveStartKey", lek);
        }
        if (into == null) {
            merged.put("Pages", pages);
        }
        return new Outcome(200, merged, request, requests);
    }

    /** Every Segment of TotalSegments, each paginated if asked; the union of their items. */
    private static Outcome segments(Peer peer, Corpus.Step step, ObjectNode request)
            throws IOException, InterruptedException {
        ObjectNode merged = F.objectNode();
        int total = request.path("TotalSegments").asInt();
        int requests = 0;
        for (int seg = 0; seg < total; seg++) {
            ObjectNode req = request.deepCopy();
            req.put("Segment", seg);
            Outcome o = pages(peer, step, req, merged);
            requests += o.requests();
            if (o.status() != 200) {
                return new Outcome(o.status(), o.body(), req, requests);
            }
        }
        return new Outcome(200, merged, request, requests);
    }

    private static String describe(Corpus.Scenario scenario, Corpus.Step step, Outcome sent, JsonNode mv, JsonNode ov,
                                   List<JsonDiff.Difference> diffs, String otherName, boolean pretty) {
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(scenario.name()).append(' ').append(step.label());
        if (step.note() != null) {
            sb.append(" — ").append(step.note());
        }
        sb.append('\n');
        sb.append("  request: ").append(clip(sent.request().toString(), 1500)).append('\n');
        for (JsonDiff.Difference d : diffs) {
            sb.append("  * ").append(d).append('\n');
        }
        if (pretty) {
            sb.append("  moto:   ").append(clip(pretty(mv), 4000).replace("\n", "\n          ")).append('\n');
            sb.append("  ").append(otherName).append(": ").append(clip(pretty(ov), 4000).replace("\n", "\n          "))
                    .append('\n');
        } else {
            sb.append("  moto:   ").append(clip(mv.toString(), 6000)).append('\n');
            sb.append("  ").append(otherName).append(": ").append(clip(ov.toString(), 6000)).append('\n');
        }
        return sb.toString();
    }

    private static String pretty(JsonNode n) {
        try {
            return PRETTY.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            return n.toString();
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + " ...(" + s.length() + " chars)";
    }
}
