package com.onepoint.devkit;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Least privilege, checked on template.yaml itself: no wildcard actions, no access to a table a function does not use. */
class TemplatePoliciesTest {
    private static final SamTemplate TEMPLATE = SamTemplate.load(Path.of("template.yaml"));
    private static final Pattern SUB_REF = Pattern.compile("\\$\\{([A-Za-z0-9]+)(?:\\.[A-Za-z]+)?}");

    private static Set<String> tables() {
        Set<String> tables = new HashSet<>();
        TEMPLATE.resourcesOfType("AWS::DynamoDB::Table").forEach(t -> tables.add(t.logicalId()));
        return tables;
    }

    /** Every logical id a value refers to: !Ref X, !GetAtt X.Attr, ${X} or ${X.Attr} inside !Sub. */
    private static void referencesIn(Object value, Set<String> out) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.equals("Ref")) {
                    out.add(String.valueOf(e.getValue()));
                } else if (key.equals("Fn::GetAtt") && e.getValue() instanceof List<?> l) {
                    out.add(String.valueOf(l.get(0)));
                } else if (key.equals("Fn::Sub")) {
                    Object text = e.getValue() instanceof List<?> l ? l.get(0) : e.getValue();
                    Matcher matcher = SUB_REF.matcher(String.valueOf(text));
                    while (matcher.find()) {
                        out.add(matcher.group(1));
                    }
                } else {
                    referencesIn(e.getValue(), out);
                }
            }
        } else if (value instanceof List<?> l) {
            l.forEach(v -> referencesIn(v, out));
        }
    }

    private static List<String> actionsIn(Object value) {
        List<String> actions = new ArrayList<>();
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if ("Action".equals(e.getKey())) {
                    if (e.getValue() instanceof List<?> l) {
                        l.forEach(a -> actions.add(String.valueOf(a)));
                    } else {
                        actions.add(String.valueOf(e.getValue()));
                    }
                } else {
                    actions.addAll(actionsIn(e.getValue()));
                }
            }
        } else if (value instanceof List<?> l) {
            l.forEach(v -> actions.addAll(actionsIn(v)));
        }
        return actions;
    }

    @Test
    void noPolicyGrantsAWildcardAction() {
        List<String> wildcards = new ArrayList<>();
        for (SamTemplate.Resource r : TEMPLATE.resources().values()) {
            Object policies = r.type().equals("AWS::Serverless::Function") ? r.properties().get("Policies")
                    : r.type().equals("AWS::SQS::QueuePolicy") ? r.properties().get("PolicyDocument") : null;
            for (String action : actionsIn(policies)) {
                if (action.contains("*")) {
                    wildcards.add(r.logicalId() + ": " + action);
                }
            }
        }
        assertEquals(List.of(), wildcards);
    }

    @Test
    void aFunctionIsGrantedOnlyTheTablesItIsGiven() {
        Set<String> tables = tables();
        List<String> excess = new ArrayList<>();
        int checked = 0;
        for (SamTemplate.Resource fn : TEMPLATE.resourcesOfType("AWS::Serverless::Function")) {
            Set<String> granted = new HashSet<>();
            referencesIn(fn.properties().get("Policies"), granted);
            granted.retainAll(tables);
            Set<String> given = new HashSet<>();
            referencesIn(fn.properties().get("Environment"), given);
            referencesIn(fn.properties().get("Events"), given); // a stream subscription uses its table too
            for (String table : granted) {
                checked++;
                if (!given.contains(table)) {
                    excess.add(fn.logicalId() + " may touch " + table + " but is not given it");
                }
            }
        }
        assertFalse(checked == 0, "the template grants table access somewhere; this test must see it");
        assertEquals(List.of(), excess);
    }
}
