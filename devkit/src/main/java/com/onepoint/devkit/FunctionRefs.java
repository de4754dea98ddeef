package com.onepoint.devkit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names and ARNs of the template's functions, as CloudFormation would give them: {@code !Ref Fn} is the function
 * name (FunctionName, or {@code <stack>-<LogicalId>}), {@code !GetAtt Fn.Arn} its ARN. Lets a rule or a destination
 * that names a function by ARN be traced back to the logical id the local runtime invokes.
 */
public final class FunctionRefs implements ResourceRefs {
    public static final String SERVERLESS_FUNCTION = "AWS::Serverless::Function";
    public static final String LAMBDA_FUNCTION = "AWS::Lambda::Function";
    private static final String ARN_PREFIX = "arn:aws:lambda:" + SamTemplate.REGION + ":" + SamTemplate.ACCOUNT_ID + ":function:";

    private final Map<String, String> names = new LinkedHashMap<>();

    public FunctionRefs(SamTemplate template) {
        ResourceRefs none = CompositeRefs.of();
        for (SamTemplate.Resource r : template.resources().values()) {
            if (!r.type().equals(SERVERLESS_FUNCTION) && !r.type().equals(LAMBDA_FUNCTION)) {
                continue;
            }
            Object declared = r.properties().get("FunctionName");
            names.put(r.logicalId(), declared == null ? template.stackName() + "-" + r.logicalId()
                    : template.resolveString(declared, none, r.where("FunctionName")));
        }
    }

    /** Logical id → function name. */
    public Map<String, String> names() {
        return Map.copyOf(names);
    }

    public String arn(String logicalId) {
        String name = names.get(logicalId);
        return name == null ? null : ARN_PREFIX + name;
    }

    /** The logical id of the function an ARN (optionally with :alias or :version) or a function name denotes, or null. */
    public String logicalIdOf(String arnOrName) {
        String name = arnOrName;
        if (arnOrName.startsWith("arn:")) {
            String[] parts = arnOrName.split(":");
            if (parts.length < 7 || !parts[2].equals("lambda") || !parts[5].equals("function")) {
                return null;
            }
            name = parts[6];
        }
        for (Map.Entry<String, String> e : names.entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        return null;
    }

    @Override
    public String ref(String logicalId) {
        return names.get(logicalId);
    }

    @Override
    public String getAtt(String logicalId, String attribute) {
        return attribute.equals("Arn") ? arn(logicalId) : null;
    }
}
