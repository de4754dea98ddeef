package com.onepoint.local;

import com.onepoint.devkit.ResourceRefs;
import com.onepoint.devkit.SamTemplate;

import java.util.LinkedHashMap;
import java.util.Map;

/** A function as the template declares it, resolved: name, handler class, memory, timeout and environment. */
record FunctionSpec(String logicalId, String functionName, String handlerClass, int memoryMb, int timeoutSeconds,
                    Map<String, String> environment) {
    /** Lambda's defaults when neither the function nor Globals set them. */
    static final int DEFAULT_MEMORY_MB = 128;
    static final int DEFAULT_TIMEOUT_SECONDS = 3;

    static FunctionSpec from(SamTemplate template, SamTemplate.Resource fn, ResourceRefs refs, LocalParameters parameters) {
        String name = functionName(template, fn, refs);
        String handler = String.valueOf(fn.properties().get("Handler"));
        int memory = intProperty(template, fn, refs, "MemorySize", DEFAULT_MEMORY_MB);
        int timeout = intProperty(template, fn, refs, "Timeout", DEFAULT_TIMEOUT_SECONDS);
        Map<String, String> env = new LinkedHashMap<>();
        template.functionEnvironment(fn.logicalId(), refs)
                .forEach((k, v) -> env.put(k, parameters.resolve(v, fn.where("Environment.Variables." + k))));
        // the variables Lambda itself sets (a template cannot): region, name, memory, version, log group
        env.put("AWS_REGION", SamTemplate.REGION);
        env.put("AWS_DEFAULT_REGION", SamTemplate.REGION);
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memory));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
        return new FunctionSpec(fn.logicalId(), name, handler.substring(0, handler.indexOf("::")), memory, timeout,
                Map.copyOf(env));
    }

    /** FunctionName when set; otherwise a stable stand-in for the name CloudFormation would generate. */
    static String functionName(SamTemplate template, SamTemplate.Resource fn, ResourceRefs refs) {
        Object name = fn.properties().get("FunctionName");
        return name == null ? template.stackName() + "-" + fn.logicalId()
                : template.resolveString(name, refs, fn.where("FunctionName"));
    }

    String arn() {
        return "arn:aws:lambda:" + SamTemplate.REGION + ":" + SamTemplate.ACCOUNT_ID + ":function:" + functionName;
    }

    private static int intProperty(SamTemplate template, SamTemplate.Resource fn, ResourceRefs refs, String property,
                                   int fallback) {
        Object value = fn.properties().getOrDefault(property, template.globals("Function").get(property));
        if (value == null) {
            return fallback;
        }
        String text = template.resolveString(value, refs, fn.where(property));
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new com.onepoint.devkit.UnsupportedTemplateException(fn.where(property), "expected a whole number, got " + text);
        }
    }
}
