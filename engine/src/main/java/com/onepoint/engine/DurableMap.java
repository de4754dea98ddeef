package com.onepoint.engine;

import com.onepoint.engine.store.Changes;
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

    // synchronized: two writers of one key reach the log and the map in the same order
    @Override
    public synchronized String put(String key, String value) {
        String old = map.get(key);
        Changes changes = new Changes();
        changes.put(map, key, value);
        store.write(changes);
        return old;
    }

    @Override
    public synchronized String remove(Object key) {
        String old = map.get(key);
        if (old != null) {
            Changes changes = new Changes();
            changes.remove(map, (String) key);
            store.write(changes);
        }
        return old;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(map)).entrySet();
    }
}
