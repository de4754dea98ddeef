package com.onepoint.devkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Issue 11 items 2 (at most two readers per table stream), 4 and 5, as rules over a template's YAML (short tags in their long form): each rule that fails adds
 * one line naming the resource. The DLQs are found by what the template says is one (a redrive target, a stream's
 * on-failure destination, a DeadLetterConfig), so a new queue of that kind is covered without touching this class.
 */
final class OperationsRules {
    static final String FUNCTION = "AWS::Serverless::Function";
    static final String ALARM = "AWS::CloudWatch::Alarm";
    static final List<String> GATEWAY_RESPONSES = List.of("UNAUTHORIZED", "ACCESS_DENIED", "THROTTLED", "DEFAULT_4XX",
            "DEFAULT_5XX");
    static final Map<String, Integer> GATEWAY_STATUS = Map.of("UNAUTHORIZED", 401, "ACCESS_DENIED", 403, "THROTTLED", 429);
    private static final Set<String> SCHEDULE_EVENTS = Set.of("Schedule", "ScheduleV2", "EventBridgeRule");
    /** DynamoDB Streams: more readers per shard than this are throttled, and every reader lags. */
    static final int MAX_STREAM_READERS = 2;

    private final Map<String, Object> root;
    private final Map<String, Object> resources;
    private final List<String> violations = new ArrayList<>();

    private OperationsRules(Map<String, Object> root) {
        this.root = root;
        this.resources = map(root.get("Resources"));
    }

    /** Every violation of items 4 and 5 in {@code template}; empty when it follows them all. */
    static List<String> check(Map<String, Object> template) {
        OperationsRules rules = new OperationsRules(template);
        rules.functions();
        rules.deadLetterQueues();
        rules.streams();
        rules.streamReaders();
        rules.ruleAndScheduleTargets();
        rules.queues();
        rules.api();
        rules.alarmsNotify();
        rules.outputs();
        return rules.violations;
    }

    private void functions() {
        Map<String, Object> globals = map(map(root.get("Globals")).get("Function"));
        for (String fn : ofType(FUNCTION)) {
            Map<String, Object> props = props(fn);
            if (!List.of("arm64").equals(props.getOrDefault("Architectures", globals.get("Architectures")))) {
                violations.add(fn + " is not arm64");
            }
            if (!"Active".equals(props.getOrDefault("Tracing", globals.get("Tracing")))) {
                violations.add(fn + " is not traced (Tracing: Active)");
            }
            String group = refOf(map(props.get("LoggingConfig")).get("LogGroup"));
            if (group == null || !"AWS::Logs::LogGroup".equals(type(group))) {
                violations.add(fn + " has no log group of its own (LoggingConfig.LogGroup: !Ref a LogGroup)");
                continue;
            }
            if (props(group).get("RetentionInDays") == null) {
                violations.add(group + " (log group of " + fn + ") keeps logs forever: no RetentionInDays");
            }
            String expected = "/aws/lambda/" + subText(props.get("FunctionName"));
            if (!expected.equals(subText(props(group).get("LogGroupName")))) {
                violations.add(group + " is not named " + expected + " (the group Lambda writes " + fn + "'s logs to)");
            }
        }
    }

    /** A redrive target, a stream's on-failure destination or a DeadLetterConfig: each needs a depth alarm. */
    private void deadLetterQueues() {
        Set<String> dlqs = new LinkedHashSet<>();
        for (String q : ofType("AWS::SQS::Queue")) {
            addGetAtt(dlqs, map(props(q).get("RedrivePolicy")).get("deadLetterTargetArn"));
        }
        for (String fn : ofType(FUNCTION)) {
            for (Map<String, Object> event : events(fn).values()) {
                Map<String, Object> p = map(event.get("Properties"));
                addGetAtt(dlqs, map(map(p.get("DestinationConfig")).get("OnFailure")).get("Destination"));
                addGetAtt(dlqs, map(p.get("DeadLetterConfig")).get("Arn"));
            }
        }
        for (String rule : ofType("AWS::Events::Rule")) {
            for (Object target : list(props(rule).get("Targets"))) {
                addGetAtt(dlqs, map(map(target).get("DeadLetterConfig")).get("Arn"));
            }
        }
        if (dlqs.isEmpty()) {
            violations.add("no dead-letter or failure queue found: the rules below would check nothing");
        }
        for (String q : dlqs) {
            boolean alarmed = ofType(ALARM).stream().map(this::props).anyMatch(a -> "AWS/SQS".equals(a.get("Namespace"))
                    && "ApproximateNumberOfMessagesVisible".equals(a.get("MetricName"))
                    && dimensionNames(a, "QueueName").contains(q) && zeroThreshold(a));
            if (!alarmed) {
                violations.add(q + " (a dead-letter or failure queue) has no ApproximateNumberOfMessagesVisible > 0 alarm");
            }
        }
    }

    private void streams() {
        for (String fn : ofType(FUNCTION)) {
            boolean readsStream = events(fn).values().stream().anyMatch(e -> "DynamoDB".equals(e.get("Type")));
            boolean alarmed = ofType(ALARM).stream().map(this::props).anyMatch(a -> "AWS/Lambda".equals(a.get("Namespace"))
                    && "IteratorAge".equals(a.get("MetricName")) && dimensionNames(a, "FunctionName").contains(fn));
            if (readsStream && !alarmed) {
                violations.add(fn + " reads a table stream and has no IteratorAge alarm");
            }
            boolean errors = ofType(ALARM).stream().map(this::props).anyMatch(a -> "AWS/Lambda".equals(a.get("Namespace"))
                    && "Errors".equals(a.get("MetricName")) && dimensionNames(a, "FunctionName").contains(fn));
            if (!errors) {
                violations.add(fn + " has no Lambda Errors alarm");
            }
        }
        for (String mapping : ofType("AWS::Lambda::EventSourceMapping")) {
            violations.add(mapping + ": an explicit event source mapping; these rules only know SAM's DynamoDB events");
        }
    }

    /** Every DynamoDB event of every function counts as one event-source mapping on its table's stream. */
    private void streamReaders() {
        Map<String, List<String>> readers = new java.util.LinkedHashMap<>();
        for (String fn : ofType(FUNCTION)) {
            events(fn).forEach((name, event) -> {
                if ("DynamoDB".equals(event.get("Type"))) {
                    Set<String> table = new LinkedHashSet<>();
                    addGetAtt(table, map(event.get("Properties")).get("Stream"));
                    String key = table.isEmpty() ? "a stream not named by !GetAtt <table>.StreamArn" : table.iterator().next();
                    readers.computeIfAbsent(key, k -> new ArrayList<>()).add(fn + "." + name);
                }
            });
        }
        readers.forEach((table, mappings) -> {
            if (mappings.size() > MAX_STREAM_READERS) {
                violations.add(table + "'s stream has " + mappings.size() + " event-source mappings " + mappings
                        + ": at most " + MAX_STREAM_READERS);
            }
        });
    }

    private void ruleAndScheduleTargets() {
        for (String rule : ofType("AWS::Events::Rule")) {
            List<Object> targets = list(props(rule).get("Targets"));
            for (int i = 0; i < targets.size(); i++) {
                String where = rule + ".Targets[" + i + "]";
                String dlq = retriesAndDeadLetter(map(targets.get(i)), where);
                if (dlq != null && !eventsMaySend(dlq, rule)) {
                    violations.add(where + ": no QueuePolicy lets events.amazonaws.com send to " + dlq);
                }
            }
        }
        for (String fn : ofType(FUNCTION)) {
            events(fn).forEach((name, event) -> {
                if (SCHEDULE_EVENTS.contains(String.valueOf(event.get("Type")))) {
                    retriesAndDeadLetter(map(event.get("Properties")), fn + ".Events." + name);
                }
            });
        }
        for (String schedule : ofType("AWS::Scheduler::Schedule")) {
            retriesAndDeadLetter(map(props(schedule).get("Target")), schedule + ".Target");
        }
    }

    /** The target's DLQ logical id, or null after recording what is missing. */
    private String retriesAndDeadLetter(Map<String, Object> target, String where) {
        Map<String, Object> retry = map(target.get("RetryPolicy"));
        if (retry.get("MaximumRetryAttempts") == null || retry.get("MaximumEventAgeInSeconds") == null) {
            violations.add(where + " has no RetryPolicy with MaximumRetryAttempts and MaximumEventAgeInSeconds");
        }
        Set<String> dlq = new LinkedHashSet<>();
        addGetAtt(dlq, map(target.get("DeadLetterConfig")).get("Arn"));
        if (dlq.isEmpty()) {
            violations.add(where + " has no DeadLetterConfig (Arn: !GetAtt <queue>.Arn)");
            return null;
        }
        return dlq.iterator().next();
    }

    private boolean eventsMaySend(String queue, String rule) {
        for (String policy : ofType("AWS::SQS::QueuePolicy")) {
            Map<String, Object> p = props(policy);
            boolean forQueue = list(p.get("Queues")).stream().anyMatch(q -> queue.equals(refOf(q)));
            for (Object statement : list(map(p.get("PolicyDocument")).get("Statement"))) {
                Map<String, Object> s = map(statement);
                if (forQueue && "Allow".equals(s.get("Effect"))
                        && "events.amazonaws.com".equals(map(s.get("Principal")).get("Service"))
                        && "sqs:SendMessage".equals(s.get("Action"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void queues() {
        for (String q : ofType("AWS::SQS::Queue")) {
            Map<String, Object> r = map(resources.get(q));
            if (!"Retain".equals(r.get("DeletionPolicy")) || !"Retain".equals(r.get("UpdateReplacePolicy"))) {
                violations.add(q + " lacks DeletionPolicy: Retain and UpdateReplacePolicy: Retain");
            }
        }
    }

    private void api() {
        for (String api : ofType("AWS::Serverless::Api")) {
            Map<String, Object> props = props(api);
            if (!Boolean.TRUE.equals(props.get("TracingEnabled"))) {
                violations.add(api + " is not traced (TracingEnabled: true)");
            }
            Map<String, Object> access = map(props.get("AccessLogSetting"));
            Set<String> group = new LinkedHashSet<>();
            addGetAtt(group, access.get("DestinationArn"));
            if (group.isEmpty() || props(group.iterator().next()).get("RetentionInDays") == null) {
                violations.add(api + " has no access log group with a retention (AccessLogSetting.DestinationArn)");
            }
            JsonNode format = json(String.valueOf(access.get("Format")));
            for (String field : List.of("requestId", "status", "path", "latency")) {
                if (format == null || !format.has(field)) {
                    violations.add(api + " access log format lacks " + field);
                }
            }
            Map<String, Object> responses = map(props.get("GatewayResponses"));
            for (String type : GATEWAY_RESPONSES) {
                gatewayResponse(api + ".GatewayResponses." + type, type, map(responses.get(type)));
            }
            boolean fiveXx = ofType(ALARM).stream().map(this::props).anyMatch(a -> "AWS/ApiGateway".equals(a.get("Namespace"))
                    && "5XXError".equals(a.get("MetricName")) && zeroThreshold(a));
            if (!fiveXx) {
                violations.add(api + " has no 5XXError alarm");
            }
        }
    }

    /** The body is the SPEC error shape once API Gateway fills its variables in. */
    private void gatewayResponse(String where, String type, Map<String, Object> response) {
        Integer status = GATEWAY_STATUS.get(type);
        if (status != null && !String.valueOf(status).equals(String.valueOf(response.get("StatusCode")))) {
            violations.add(where + " is not StatusCode " + status);
        }
        Object template = map(response.get("ResponseTemplates")).get("application/json");
        JsonNode body = template == null ? null : json(String.valueOf(template)
                .replace("$context.error.messageString", "\"a message\"")
                .replaceAll("\\$context\\.error\\.responseType", "SOME_RESPONSE_TYPE")
                .replaceAll("\\$context\\.[A-Za-z.]+", "a-value"));
        JsonNode error = body == null ? null : body.get("error");
        boolean shaped = error != null && body.size() == 1 && error.path("code").asText().matches("[A-Z][A-Z0-9_]*")
                && error.path("message").isTextual() && !error.path("message").asText().isBlank()
                && error.path("details").isObject();
        if (!shaped) {
            violations.add(where + " has no application/json body {\"error\":{\"code\":\"UPPER_SNAKE\",\"message\":...,"
                    + "\"details\":{...}}}: " + template);
        }
    }

    private void alarmsNotify() {
        for (String alarm : ofType(ALARM)) {
            List<Object> actions = list(props(alarm).get("AlarmActions"));
            if (actions.isEmpty() || !actions.stream().allMatch(a -> "AWS::SNS::Topic".equals(type(refOf(a))))) {
                violations.add(alarm + " does not notify an SNS topic of the template (AlarmActions)");
            }
        }
        Map<String, Object> email = map(map(root.get("Parameters")).get("AlarmEmail"));
        boolean subscribed = ofType("AWS::SNS::Subscription").stream()
                .anyMatch(s -> map(resources.get(s)).get("Condition") != null && "AlarmEmail".equals(refOf(props(s).get("Endpoint"))));
        if (!"".equals(email.get("Default")) || !subscribed) {
            violations.add("no optional AlarmEmail parameter (default empty) subscribed under a Condition");
        }
    }

    private void outputs() {
        Set<String> referenced = new LinkedHashSet<>();
        for (Object output : map(root.get("Outputs")).values()) {
            Object value = map(output).get("Value");
            if (refOf(value) != null) {
                referenced.add(refOf(value));
            }
            String sub = subText(value);
            if (sub != null && sub.contains("${") && sub.contains(".execute-api.")) {
                referenced.add("API URL");
            }
        }
        List<String> wanted = new ArrayList<>(List.of("API URL"));
        wanted.addAll(ofType("AWS::Events::EventBus"));
        wanted.addAll(ofType("AWS::SQS::Queue"));
        wanted.addAll(ofType("AWS::DynamoDB::Table"));
        for (String w : wanted) {
            if (!referenced.contains(w)) {
                violations.add("Outputs do not name " + w);
            }
        }
    }

    // ---------------------------------------------------------------- template access

    private List<String> ofType(String type) {
        return resources.keySet().stream().filter(id -> type.equals(type(id))).toList();
    }

    private String type(String logicalId) {
        return logicalId == null ? null : (String) map(resources.get(logicalId)).get("Type");
    }

    private Map<String, Object> props(String logicalId) {
        return map(map(resources.get(logicalId)).get("Properties"));
    }

    private Map<String, Map<String, Object>> events(String fn) {
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        map(props(fn).get("Events")).forEach((name, event) -> out.put(name, map(event)));
        return out;
    }

    /** The logical ids an alarm's dimension of this name refers to (!Ref X or !GetAtt X.Attr). */
    private static Set<String> dimensionNames(Map<String, Object> alarm, String name) {
        Set<String> out = new LinkedHashSet<>();
        for (Object d : list(alarm.get("Dimensions"))) {
            if (name.equals(map(d).get("Name"))) {
                Object value = map(d).get("Value");
                out.add(refOf(value));
                addGetAtt(out, value);
            }
        }
        out.remove(null);
        return out;
    }

    private static boolean zeroThreshold(Map<String, Object> alarm) {
        return "GreaterThanThreshold".equals(alarm.get("ComparisonOperator"))
                && Objects.equals(0, alarm.get("Threshold") instanceof Number n ? n.intValue() : null);
    }

    private static String refOf(Object value) {
        return value instanceof Map<?, ?> m && m.get("Ref") instanceof String s ? s : null;
    }

    private static void addGetAtt(Set<String> out, Object value) {
        if (value instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof List<?> parts && !parts.isEmpty()) {
            out.add(String.valueOf(parts.get(0)));
        }
    }

    private static String subText(Object value) {
        if (value instanceof Map<?, ?> m && m.get("Fn::Sub") != null) {
            Object sub = m.get("Fn::Sub");
            return String.valueOf(sub instanceof List<?> l ? l.get(0) : sub);
        }
        return value instanceof String s ? s : null;
    }

    private static JsonNode json(String text) {
        try {
            return Json.read(text);
        } catch (Exception e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List ? (List<Object>) value : List.of();
    }
}
