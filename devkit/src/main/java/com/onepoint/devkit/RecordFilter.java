package com.onepoint.devkit;

import com.onepoint.devkit.json.Json;
import software.amazon.event.ruler.Machine;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An event source's FilterCriteria ({@code Filters: [{Pattern: '{...}'}]}), matched with event-ruler as Lambda does:
 * a record is delivered when any pattern matches its JSON; no filters means every record.
 */
public final class RecordFilter {
    private static final RecordFilter ALL = new RecordFilter(null, 0);
    private final Machine machine;
    private final int patterns;

    private RecordFilter(Machine machine, int patterns) {
        this.machine = machine;
        this.patterns = patterns;
    }

    public static RecordFilter all() {
        return ALL;
    }

    /** Parses {@code FilterCriteria}; an invalid pattern fails naming where it is. */
    public static RecordFilter of(Props filterCriteria) {
        filterCriteria.only(Set.of("Filters"), Set.of());
        List<?> filters = filterCriteria.list("Filters");
        if (filters.isEmpty()) {
            return ALL;
        }
        Machine machine = Machine.builder().build();
        for (int i = 0; i < filters.size(); i++) {
            Props filter = Props.of(filters.get(i), filterCriteria.where("Filters[" + i + "]")).only(Set.of("Pattern"), Set.of());
            Object pattern = filter.raw("Pattern");
            String json = pattern instanceof Map<?, ?> ? Json.write(pattern) : filter.required("Pattern");
            try {
                machine.addRule("filter-" + i, json);
            } catch (Exception e) {
                throw new UnsupportedTemplateException(filter.where("Pattern"), "is not a valid event pattern: " + e.getMessage());
            }
        }
        return new RecordFilter(machine, filters.size());
    }

    public boolean matches(Object recordJson) {
        if (machine == null) {
            return true;
        }
        String json = recordJson instanceof String s ? s : Json.write(recordJson);
        try {
            return !machine.rulesForJSONEvent(json).isEmpty();
        } catch (Exception e) {
            return false; // a record that is not JSON cannot match a pattern
        }
    }

    public int size() {
        return patterns;
    }
}
