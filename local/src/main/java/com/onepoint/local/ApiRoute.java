package com.onepoint.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code Api} event of a function: method and resource path, e.g. POST /deals/{dealId}/cancel. Matches request
 * paths segment by segment: a literal, a {@code {param}} (one segment) or a trailing greedy {@code {param+}}.
 * {@code open}: the event sets {@code Auth: {Authorizer: NONE}}, so API Gateway calls no authorizer for it.
 */
public record ApiRoute(String functionLogicalId, String eventName, String method, String resourcePath, boolean open) {
    /** SAM's "any" method: the route answers every method. */
    public static final String ANY = "ANY";
    /** The value of an Api event's {@code Auth.Authorizer} that turns the API's default authorizer off. */
    public static final String NO_AUTHORIZER = "NONE";

    public ApiRoute {
        method = method.toUpperCase(Locale.ROOT);
    }

    /** A route behind the API's default authorizer. */
    public ApiRoute(String functionLogicalId, String eventName, String method, String resourcePath) {
        this(functionLogicalId, eventName, method, resourcePath, false);
    }

    List<String> segments() {
        return split(resourcePath);
    }

    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    boolean answers(String requestMethod) {
        return method.equals(ANY) || method.equals(requestMethod);
    }

    /** Path parameters when {@code pathSegments} (already percent-decoded) fit this route, else null. */
    Map<String, String> match(List<String> pathSegments) {
        List<String> pattern = segments();
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String p = pattern.get(i);
            if (isGreedy(p)) {
                if (i >= pathSegments.size()) {
                    return null; // {proxy+} needs at least one segment
                }
                params.put(p.substring(1, p.length() - 2), String.join("/", pathSegments.subList(i, pathSegments.size())));
                return params;
            }
            if (i >= pathSegments.size()) {
                return null;
            }
            String actual = pathSegments.get(i);
            if (isParam(p)) {
                params.put(p.substring(1, p.length() - 1), actual);
            } else if (!p.equals(actual)) {
                return null;
            }
        }
        return pattern.size() == pathSegments.size() ? params : null;
    }

    /**
     * How specific the route is, for choosing among several that match, as API Gateway does: per segment, a literal
     * beats a {param}, which beats a greedy {param+}. Lower sorts first.
     */
    int[] specificity() {
        return segments().stream().mapToInt(s -> isGreedy(s) ? 2 : isParam(s) ? 1 : 0).toArray();
    }

    private static boolean isParam(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static boolean isGreedy(String segment) {
        return segment.startsWith("{") && segment.endsWith("+}");
    }
}
