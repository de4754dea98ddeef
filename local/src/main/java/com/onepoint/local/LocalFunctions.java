package com.onepoint.local;

import com.onepoint.devkit.FunctionInvoker;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Every function of the template, by logical id; invokes them for the API server and for event sources. */
public final class LocalFunctions implements FunctionInvoker {
    private final Map<String, LocalFunction> byLogicalId = new LinkedHashMap<>();

    void add(LocalFunction function) {
        byLogicalId.put(function.logicalId(), function);
    }

    public Collection<LocalFunction> all() {
        return byLogicalId.values();
    }

    /** The function, or an IllegalArgumentException listing those that exist. */
    public LocalFunction get(String logicalId) {
        LocalFunction fn = byLogicalId.get(logicalId);
        if (fn == null) {
            throw new IllegalArgumentException("no function " + logicalId + " in the template; functions: "
                    + byLogicalId.keySet());
        }
        return fn;
    }

    /** Invokes with a fresh request id, as Lambda does for every event source. */
    @Override
    public Object invoke(String functionLogicalId, Object event) {
        return get(functionLogicalId).invoke(event, UUID.randomUUID().toString());
    }
}
