package com.onepoint.engine.store;

import org.h2.mvstore.MVMap;

import java.util.ArrayList;
import java.util.List;

/**
 * The map changes of one write (an item with its index entries and stream record, or a whole transaction), which
 * {@link EngineStore#write} makes durable as one log record and then applies in order. Nothing touches a map
 * until then, so readers never see a change that a crash could take back.
 */
public final class Changes {
    enum Kind { PUT, REMOVE, DROP_MAP }

    record Op(Kind kind, MVMap<Object, Object> map, String mapName, Object key, Object value) {
    }

    final List<Op> ops = new ArrayList<>(8);
    private List<Runnable> afterApply;

    @SuppressWarnings("unchecked")
    public <K, V> void put(MVMap<K, V> map, K key, V value) {
        ops.add(new Op(Kind.PUT, (MVMap<Object, Object>) map, map.getName(), key, value));
    }

    @SuppressWarnings("unchecked")
    public <K, V> void remove(MVMap<K, V> map, K key) {
        ops.add(new Op(Kind.REMOVE, (MVMap<Object, Object>) map, map.getName(), key, null));
    }

    /** Removes a whole map (a deleted table's items, index or stream). */
    public void dropMap(String name) {
        ops.add(new Op(Kind.DROP_MAP, null, name, null, null));
    }

    /** Runs once the changes are applied, or once the write has failed (it must then release what it holds). */
    public void afterApply(Runnable hook) {
        if (afterApply == null) {
            afterApply = new ArrayList<>(2);
        }
        afterApply.add(hook);
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    void runAfterApply() {
        if (afterApply != null) {
            afterApply.forEach(Runnable::run);
        }
    }
}
