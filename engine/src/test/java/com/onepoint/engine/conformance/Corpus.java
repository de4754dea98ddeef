package com.onepoint.engine.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The conformance corpus: {@code conformance/scenarios/*.json} on the test class path, each an ordered list of steps
 * replayed against a fresh moto and a fresh engine. See CONFORMANCE.md for the file format.
 */
final class Corpus {
    static final String DIR = "conformance/scenarios";

    /** Operations of the DynamoDB Streams API; every other target is a DynamoDB operation. */
    private static final Set<String> STREAMS_OPS = Set.of("ListStreams", "DescribeStream", "GetShardIterator", "GetRecords");

    private static final Set<String> STEP_FIELDS =
            Set.of("id", "target", "request", "note", "expectError", "expect", "capture", "paginate", "segments");

    record Scenario(String name, String description, List<Step> steps) {
        int requestCount() {
            return steps.stream().mapToInt(Step::minRequests).sum();
        }
    }

    /**
     * One step: {@code target} is an operation name ("PutItem", "GetRecords") or a full X-Amz-Target;
     * {@code expectError} is the error type DynamoDB answers (absent: HTTP 200); {@code expect} maps JSON pointers into
     * the (normalised) answer to the value DynamoDB gives there, null for "absent" (for what moto gets wrong too);
     * {@code capture} maps names to JSON
     * pointers into this step's response, usable as {@code ${name}} in later steps of the same scenario (each side
     * keeps its own captures); {@code paginate} follows LastEvaluatedKey and merges the pages; {@code segments} runs
     * every Segment of the request's TotalSegments (each paginated when {@code paginate}) and merges them.
     */
    record Step(int number, String id, String target, ObjectNode request, String note, String expectError,
                Map<String, JsonNode> expect, Map<String, String> capture, boolean paginate, boolean segments) {

        String amzTarget() {
            if (target.contains(".")) {
                return target;
            }
            return (STREAMS_OPS.contains(target) ? "DynamoDBStreams_20120810." : "DynamoDB_20120810.") + target;
        }

        /** The operation name, without the API prefix. */
        String operation() {
            return target.contains(".") ? target.substring(target.indexOf('.') + 1) : target;
        }

        String label() {
            return "#" + number + (id != null ? " (" + id + ")" : "") + " " + operation();
        }

        int minRequests() {
            int n = 1;
            if (segments) {
                n = request.path("TotalSegments").asInt(1);
            }
            return n;
        }
    }

    private Corpus() {
    }

    static List<Scenario> load(ObjectMapper json) {
        Path dir = resourceDir(DIR);
        List<Scenario> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                out.add(parse(json, f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no scenario files in " + dir);
        }
        return out;
    }

    static Path resourceDir(String name) {
        URL url = Corpus.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is not on the class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Scenario parse(ObjectMapper json, Path file) throws IOException {
        String fileName = file.getFileName().toString();
        String name = fileName.substring(0, fileName.length() - ".json".length());
        JsonNode root = json.readTree(file.toFile());
        JsonNode stepsNode = root.path("steps");
        if (!stepsNode.isArray() || stepsNode.isEmpty()) {
            throw new IllegalStateException(fileName + ": needs a non-empty \"steps\" array");
        }
        List<Step> steps = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        int n = 0;
        for (JsonNode s : stepsNode) {
            n++;
            String where = fileName + " step #" + n;
            for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!STEP_FIELDS.contains(f)) {
                    throw new IllegalStateException(where + ": unknown field \"" + f + "\" (allowed: " + STEP_FIELDS + ")");
                }
            }
            if (!s.path("target").isTextual()) {
                throw new IllegalStateException(where + ": needs a \"target\"");
            }
            if (!s.path("request").isObject()) {
                throw new IllegalStateException(where + ": needs a \"request\" object");
            }
            String id = s.hasNonNull("id") ? s.get("id").asText() : null;
            if (id != null && !ids.add(id)) {
                throw new IllegalStateException(where + ": duplicate step id " + id);
            }
            Map<String, String> capture = new LinkedHashMap<>();
            s.path("capture").fields().forEachRemaining(e -> capture.put(e.getKey(), e.getValue().asText()));
            Map<String, JsonNode> expect = new LinkedHashMap<>();
            s.path("expect").fields().forEachRemaining(e -> expect.put(e.getKey(), e.getValue()));
            Step step = new Step(n, id, s.get("target").asText(), (ObjectNode) s.get("request"),
                    s.hasNonNull("note") ? s.get("note").asText() : null,
                    s.hasNonNull("expectError") ? s.get("expectError").asText() : null,
                    expect, capture, s.path("paginate").asBoolean(false), s.path("segments").asBoolean(false));
            if (step.segments && !step.request.has("TotalSegments")) {
                throw new IllegalStateException(where + ": \"segments\" needs TotalSegments in the request");
            }
            steps.add(step);
        }
        return new Scenario(name, root.path("description").asText(""), steps);
    }
}
