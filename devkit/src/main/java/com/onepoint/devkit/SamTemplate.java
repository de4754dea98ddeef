package com.onepoint.devkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SAM/CloudFormation template read from disk: its resources, parameters and Globals, and the intrinsic
 * functions needed to resolve property values ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub},
 * {@code Fn::Join}, {@code Fn::Select}, {@code Fn::Split}, {@code Fn::If} with Conditions).
 * template.yaml is the single source of wiring; everything local is derived from this view of it.
 */
public final class SamTemplate {
    public static final String ACCOUNT_ID = "000000000000";
    public static final String REGION = "ap-northeast-2";
    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}]+)}");

    /** One entry of the template's Resources section. */
    public record Resource(String logicalId, String type, Map<String, Object> properties) {
        public String where(String property) {
            return logicalId + " (" + type + ")." + property;
        }
    }

    private final Path file;
    private final Map<String, Object> root;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, Resource> resources = new LinkedHashMap<>();

    private SamTemplate(Path file, Map<String, Object> root, Map<String, String> parameterOverrides) {
        this.file = file;
        this.root = root;
        for (Map.Entry<String, Object> p : map(root.get("Parameters"), "Parameters").entrySet()) {
            Object def = map(p.getValue(), "Parameters." + p.getKey()).get("Default");
            if (def != null) {
                parameters.put(p.getKey(), String.valueOf(def));
            }
        }
        parameters.putAll(parameterOverrides);
        for (Map.Entry<String, Object> r : map(root.get("Resources"), "Resources").entrySet()) {
            Map<String, Object> body = map(r.getValue(), "Resources." + r.getKey());
            resources.put(r.getKey(), new Resource(r.getKey(), String.valueOf(body.get("Type")),
                    map(body.get("Properties"), r.getKey() + ".Properties")));
        }
    }

    public static SamTemplate load(Path file, Map<String, String> parameterOverrides) {
        return new SamTemplate(file, CfnYaml.load(file), parameterOverrides);
    }

    public static SamTemplate load(Path file) {
        return load(file, Map.of());
    }

    public Path file() {
        return file;
    }

    /** The whole document as parsed, Globals not applied: what checks of the template's own text read. Not to modify. */
    public Map<String, Object> document() {
        return root;
    }

    public Map<String, Resource> resources() {
        return resources;
    }

    public List<Resource> resourcesOfType(String type) {
        return resources.values().stream().filter(r -> r.type().equals(type)).toList();
    }

    public Resource resource(String logicalId) {
        Resource r = resources.get(logicalId);
        if (r == null) {
            throw new IllegalArgumentException("template " + file + " has no resource " + logicalId);
        }
        return r;
    }

    public String parameter(String name) {
        return parameters.get(name);
    }

    public String stackName() {
        return "onepoint-" + parameters.getOrDefault("Stage", "local");
    }

    /** {@code Globals.<section>} (e.g. "Function"), or an empty map. */
    public Map<String, Object> globals(String section) {
        return map(map(root.get("Globals"), "Globals").get(section), "Globals." + section);
    }

    /**
     * The environment variables a function gets: Globals.Function.Environment.Variables overlaid with the
     * function's own, every value resolved against {@code refs}.
     */
    public Map<String, String> functionEnvironment(String logicalId, ResourceRefs refs) {
        Resource fn = resource(logicalId);
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> source : List.of(globals("Function"), fn.properties())) {
            Map<String, Object> vars = map(map(source.get("Environment"), "Environment").get("Variables"), "Variables");
            for (Map.Entry<String, Object> v : vars.entrySet()) {
                env.put(v.getKey(), String.valueOf(resolve(v.getValue(), refs, fn.where("Environment." + v.getKey()))));
            }
        }
        return env;
    }

    /** Resolves intrinsic functions in {@code value}; {@code where} names the resource and property for errors. */
    public Object resolve(Object value, ResourceRefs refs, String where) {
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                out.add(resolve(item, refs, where));
            }
            return out;
        }
        if (!(value instanceof Map<?, ?> m)) {
            return value;
        }
        if (m.size() == 1) {
            String key = String.valueOf(m.keySet().iterator().next());
            Object arg = m.values().iterator().next();
            if (key.equals("Ref") || key.startsWith("Fn::")) {
                return intrinsic(key, arg, refs, where);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put(String.valueOf(e.getKey()), resolve(e.getValue(), refs, where + "." + e.getKey()));
        }
        return out;
    }

    /** All properties of a resource, resolved. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> resolveMap(Resource resource, ResourceRefs refs) {
        return (Map<String, Object>) resolve(resource.properties(), refs, resource.logicalId() + " (" + resource.type() + ")");
    }

    public String resolveString(Object value, ResourceRefs refs, String where) {
        Object resolved = resolve(value, refs, where);
        return resolved == null ? null : String.valueOf(resolved);
    }

    private Object intrinsic(String fn, Object arg, ResourceRefs refs, String where) {
        switch (fn) {
            case "Ref":
                return ref(String.valueOf(arg), refs, where);
            case "Fn::GetAtt": {
                List<?> parts = list(arg, where);
                return getAtt(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)), refs, where);
            }
            case "Fn::Sub":
                return sub(arg, refs, where);
            case "Fn::Join": {
                List<?> parts = list(arg, where);
                List<String> items = new ArrayList<>();
                for (Object o : list(resolve(parts.get(1), refs, where), where)) {
                    items.add(String.valueOf(o));
                }
                return String.join(String.valueOf(parts.get(0)), items);
            }
            case "Fn::Select": {
                List<?> parts = list(arg, where);
                int index = Integer.parseInt(String.valueOf(resolve(parts.get(0), refs, where)));
                return list(resolve(parts.get(1), refs, where), where).get(index);
            }
            case "Fn::Split": {
                List<?> parts = list(arg, where);
                String text = String.valueOf(resolve(parts.get(1), refs, where));
                return List.of(text.split(Pattern.quote(String.valueOf(parts.get(0))), -1));
            }
            case "Fn::If": {
                List<?> parts = list(arg, where);
                boolean cond = condition(String.valueOf(parts.get(0)), refs, where);
                return resolve(parts.get(cond ? 1 : 2), refs, where);
            }
            default:
                throw new UnsupportedTemplateException(where, "intrinsic function " + fn + " is not supported locally");
        }
    }

    private boolean condition(String name, ResourceRefs refs, String where) {
        Object def = map(root.get("Conditions"), "Conditions").get(name);
        if (def == null) {
            throw new UnsupportedTemplateException(where, "unknown condition " + name);
        }
        return evaluate(def, refs, where);
    }

    private boolean evaluate(Object expr, ResourceRefs refs, String where) {
        Map<String, Object> m = map(expr, where);
        String fn = m.keySet().iterator().next();
        Object arg = m.get(fn);
        switch (fn) {
            case "Fn::Equals": {
                List<?> parts = list(arg, where);
                return String.valueOf(resolve(parts.get(0), refs, where))
                        .equals(String.valueOf(resolve(parts.get(1), refs, where)));
            }
            case "Fn::Not":
                return !evaluate(list(arg, where).get(0), refs, where);
            case "Fn::And":
                return list(arg, where).stream().allMatch(e -> evaluate(e, refs, where));
            case "Fn::Or":
                return list(arg, where).stream().anyMatch(e -> evaluate(e, refs, where));
            case "Condition":
                return condition(String.valueOf(arg), refs, where);
            default:
                throw new UnsupportedTemplateException(where, "condition function " + fn + " is not supported locally");
        }
    }

    private String ref(String name, ResourceRefs refs, String where) {
        switch (name) {
            case "AWS::Region":
                return REGION;
            case "AWS::AccountId":
                return ACCOUNT_ID;
            case "AWS::StackName":
                return stackName();
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            default:
                break;
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        String value = resources.containsKey(name) ? refs.ref(name) : null;
        if (value == null) {
            throw new UnsupportedTemplateException(where, "!Ref " + name + " cannot be resolved locally");
        }
        return value;
    }

    private String getAtt(String logicalId, String attribute, ResourceRefs refs, String where) {
        String value = resources.containsKey(logicalId) ? refs.getAtt(logicalId, attribute) : null;
        if (value == null) {
            throw new UnsupportedTemplateException(where, "!GetAtt " + logicalId + "." + attribute + " cannot be resolved locally");
        }
        return value;
    }

    private String sub(Object arg, ResourceRefs refs, String where) {
        String text;
        Map<String, Object> vars = Map.of();
        if (arg instanceof List<?> parts) {
            text = String.valueOf(parts.get(0));
            vars = map(parts.get(1), where);
        } else {
            text = String.valueOf(arg);
        }
        Matcher m = SUB_VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String var = m.group(1);
            String replacement;
            if (var.startsWith("!")) {
                replacement = "${" + var.substring(1) + "}"; // ${!Literal} escapes
            } else if (vars.containsKey(var)) {
                replacement = String.valueOf(resolve(vars.get(var), refs, where));
            } else if (var.contains(".") && !var.startsWith("AWS::")) {
                String[] parts = var.split("\\.", 2);
                replacement = getAtt(parts[0], parts[1], refs, where);
            } else {
                replacement = ref(var, refs, where);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new UnsupportedTemplateException(where, "expected a mapping");
        }
        return (Map<String, Object>) value;
    }

    static List<?> list(Object value, String where) {
        if (!(value instanceof List<?> l)) {
            throw new UnsupportedTemplateException(where, "expected a list");
        }
        return l;
    }
}
