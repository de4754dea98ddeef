package com.onepoint.local;

import com.onepoint.devkit.ResourceRefs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The refs of every local emulator, asked in the order they were added; the first non-null answer wins.
 * Emulators that start later (queues, buses) are appended, so a function's environment can name any of them.
 */
final class ChainedResourceRefs implements ResourceRefs {
    private final List<ResourceRefs> chain = new CopyOnWriteArrayList<>();

    void add(ResourceRefs refs) {
        chain.add(refs);
    }

    @Override
    public String ref(String logicalId) {
        for (ResourceRefs refs : chain) {
            String value = refs.ref(logicalId);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    @Override
    public String getAtt(String logicalId, String attribute) {
        for (ResourceRefs refs : chain) {
            String value = refs.getAtt(logicalId, attribute);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
