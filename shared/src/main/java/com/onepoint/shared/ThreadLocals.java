package com.onepoint.shared;

import java.util.function.Supplier;

/** Scoped thread-local values: set for one call, then the caller's value (or none) again, even when it throws. */
public final class ThreadLocals {
    private ThreadLocals() {
    }

    public static <V, T> T with(ThreadLocal<V> local, V value, Supplier<T> call) {
        V previous = local.get();
        local.set(value);
        try {
            return call.get();
        } finally {
            if (previous == null) {
                local.remove();
            } else {
                local.set(previous);
            }
        }
    }
}
