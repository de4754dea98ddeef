package com.onepoint.engine;

import com.onepoint.engine.store.EngineStore;
import org.h2.mvstore.MVMap;

import java.util.AbstractMap;
import java.util.Set;

/** A string map in the engine's store whose puts and removes return once they are durable. */
final class DurableMap extends AbstractMap<String, String> {
    private final EngineStore store;
    private final MVMap<String, String> map;

    DurableMap(EngineStore store, MVMap<String, String> map) {
        this.store = store;
        this.map = map;
    }

    @Override
    public String get(Object key) {
        return map.get(key);
    }

    @Override
    public String put(String key, String value) {
        String[] old = new String[1];
        store.awaitDurable(store.apply(() -> old[0] = map.put(key, value)));
        return old[0];
    }

    @Override
    public String remove(Object key) {
        String[] old = new String[1];
        store.awaitDurable(store.apply(() -> old[0] = map.remove(key)));
        return old[0];
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(map)).entrySet();
    }
}
