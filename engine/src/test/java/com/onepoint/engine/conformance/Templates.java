package com.onepoint.engine.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${...}} references in a step's request, resolved per side before it is sent.
 * <ul>
 *   <li>{@code ${name}}: a value captured from an earlier response of the same side ({@code "capture"} in a step).
 *       A string that is exactly {@code ${name}} becomes the captured JSON value (object, number...); inside a longer
 *       string the captured value's text is spliced in.</li>
 *   <li>{@code ${repeat:TEXT:N}}: TEXT repeated N times (big values without committing them).</li>
 * </ul>
 * Member names are substituted too (an {@code ExpressionAttributeValues} key can't hold one, but a table name can).
 */
final class Templates {
    private static final Pattern REF = Pattern.compile("\\$\\{([^}]+)}");

    static final class MissingCapture extends RuntimeException {
        MissingCapture(String message) {
            super(message, null, false, false);
        }
    }

    private Templates() {
    }

    static JsonNode resolve(JsonNode node, Map<String, JsonNode> captures) {
        if (node.isTextual()) {
            return resolveText(node.asText(), captures);
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(resolveText(e.getKey(), captures).asText(), resolve(e.getValue(), captures));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode e : node) {
                out.add(resolve(e, captures));
            }
            return out;
        }
        return node;
    }

    private static JsonNode resolveText(String s, Map<String, JsonNode> captures) {
        if (!s.contains("${")) {
            return TextNode.valueOf(s);
        }
        Matcher whole = REF.matcher(s);
        if (whole.matches()) {
            return value(whole.group(1), captures);
        }
        Matcher m = REF.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            JsonNode v = value(m.group(1), captures);
            m.appendReplacement(sb, Matcher.quoteReplacement(v.isValueNode() ? v.asText() : v.toString()));
        }
        m.appendTail(sb);
        return TextNode.valueOf(sb.toString());
    }

    private static JsonNode value(String ref, Map<String, JsonNode> captures) {
        if (ref.startsWith("repeat:")) {
            int last = ref.lastIndexOf(':');
            String text = ref.substring("repeat:".length(), last);
            int n = Integer.parseInt(ref.substring(last + 1));
            return TextNode.valueOf(text.repeat(n));
        }
        JsonNode v = captures.get(ref);
        if (v == null || v.isMissingNode()) {
            throw new MissingCapture("${" + ref + "} was not captured by an earlier step "
                    + (v == null ? "(no step captures it)" : "(its pointer found nothing in that response)"));
        }
        return v;
    }
}
