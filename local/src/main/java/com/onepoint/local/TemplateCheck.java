package com.onepoint.local;

import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.UnsupportedTemplateException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refuses, before anything starts, every template construct the local runtime would not honour: an unknown resource
 * type, function property, event type or API setting stops startup naming the resource and property. A construct
 * that only matters in AWS (tags, tracing, IAM policies) is listed here by name, so nothing is ignored by accident.
 */
final class TemplateCheck {
    static final String FUNCTION = "AWS::Serverless::Function";
    static final String API = "AWS::Serverless::Api";
    static final String API_EVENT = "Api";

    /** Function properties the runtime honours (Handler, Environment, Events, ...) or that change nothing locally. */
    static final Set<String> FUNCTION_PROPERTIES = Set.of("Handler", "CodeUri", "Runtime", "MemorySize", "Timeout",
            "Environment", "Events", "Policies", "FunctionName", "Description", "Architectures", "LoggingConfig",
            "Tracing", "AutoPublishAlias", "SnapStart", "ReservedConcurrentExecutions");
    /** SnapStart's values: a snapshot of each published version, or none. */
    static final Set<String> SNAPSTART_APPLY_ON = Set.of("PublishedVersions", "None");
    /** StageName is honoured; the others only shape the API in AWS. */
    static final Set<String> API_PROPERTIES = Set.of("StageName", "Name", "Description", "EndpointConfiguration",
            "TracingEnabled", "OpenApiVersion", "Tags", "MethodSettings", "AccessLogSetting", "Auth", "GatewayResponses",
            "DefinitionBody", "MergeDefinitions");
    static final Set<String> API_EVENT_PROPERTIES = Set.of("RestApiId", "Path", "Method", "Auth");
    static final Set<String> HTTP_METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options", "any");
    /**
     * Resource types with no local behaviour: logging, alarms and their topic, permissions (the local runtime enforces
     * no IAM); each with the words the serve banner counts it in (singular, plural).
     */
    static final Map<String, List<String>> AWS_ONLY_RESOURCES = orderedMap(
            "AWS::CloudWatch::Alarm", List.of("alarm", "alarms"),
            "AWS::SNS::Topic", List.of("SNS topic", "SNS topics"),
            "AWS::SNS::Subscription", List.of("SNS subscription", "SNS subscriptions"),
            "AWS::Logs::LogGroup", List.of("log group", "log groups"),
            "AWS::SQS::QueuePolicy", List.of("queue policy", "queue policies"),
            "AWS::Lambda::Permission", List.of("Lambda permission", "Lambda permissions"),
            "AWS::IAM::Role", List.of("IAM role", "IAM roles"),
            "AWS::IAM::Policy", List.of("IAM policy", "IAM policies"),
            "AWS::IAM::ManagedPolicy", List.of("IAM managed policy", "IAM managed policies"));
    static final Set<String> AWS_ONLY_RESOURCE_TYPES = AWS_ONLY_RESOURCES.keySet();
    static final Set<String> CORE_RESOURCE_TYPES = Set.of(FUNCTION, API, LocalDynamo.TABLE_TYPE);
    private static final Set<String> RESOURCE_KEYS = Set.of("Type", "Properties", "DependsOn", "DeletionPolicy",
            "UpdateReplacePolicy", "Metadata", "Condition");

    private TemplateCheck() {
    }

    /**
     * Throws for the first unsupported construct; its message also lists every other one, so a template that needs
     * several emulators is fixed in one pass.
     *
     * @param extensionEventTypes    event types some registered extension delivers
     * @param extensionResourceTypes resource types some registered extension stands up
     */
    static void verify(SamTemplate template, Set<String> extensionEventTypes, Set<String> extensionResourceTypes) {
        Map<String, Object> raw = template.document();
        List<UnsupportedTemplateException> problems = new ArrayList<>();
        collect(problems, () -> verifyGlobals(raw));
        Map<String, Object> rawResources = mapping(raw.get("Resources"), "Resources");
        String api = null;
        for (SamTemplate.Resource resource : template.resources().values()) {
            if (resource.type().equals(API)) {
                if (api != null) {
                    problems.add(new UnsupportedTemplateException(resource.where("Type"),
                            "the local runtime serves one REST API; " + api + " is already served"));
                }
                api = resource.logicalId();
            }
            collect(problems, () -> verifyResource(template, resource,
                    mapping(rawResources.get(resource.logicalId()), resource.logicalId()), extensionEventTypes,
                    extensionResourceTypes));
        }
        if (problems.size() == 1) {
            throw problems.get(0);
        }
        if (problems.size() > 1) {
            StringBuilder others = new StringBuilder();
            for (UnsupportedTemplateException p : problems.subList(1, problems.size())) {
                others.append(System.lineSeparator()).append("  and ").append(p.getMessage());
            }
            UnsupportedTemplateException first = problems.get(0);
            UnsupportedTemplateException all = new UnsupportedTemplateException(first.getMessage(), "(" + (problems.size() - 1)
                    + " more below)" + others);
            throw all;
        }
    }

    /**
     * What the template declares that the runtime accepts without emulating, for the serve banner, e.g. "25 alarms",
     * "1 SNS topic", "X-Ray tracing", "API access logs". Counts come from the template, so the banner cannot drift.
     */
    static List<String> acceptedNotEmulated(SamTemplate template) {
        Map<String, Object> raw = template.document();
        Map<String, Object> rawResources = mapping(raw.get("Resources"), "Resources");
        List<String> out = new ArrayList<>();
        AWS_ONLY_RESOURCES.forEach((type, words) -> {
            List<SamTemplate.Resource> declared = template.resourcesOfType(type);
            long conditional = declared.stream()
                    .filter(r -> mapping(rawResources.get(r.logicalId()), r.logicalId()).containsKey("Condition")).count();
            int n = declared.size();
            if (n > 0) {
                out.add(n + " " + words.get(n == 1 ? 0 : 1) + (conditional == 0 ? "" : " (" + conditional + " under a Condition)"));
            }
        });
        List<SamTemplate.Resource> functions = template.resourcesOfType(FUNCTION);
        List<SamTemplate.Resource> apis = template.resourcesOfType(API);
        boolean traced = template.globals("Function").containsKey("Tracing")
                || functions.stream().anyMatch(fn -> fn.properties().containsKey("Tracing"))
                || apis.stream().anyMatch(api -> api.properties().containsKey("TracingEnabled"));
        if (traced) {
            out.add("X-Ray tracing");
        }
        // an alias and its versions: locally every invocation runs the one instance of the function
        long aliased = functions.stream().filter(fn -> fn.properties().containsKey("AutoPublishAlias")).count();
        if (aliased > 0) {
            out.add(aliased + (aliased == 1 ? " alias" : " aliases") + " (AutoPublishAlias)");
        }
        // the definition is served at /openapi.yaml, but its request validators run in API Gateway only; the
        // functions refuse the same bodies themselves
        if (apis.stream().anyMatch(api -> api.properties().containsKey("DefinitionBody"))) {
            out.add("request validation (the DefinitionBody's validators)");
        }
        if (apis.stream().anyMatch(api -> api.properties().containsKey("AccessLogSetting"))) {
            out.add("API access logs");
        }
        Object architectures = template.globals("Function").get("Architectures");
        if (architectures != null) {
            out.add("architectures " + architectures);
        }
        long retained = rawResources.values().stream()
                .filter(r -> r instanceof Map<?, ?> m && (m.containsKey("DeletionPolicy") || m.containsKey("UpdateReplacePolicy")))
                .count();
        if (retained > 0) {
            out.add(retained + " deletion policies");
        }
        int outputs = mapping(raw.get("Outputs"), "Outputs").size();
        if (outputs > 0) {
            out.add(outputs + " outputs");
        }
        return out;
    }

    /** A map that keeps the order it was written in (Map.of does not). */
    private static Map<String, List<String>> orderedMap(Object... pairs) {
        Map<String, List<String>> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> words = (List<String>) pairs[i + 1];
            map.put((String) pairs[i], words);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    private static void collect(List<UnsupportedTemplateException> problems, Runnable check) {
        try {
            check.run();
        } catch (UnsupportedTemplateException e) {
            problems.add(e);
        }
    }

    private static void verifyResource(SamTemplate template, SamTemplate.Resource resource, Map<String, Object> raw,
                                       Set<String> extensionEventTypes, Set<String> extensionResourceTypes) {
        for (String key : raw.keySet()) {
            if (!RESOURCE_KEYS.contains(key)) {
                throw new UnsupportedTemplateException(resource.logicalId() + " (" + resource.type() + ")." + key,
                        "not supported by the local runtime");
            }
        }
        // a resource that may not exist is fine only where nothing local depends on it (an e-mail subscription, say)
        if (raw.containsKey("Condition") && !AWS_ONLY_RESOURCE_TYPES.contains(resource.type())) {
            throw new UnsupportedTemplateException(resource.logicalId() + " (" + resource.type() + ").Condition",
                    "a resource-level Condition is accepted only on resources with no local behaviour "
                            + AWS_ONLY_RESOURCE_TYPES);
        }
        String type = resource.type();
        if (type.equals(FUNCTION)) {
            verifyFunction(template, resource, extensionEventTypes);
        } else if (type.equals(API)) {
            verifyKeys(resource.properties().keySet(), API_PROPERTIES, resource::where);
            ApiAuthorizer.of(template, resource); // refuses an Auth shape the runtime cannot run
            GatewayResponses.of(resource); // and a gateway response it cannot answer
            ApiDocs.of(template, resource); // and a definition it cannot serve
        } else if (!CORE_RESOURCE_TYPES.contains(type) && !AWS_ONLY_RESOURCE_TYPES.contains(type)
                && !extensionResourceTypes.contains(type)) {
            throw new UnsupportedTemplateException(resource.where("Type"), type + " is not supported by the local runtime"
                    + " and no event-source extension stands it up");
        }
    }

    private static void verifyGlobals(Map<String, Object> raw) {
        for (Map.Entry<String, Object> section : mapping(raw.get("Globals"), "Globals").entrySet()) {
            Set<String> allowed = switch (section.getKey()) {
                case "Function" -> FUNCTION_PROPERTIES;
                case "Api" -> API_PROPERTIES;
                default -> throw new UnsupportedTemplateException("Globals." + section.getKey(),
                        "this Globals section is not supported by the local runtime");
            };
            verifyKeys(mapping(section.getValue(), "Globals." + section.getKey()).keySet(), allowed,
                    property -> "Globals." + section.getKey() + "." + property);
        }
    }

    private static void verifyFunction(SamTemplate template, SamTemplate.Resource fn, Set<String> extensionEventTypes) {
        verifyKeys(fn.properties().keySet(), FUNCTION_PROPERTIES, fn::where);
        Object runtime = fn.properties().getOrDefault("Runtime", template.globals("Function").get("Runtime"));
        if (runtime != null && !String.valueOf(runtime).startsWith("java")) {
            throw new UnsupportedTemplateException(fn.where("Runtime"), runtime + ": the local runtime runs Java functions only");
        }
        verifySnapStart(fn.properties().get("SnapStart"), fn.where("SnapStart"));
        Object handler = fn.properties().get("Handler");
        if (!(handler instanceof String h) || !h.matches("[\\w.$]+::handleRequest")) {
            throw new UnsupportedTemplateException(fn.where("Handler"),
                    "expected <class>::handleRequest of a RequestHandler, got " + handler);
        }
        for (Map.Entry<String, Object> event : mapping(fn.properties().get("Events"), fn.where("Events")).entrySet()) {
            String where = fn.where("Events." + event.getKey());
            Map<String, Object> body = mapping(event.getValue(), where);
            String type = String.valueOf(body.get("Type"));
            if (type.equals(API_EVENT)) {
                verifyApiEvent(template, mapping(body.get("Properties"), where + ".Properties"), where);
            } else if (!extensionEventTypes.contains(type)) {
                String why = EventSourceExtension.DELEGATED_EVENT_TYPES.contains(type)
                        ? "is delivered by an event-source extension and none is registered for it"
                        : "is not supported by the local runtime";
                throw new UnsupportedTemplateException(where + ".Type", "event type " + type + " " + why);
            }
        }
    }

    private static void verifySnapStart(Object snapStart, String where) {
        if (snapStart == null) {
            return;
        }
        Map<String, Object> props = mapping(snapStart, where);
        verifyKeys(props.keySet(), Set.of("ApplyOn"), property -> where + "." + property);
        if (!SNAPSTART_APPLY_ON.contains(String.valueOf(props.get("ApplyOn")))) {
            throw new UnsupportedTemplateException(where + ".ApplyOn", "must be one of " + SNAPSTART_APPLY_ON);
        }
    }

    /** Whether the function's published versions are snapshotted: the local runtime then runs its priming hooks. */
    static boolean snapStart(SamTemplate template, SamTemplate.Resource fn) {
        Object snapStart = fn.properties().getOrDefault("SnapStart", template.globals("Function").get("SnapStart"));
        return snapStart instanceof Map<?, ?> m && "PublishedVersions".equals(m.get("ApplyOn"));
    }

    private static void verifyApiEvent(SamTemplate template, Map<String, Object> props, String where) {
        verifyKeys(props.keySet(), API_EVENT_PROPERTIES, property -> where + ".Properties." + property);
        Object restApi = props.get("RestApiId");
        if (!(restApi instanceof Map<?, ?> ref) || !(ref.get("Ref") instanceof String apiId)
                || !template.resources().containsKey(apiId) || !template.resource(apiId).type().equals(API)) {
            throw new UnsupportedTemplateException(where + ".Properties.RestApiId",
                    "must be !Ref of the template's AWS::Serverless::Api (the implicit API is not served locally)");
        }
        if (!(props.get("Path") instanceof String path) || !path.startsWith("/")) {
            throw new UnsupportedTemplateException(where + ".Properties.Path", "must be a path starting with /");
        }
        if (!(props.get("Method") instanceof String method) || !HTTP_METHODS.contains(method.toLowerCase())) {
            throw new UnsupportedTemplateException(where + ".Properties.Method", "must be one of " + HTTP_METHODS);
        }
        if (props.containsKey("Auth")) {
            // the one per-route Auth the runtime honours: no authorizer for this route (a public page)
            Map<String, Object> auth = mapping(props.get("Auth"), where + ".Properties.Auth");
            if (!auth.keySet().equals(Set.of("Authorizer")) || !ApiRoute.NO_AUTHORIZER.equals(auth.get("Authorizer"))) {
                throw new UnsupportedTemplateException(where + ".Properties.Auth",
                        "only {Authorizer: NONE} is supported by the local runtime, got " + auth);
            }
        }
    }

    private static void verifyKeys(Set<String> keys, Set<String> allowed, java.util.function.Function<String, String> where) {
        for (String key : keys) {
            if (!allowed.contains(key)) {
                throw new UnsupportedTemplateException(where.apply(key), "not supported by the local runtime");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new UnsupportedTemplateException(where, "expected a mapping");
        }
        return (Map<String, Object>) value;
    }
}
