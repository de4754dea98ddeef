package com.onepoint.local;

import com.onepoint.devkit.UnsupportedTemplateException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The REST API's route table, built once from the template's Api events. */
final class ApiRoutes {
    /** The route a request reached and its path parameters; or, for a known path, the methods it does allow. */
    record Match(ApiRoute route, Map<String, String> pathParameters, Set<String> allowedMethods) {
        boolean found() {
            return route != null;
        }

        boolean pathKnown() {
            return !allowedMethods.isEmpty();
        }
    }

    private final List<ApiRoute> routes;

    ApiRoutes(List<ApiRoute> routes) {
        for (int i = 0; i < routes.size(); i++) {
            for (int j = 0; j < i; j++) {
                ApiRoute a = routes.get(i);
                ApiRoute b = routes.get(j);
                if (a.resourcePath().equals(b.resourcePath()) && (a.answers(b.method()) || b.answers(a.method()))) {
                    throw new UnsupportedTemplateException(a.functionLogicalId() + ".Events." + a.eventName(),
                            a.method() + " " + a.resourcePath() + " is also the route of " + b.functionLogicalId()
                                    + "." + b.eventName());
                }
            }
        }
        // most specific first, so the first route that matches is the one API Gateway would pick
        this.routes = routes.stream().sorted(Comparator.comparing(ApiRoute::specificity, Arrays::compare)).toList();
    }

    List<ApiRoute> all() {
        return routes;
    }

    /**
     * As API Gateway does: first the resource (the most specific path that fits), then the method on that resource.
     * A method the resource lacks is not looked for on a less specific resource.
     */
    Match match(String method, String rawPath) {
        List<String> segments = ApiRoute.split(rawPath).stream().map(ApiRoutes::percentDecode).toList();
        String resource = null;
        Map<String, String> params = Map.of();
        Set<String> allowed = new TreeSet<>();
        for (ApiRoute route : routes) {
            if (resource == null) {
                Map<String, String> matched = route.match(segments);
                if (matched == null) {
                    continue;
                }
                resource = route.resourcePath();
                params = matched;
            } else if (!route.resourcePath().equals(resource)) {
                continue;
            }
            if (route.answers(method)) {
                return new Match(route, params, Set.of(route.method()));
            }
            allowed.add(route.method());
        }
        return new Match(null, Map.of(), allowed);
    }

    /** Path segments are percent-decoded; unlike a query string, '+' stays '+'. */
    static String percentDecode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
