package com.onepoint.devkit.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.onepoint.devkit.Props;
import com.onepoint.devkit.UnsupportedTemplateException;
import com.onepoint.devkit.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a rule target receives: the whole event, a constant {@code Input} (JSON text), or the part of the event an
 * {@code InputPath} selects. InputPath takes the JSONPath subset EventBridge users write: {@code $}, {@code .name}
 * (names may contain '-'), {@code ['name']} and {@code [index]}.
 */
public final class TargetInput {
    private static final Pattern STEP = Pattern.compile("\\.([^.\\[]+)|\\['([^']*)']|\\[(\\d+)]");
    private static final TargetInput WHOLE_EVENT = new TargetInput(null, List.of());

    private final String constant;
    private final List<Object> path; // String field names and Integer indexes; empty = the whole event

    private TargetInput(String constant, List<Object> path) {
        this.constant = constant;
        this.path = path;
    }

    public static TargetInput wholeEvent() {
        return WHOLE_EVENT;
    }

    /** Reads {@code Input}/{@code InputPath} of a target (or of a function's EventBridgeRule event). */
    public static TargetInput of(Props props) {
        if (props.has("Input") && props.has("InputPath")) {
            throw new UnsupportedTemplateException(props.where("InputPath"), "cannot be combined with Input");
        }
        if (props.has("Input")) {
            String input = props.string("Input");
            try {
                Json.read(input);
            } catch (Exception e) {
                throw new UnsupportedTemplateException(props.where("Input"), "is not valid JSON: " + e.getMessage());
            }
            return new TargetInput(input, List.of());
        }
        if (props.has("InputPath")) {
            return new TargetInput(null, parsePath(props.string("InputPath"), props.where("InputPath")));
        }
        return WHOLE_EVENT;
    }

    static List<Object> parsePath(String jsonPath, String where) {
        if (!jsonPath.startsWith("$")) {
            throw new UnsupportedTemplateException(where, "JSONPath must start with $: " + jsonPath);
        }
        List<Object> steps = new ArrayList<>();
        Matcher m = STEP.matcher(jsonPath);
        int at = 1;
        while (at < jsonPath.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new UnsupportedTemplateException(where, "JSONPath not supported locally: " + jsonPath);
            }
            steps.add(m.group(3) != null ? (Object) Integer.valueOf(m.group(3)) : m.group(1) != null ? m.group(1) : m.group(2));
            at = m.end();
        }
        return List.copyOf(steps);
    }

    public boolean isWholeEvent() {
        return constant == null && path.isEmpty();
    }

    @Override
    public String toString() {
        return constant != null ? "Input " + constant : path.isEmpty() ? "the event" : "InputPath " + path;
    }

    /** The JSON text the target receives for this event. */
    public String apply(String eventJson) {
        if (constant != null) {
            return constant;
        }
        if (path.isEmpty()) {
            return eventJson;
        }
        try {
            JsonNode node = Json.read(eventJson);
            for (Object step : path) {
                node = step instanceof Integer i ? node.path(i) : node.path((String) step);
            }
            return Json.write(node.isMissingNode() ? NullNode.getInstance() : node);
        } catch (Exception e) {
            throw new IllegalArgumentException("event is not JSON: " + e.getMessage(), e);
        }
    }
}
