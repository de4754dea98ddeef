package com.onepoint.engine.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code conformance/known-differences.json}: the differences between moto and the engine that are accepted, each
 * because moto deviates from DynamoDB's documented behaviour or because that behaviour is unspecified. Every entry
 * must still explain at least one difference, so the file stays honest.
 *
 * <p>An entry: {@code id}; {@code scenario} (a scenario file's name without .json, or "*"); {@code steps} (step ids
 * or 1-based numbers, or "scenario/step" when {@code scenario} is "*"; absent: every step); {@code operation} (only steps of this operation, e.g. "UpdateItem");
 * {@code requestWithout} (a JSON pointer: only steps whose request lacks it, e.g. "/ReturnConsumedCapacity");
 * {@code path} (a pattern, or a list of patterns, over the difference's path: "*" one segment, "**" any number;
 * absent: any path); {@code kind} (only differences of that kind: status, only-moto, only-engine, length, value); {@code what}; {@code dynamodb} ("engine", "moto", "neither" or "unspecified":
 * which side matches DynamoDB); {@code documented}; {@code link} (the DynamoDB documentation page).
 */
final class KnownDifferences {
    static final String RESOURCE = "conformance/known-differences.json";
    private static final Set<String> SIDES = Set.of("engine", "moto", "neither", "unspecified");
    private static final Set<String> FIELDS =
            Set.of("id", "scenario", "steps", "operation", "requestWithout", "path", "kind", "what", "dynamodb",
                    "documented", "link");
    private static final Set<String> KINDS = Set.of(JsonDiff.STATUS, JsonDiff.ONLY_MOTO, JsonDiff.ONLY_ENGINE,
            JsonDiff.LENGTH, JsonDiff.VALUE);

    static final class Entry {
        final String id;
        final String scenario;
        final List<String> steps;
        final String operation;
        final String requestWithout;
        final String kind;
        final List<String> paths;
        final List<Pattern> pathPatterns;
        final String what;
        final String dynamodb;
        int matched;

        Entry(String id, String scenario, List<String> steps, String operation, String requestWithout,
              List<String> paths, String kind, String what, String dynamodb) {
            this.id = id;
            this.scenario = scenario;
            this.steps = steps;
            this.operation = operation;
            this.requestWithout = requestWithout;
            this.kind = kind;
            this.paths = paths;
            this.pathPatterns = paths == null ? null : paths.stream().map(KnownDifferences::glob).toList();
            this.what = what;
            this.dynamodb = dynamodb;
        }

        boolean appliesTo(String scenarioName, Corpus.Step step, JsonNode request) {
            if (!scenario.equals("*") && !scenario.equals(scenarioName)) {
                return false;
            }
            if (operation != null && !operation.equals(step.operation())) {
                return false;
            }
            if (requestWithout != null && !request.at(requestWithout).isMissingNode()) {
                return false;
            }
            if (steps == null) {
                return true;
            }
            for (String s : steps) {
                String stepRef = s;
                int slash = s.indexOf('/');
                if (slash >= 0) {
                    if (!s.substring(0, slash).equals(scenarioName)) {
                        continue;
                    }
                    stepRef = s.substring(slash + 1);
                }
                if (stepRef.equals(String.valueOf(step.number())) || stepRef.equals(step.id())) {
                    return true;
                }
            }
            return false;
        }

        boolean matches(JsonDiff.Difference d) {
            if (kind != null && !kind.equals(d.kind())) {
                return false;
            }
            return pathPatterns == null || pathPatterns.stream().anyMatch(p -> p.matcher(d.path()).matches());
        }

        @Override
        public String toString() {
            return id + " [" + scenario + (steps == null ? "" : " " + steps) + (operation == null ? "" : " " + operation)
                    + (paths == null ? "" : " " + String.join(" ", paths)) + "]";
        }
    }

    final List<Entry> entries;

    private KnownDifferences(List<Entry> entries) {
        this.entries = entries;
    }

    static KnownDifferences load(ObjectMapper json) {
        try (InputStream in = KnownDifferences.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test class path");
            }
            JsonNode root = json.readTree(in);
            if (!root.isArray()) {
                throw new IllegalStateException(RESOURCE + " must be a JSON array of entries");
            }
            List<Entry> out = new ArrayList<>();
            Set<String> ids = new java.util.HashSet<>();
            for (JsonNode e : root) {
                String id = e.path("id").asText(null);
                if (id == null || !ids.add(id)) {
                    throw new IllegalStateException(RESOURCE + ": every entry needs a unique id (" + e + ")");
                }
                for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!FIELDS.contains(f)) {
                        throw new IllegalStateException(RESOURCE + " " + id + ": unknown field " + f);
                    }
                }
                for (String required : List.of("scenario", "what", "dynamodb", "documented", "link")) {
                    if (!e.path(required).isTextual() || e.path(required).asText().isBlank()) {
                        throw new IllegalStateException(RESOURCE + " " + id + ": needs \"" + required + "\"");
                    }
                }
                String side = e.get("dynamodb").asText();
                if (!SIDES.contains(side)) {
                    throw new IllegalStateException(RESOURCE + " " + id + ": dynamodb must be one of " + SIDES);
                }
                List<String> steps = null;
                if (e.has("steps")) {
                    steps = new ArrayList<>();
                    for (JsonNode s : e.get("steps")) {
                        steps.add(s.asText());
                    }
                }
                List<String> paths = null;
                if (e.has("path")) {
                    paths = new ArrayList<>();
                    if (e.get("path").isArray()) {
                        for (JsonNode p : e.get("path")) {
                            paths.add(p.asText());
                        }
                    } else {
                        paths.add(e.get("path").asText());
                    }
                }
                String kind = e.path("kind").asText(null);
                if (kind != null && !KINDS.contains(kind)) {
                    throw new IllegalStateException(RESOURCE + " " + id + ": kind must be one of " + KINDS);
                }
                out.add(new Entry(id, e.get("scenario").asText(), steps, e.path("operation").asText(null),
                        e.path("requestWithout").asText(null), paths, kind,
                        e.get("what").asText(), side));
            }
            return new KnownDifferences(out);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static KnownDifferences none() {
        return new KnownDifferences(List.of());
    }

    List<Entry> applicable(String scenario, Corpus.Step step, JsonNode request) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.appliesTo(scenario, step, request)) {
                out.add(e);
            }
        }
        return out;
    }

    /** "*" is one path segment, "**" any number of segments (also none); everything else is literal. */
    static Pattern glob(String p) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
