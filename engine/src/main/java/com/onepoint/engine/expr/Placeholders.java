package com.onepoint.engine.expr;

import com.onepoint.engine.DynamoException;
import com.onepoint.engine.value.Value;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ExpressionAttributeNames and ExpressionAttributeValues of ONE request, shared by all of its expressions; records
 * which entries the expressions used, because DynamoDB rejects a request that defines any it never uses. One
 * request, one thread: not thread-safe.
 */
public final class Placeholders {
    private final Map<String, String> names;
    private final Map<String, Value> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();

    /**
     * Both maps never null (empty when the request has none). Keys must look like {@code #name} / {@code :name}
     * (letters, digits, underscores), as DynamoDB requires; the caller keeps "must not be empty" (it alone knows
     * whether the member was present).
     */
    public Placeholders(Map<String, String> names, Map<String, Value> values) {
        this.names = names;
        this.values = values;
        for (String key : names.keySet()) {
            if (!validKey(key, '#')) {
                throw DynamoException.validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + key + "\"");
            }
        }
        for (String key : values.keySet()) {
            if (!validKey(key, ':')) {
                throw DynamoException.validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + key + "\"");
            }
        }
    }

    public static Placeholders none() {
        return new Placeholders(Map.of(), Map.of());
    }

    /** After every expression of the request is parsed: throws ValidationException for any unused name or value. */
    public void requireAllUsed() {
        List<String> unusedNames = unused(names.keySet(), usedNames);
        if (!unusedNames.isEmpty()) {
            throw DynamoException.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                    + String.join(", ", unusedNames) + "}");
        }
        List<String> unusedValues = unused(values.keySet(), usedValues);
        if (!unusedValues.isEmpty()) {
            throw DynamoException.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                    + String.join(", ", unusedValues) + "}");
        }
    }

    /** The names used so far; with {@link #markUsed} lets a caller that caches parsed expressions replay their use. */
    public Set<String> usedNames() {
        return Collections.unmodifiableSet(usedNames);
    }

    public Set<String> usedValues() {
        return Collections.unmodifiableSet(usedValues);
    }

    public void markUsed(Collection<String> nameKeys, Collection<String> valueKeys) {
        usedNames.addAll(nameKeys);
        usedValues.addAll(valueKeys);
    }

    public Map<String, String> names() {
        return names;
    }

    public Map<String, Value> values() {
        return values;
    }

    /** The attribute name for {@code #placeholder}, marking it used; null when undefined. */
    String name(String placeholder) {
        String name = names.get(placeholder);
        if (name != null) {
            usedNames.add(placeholder);
        }
        return name;
    }

    /** The value for {@code :placeholder}, marking it used; null when undefined. */
    Value value(String placeholder) {
        Value value = values.get(placeholder);
        if (value != null) {
            usedValues.add(placeholder);
        }
        return value;
    }

    private static List<String> unused(Set<String> defined, Set<String> used) {
        List<String> out = new ArrayList<>();
        for (String key : defined) {
            if (!used.contains(key)) {
                out.add(key);
            }
        }
        return out;
    }

    private static boolean validKey(String key, char prefix) {
        if (key.length() < 2 || key.charAt(0) != prefix) {
            return false;
        }
        for (int i = 1; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
