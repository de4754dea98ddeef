package com.onepoint.devkit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in for the local runtime: records every invocation and answers as the test tells it, per function. */
public final class RecordingInvoker implements FunctionInvoker {
    public record Call(String functionId, Object event) {
    }

    @FunctionalInterface
    public interface Behaviour {
        Object handle(Object event) throws Exception;
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();

    /** How {@code functionId} answers from now on; by default it returns null (success). */
    public RecordingInvoker answer(String functionId, Behaviour behaviour) {
        behaviours.put(functionId, behaviour);
        return this;
    }

    @Override
    public Object invoke(String functionLogicalId, Object event) throws Exception {
        calls.add(new Call(functionLogicalId, event));
        Behaviour b = behaviours.get(functionLogicalId);
        return b == null ? null : b.handle(event);
    }

    public List<Object> events(String functionId) {
        return calls.stream().filter(c -> c.functionId().equals(functionId)).map(Call::event).toList();
    }

    public int count(String functionId) {
        return events(functionId).size();
    }
}
