package com.onepoint.engine.expr;

import com.onepoint.engine.value.Value;

import java.util.Map;
import java.util.Set;

/** A parsed condition with the top-level attributes it reads (Query rejects filters on key attributes). */
final class ParsedCondition implements Condition {
    private final Condition root;
    private final Set<String> topLevelNames;

    ParsedCondition(Condition root, Set<String> topLevelNames) {
        this.root = root;
        this.topLevelNames = Set.copyOf(topLevelNames);
    }

    @Override
    public boolean test(Map<String, Value> item) {
        return root.test(item);
    }

    Set<String> topLevelNames() {
        return topLevelNames;
    }
}
