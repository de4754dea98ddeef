package com.onepoint.local;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the runtime stood up for each part of the template, for the startup banner and the coverage test:
 * every resource by logical id, every function event by "Function.Event", each with a one-line description.
 */
public final class Wiring {
    private final Map<String, String> resources = new LinkedHashMap<>();
    private final Map<String, String> events = new LinkedHashMap<>();
    private final Map<String, List<String>> triggersByFunction = new LinkedHashMap<>();

    void resource(String logicalId, String description) {
        resources.put(logicalId, description);
    }

    void event(FunctionEvent event, String description) {
        events.put(event.id(), description);
        triggersByFunction.computeIfAbsent(event.functionLogicalId(), k -> new ArrayList<>()).add(description);
    }

    /** Resource logical id → how it runs locally, e.g. "DynamoDB engine table onepoint-dev-deals". */
    public Map<String, String> resources() {
        return Collections.unmodifiableMap(resources);
    }

    /** "Function.Event" → how it is delivered, e.g. "POST /deals". */
    public Map<String, String> events() {
        return Collections.unmodifiableMap(events);
    }

    public List<String> triggers(String functionLogicalId) {
        return triggersByFunction.getOrDefault(functionLogicalId, List.of());
    }
}
