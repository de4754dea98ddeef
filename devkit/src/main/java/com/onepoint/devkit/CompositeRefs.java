package com.onepoint.devkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Several environments' {@link ResourceRefs} as one: the first that knows a resource answers. Parts may be appended
 * later (emulators that start after others), so a function's environment can name any of them.
 */
public final class CompositeRefs implements ResourceRefs {
    private final List<ResourceRefs> parts;

    public CompositeRefs(List<? extends ResourceRefs> parts) {
        this.parts = new CopyOnWriteArrayList<>(parts);
    }

    /** Appends a part, asked after those already there. */
    public void add(ResourceRefs part) {
        parts.add(part);
    }

    public static CompositeRefs of(ResourceRefs... parts) {
        List<ResourceRefs> present = new ArrayList<>();
        for (ResourceRefs p : parts) {
            if (p != null) {
                present.add(p);
            }
        }
        return new CompositeRefs(present);
    }

    @Override
    public String ref(String logicalId) {
        for (ResourceRefs p : parts) {
            String value = p.ref(logicalId);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    @Override
    public String getAtt(String logicalId, String attribute) {
        for (ResourceRefs p : parts) {
            String value = p.getAtt(logicalId, attribute);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
