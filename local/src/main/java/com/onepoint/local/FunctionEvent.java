package com.onepoint.local;

import java.util.Map;

/** One entry of a function's {@code Events}, its properties resolved against the local resources. */
public record FunctionEvent(String functionLogicalId, String eventName, String type, Map<String, Object> properties) {
    /** "MemberFunction.Join", how the startup banner and the wiring report name an event. */
    public String id() {
        return functionLogicalId + "." + eventName;
    }
}
