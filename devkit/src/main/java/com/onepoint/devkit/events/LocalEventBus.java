package com.onepoint.devkit.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.CompositeRefs;
import com.onepoint.devkit.FunctionInvoker;
import com.onepoint.devkit.FunctionRefs;
import com.onepoint.devkit.Props;
import com.onepoint.devkit.ResourceRefs;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.UnsupportedTemplateException;
import com.onepoint.devkit.sqs.LocalSqs;
import com.onepoint.devkit.json.Json;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.event.ruler.Machine;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * EventBridge in this JVM: the {@code default} bus plus one per {@code AWS::Events::EventBus}; the event-pattern
 * rules of {@code AWS::Events::Rule} resources and of functions' {@code EventBridgeRule} events, matched with
 * event-ruler (the matcher EventBridge itself uses); delivery to queue and function targets through a
 * {@link TargetDispatcher}. Rules with a ScheduleExpression belong to the schedules, not here.
 * Resolves {@code !Ref Bus} (name), {@code !GetAtt Bus.Arn|Name}, {@code !Ref Rule} and {@code !GetAtt Rule.Arn}.
 */
public final class LocalEventBus implements AutoCloseable, ResourceRefs {
    private final java.util.concurrent.atomic.LongAdder published = new java.util.concurrent.atomic.LongAdder();
    public static final String BUS_TYPE = "AWS::Events::EventBus";
    public static final String RULE_TYPE = "AWS::Events::Rule";
    public static final String FUNCTION_EVENT_TYPE = "EventBridgeRule";
    public static final String DEFAULT_BUS = "default";
    private static final int MAX_ENTRY_BYTES = 256 * 1024;
    private static final Set<String> BUS_PROPS = Set.of("Name", "Description");
    private static final Set<String> BUS_AWS_ONLY = Set.of("Tags", "KmsKeyIdentifier", "Policy");
    private static final Set<String> RULE_PROPS = Set.of("Name", "Description", "EventBusName", "EventPattern", "State",
            "Targets");
    private static final Set<String> RULE_AWS_ONLY = Set.of("RoleArn");
    private static final Set<String> EVENT_PROPS = Set.of("Pattern", "EventBusName", "Input", "InputPath", "RuleName",
            "State", "Target", "RetryPolicy", "DeadLetterConfig");
    private static final String ARN_PREFIX = "arn:aws:events:" + SamTemplate.REGION + ":" + SamTemplate.ACCOUNT_ID + ":";

    /** A rule as created: where it listens, what it matches, where matches go. */
    public record Rule(String logicalId, String name, String busName, String arn, String pattern, boolean enabled,
                       List<RuleTarget> targets, String functionId, String eventName) {
        public String describe() {
            return "EventBridge rule " + name + " on bus " + busName + " " + pattern + (enabled ? "" : " (disabled)");
        }
    }

    private final Clock clock;
    private final Map<String, String> busNames = new LinkedHashMap<>(); // logical id -> name
    private final Map<String, Machine> machines = new LinkedHashMap<>(); // bus name -> its rules
    private final Map<String, Rule> rules = new LinkedHashMap<>(); // logical id -> rule
    private final TargetDispatcher dispatcher;

    private LocalEventBus(LocalSqs sqs, Clock clock) {
        this.clock = clock;
        this.dispatcher = new TargetDispatcher(sqs);
        machines.put(DEFAULT_BUS, Machine.builder().build());
    }

    /**
     * Creates the buses and event-pattern rules of the template. {@code others} resolves what is neither a queue,
     * a function nor a bus (tables, say); it may be null.
     */
    public static LocalEventBus start(SamTemplate template, LocalSqs sqs, ResourceRefs others, Clock clock) {
        LocalEventBus bus = new LocalEventBus(sqs, clock);
        try {
            FunctionRefs functions = new FunctionRefs(template);
            ResourceRefs refs = CompositeRefs.of(bus, sqs, functions, others);
            for (SamTemplate.Resource r : template.resourcesOfType(BUS_TYPE)) {
                bus.createBus(template, r, refs);
            }
            for (SamTemplate.Resource r : template.resourcesOfType(RULE_TYPE)) {
                if (!r.properties().containsKey("ScheduleExpression")) {
                    bus.createRule(template, r, refs, sqs, functions);
                } else if (r.properties().containsKey("EventPattern")) {
                    throw new UnsupportedTemplateException(r.where("EventPattern"),
                            "a rule with both ScheduleExpression and EventPattern is not supported locally");
                }
            }
            for (SamTemplate.Resource fn : template.resources().values()) {
                if (fn.type().equals(FunctionRefs.SERVERLESS_FUNCTION)) {
                    Props events = Props.of(fn.properties().get("Events"), fn.where("Events"));
                    for (String eventName : events.asMap().keySet()) {
                        Props event = events.props(eventName);
                        if (FUNCTION_EVENT_TYPE.equals(event.string("Type"))) {
                            bus.createFunctionRule(template, fn, eventName, event, refs, sqs, functions);
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
        return bus;
    }

    /** Attaches the local runtime that function targets are invoked through. */
    public void connect(FunctionInvoker invoker) {
        dispatcher.connect(invoker);
    }

    public TargetDispatcher dispatcher() {
        return dispatcher;
    }

    /** An EventBridge SDK client whose putEvents lands on this bus: handler code stays the code that runs in AWS. */
    public EventBridgeClient client() {
        return new LocalEventBridgeClient(this);
    }

    /** Bus names, {@code default} first. */
    public Set<String> buses() {
        return Set.copyOf(machines.keySet());
    }

    public List<Rule> rules() {
        return List.copyOf(rules.values());
    }

    /** The rules a function's EventBridgeRule events created, for the runtime's startup listing. */
    public List<Rule> rulesOf(String functionId) {
        return rules.values().stream().filter(r -> functionId.equals(r.functionId())).toList();
    }

    /** PutEvents with the SDK's request type; see {@link #put(PutEventsRequestEntry...)}. */
    /** Events accepted since the bus started (what EventBridge bills: one per event up to 64 KB). */
    public long published() {
        return published.sum();
    }

    public PutEventsResponse putEvents(PutEventsRequest request) {
        return put(request.entries().toArray(PutEventsRequestEntry[]::new));
    }

    /**
     * Publishes up to 10 entries. Each valid entry becomes an event envelope that every matching enabled rule of its
     * bus delivers to its targets; an invalid one is reported in its result entry, as PutEvents does.
     */
    public PutEventsResponse put(PutEventsRequestEntry... entries) {
        if (entries.length < 1 || entries.length > 10) {
            throw EventBridgeException.builder().statusCode(400).message("1 to 10 entries per PutEvents call, got " + entries.length)
                    .awsErrorDetails(AwsErrorDetails.builder().serviceName("EventBridge").errorCode("ValidationException")
                            .errorMessage("1 to 10 entries per PutEvents call").build()).build();
        }
        List<PutEventsResultEntry> results = new ArrayList<>();
        int failed = 0;
        for (PutEventsRequestEntry entry : entries) {
            PutEventsResultEntry result = putOne(entry);
            if (result.errorCode() == null) {
                published.increment();
            }
            if (result.errorCode() != null) {
                failed++;
            }
            results.add(result);
        }
        return PutEventsResponse.builder().failedEntryCount(failed).entries(results).build();
    }

    private PutEventsResultEntry putOne(PutEventsRequestEntry entry) {
        String busName = busName(entry.eventBusName());
        if (!machines.containsKey(busName)) {
            return error("ResourceNotFoundException", "Event bus " + busName + " does not exist.");
        }
        if (blank(entry.source())) {
            return error("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.");
        }
        if (blank(entry.detailType())) {
            return error("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
        }
        if (blank(entry.detail())) {
            return error("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.");
        }
        JsonNode detail;
        try {
            detail = Json.read(entry.detail());
        } catch (Exception e) {
            detail = null;
        }
        if (detail == null || !detail.isObject()) {
            return error("MalformedDetail", "Detail is malformed.");
        }
        String id = UUID.randomUUID().toString();
        EventEnvelope envelope = new EventEnvelope(id, entry.detailType(), entry.source(),
                entry.time() != null ? entry.time() : clock.instant(), entry.resources(), detail);
        String json = envelope.toJson();
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_ENTRY_BYTES) {
            return error("InvalidArgument", "Total size of the entries in the request is over the limit.");
        }
        deliver(busName, json);
        return PutEventsResultEntry.builder().eventId(id).build();
    }

    private void deliver(String busName, String envelopeJson) {
        List<String> matched;
        try {
            matched = machines.get(busName).rulesForJSONEvent(envelopeJson);
        } catch (Exception e) {
            throw new IllegalStateException("event-ruler could not match " + envelopeJson, e);
        }
        for (String ruleId : matched) {
            Rule rule = rules.get(ruleId);
            for (RuleTarget target : rule.targets()) {
                dispatcher.deliver(rule.arn(), target, envelopeJson);
            }
        }
    }

    /** Waits until every function delivery accepted so far has finished; false on timeout. */
    public boolean awaitIdle(Duration timeout) {
        return dispatcher.awaitIdle(timeout);
    }

    private static PutEventsResultEntry error(String code, String message) {
        return PutEventsResultEntry.builder().errorCode(code).errorMessage(message).build();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A bus named by name or ARN; null or empty is the default bus. */
    static String busName(String nameOrArn) {
        if (blank(nameOrArn)) {
            return DEFAULT_BUS;
        }
        int slash = nameOrArn.lastIndexOf("event-bus/");
        return nameOrArn.startsWith("arn:") && slash >= 0 ? nameOrArn.substring(slash + "event-bus/".length()) : nameOrArn;
    }

    private void createBus(SamTemplate template, SamTemplate.Resource r, ResourceRefs refs) {
        String where = r.logicalId() + " (" + r.type() + ")";
        new Props(r.properties(), where).only(BUS_PROPS, BUS_AWS_ONLY);
        Props props = Props.of(template.resolve(honoured(r.properties(), BUS_PROPS), refs, where), where);
        String name = props.required("Name");
        if (machines.containsKey(name)) {
            throw new UnsupportedTemplateException(props.where("Name"), "bus " + name + " is declared twice");
        }
        busNames.put(r.logicalId(), name);
        machines.put(name, Machine.builder().build());
    }

    private void createRule(SamTemplate template, SamTemplate.Resource r, ResourceRefs refs, LocalSqs sqs,
                            FunctionRefs functions) {
        String where = r.logicalId() + " (" + r.type() + ")";
        new Props(r.properties(), where).only(RULE_PROPS, RULE_AWS_ONLY);
        Props props = Props.of(template.resolve(honoured(r.properties(), RULE_PROPS), refs, where), where);
        String busName = knownBus(props, "EventBusName");
        String name = props.has("Name") ? props.string("Name") : template.stackName() + "-" + r.logicalId();
        List<RuleTarget> targets = new ArrayList<>();
        List<?> declared = props.list("Targets");
        for (int i = 0; i < declared.size(); i++) {
            targets.add(RuleTarget.of(Props.of(declared.get(i), props.where("Targets[" + i + "]")), sqs, functions));
        }
        addRule(new Rule(r.logicalId(), name, busName, ruleArn(busName, name), pattern(props, "EventPattern"),
                enabled(props), targets, null, null), props.where("EventPattern"));
    }

    private void createFunctionRule(SamTemplate template, SamTemplate.Resource fn, String eventName, Props event,
                                    ResourceRefs refs, LocalSqs sqs, FunctionRefs functions) {
        String where = fn.where("Events." + eventName + ".Properties");
        Object raw = event.raw("Properties");
        Props.of(raw, where).only(EVENT_PROPS, Set.of());
        Props props = Props.of(template.resolve(raw, refs, where), where);
        props.props("Target").only(Set.of("Id"), Set.of());
        String busName = knownBus(props, "EventBusName");
        // SAM names the rule resource <Function><Event>; its physical name is generated unless RuleName is set
        String logicalId = fn.logicalId() + eventName;
        String name = props.has("RuleName") ? props.string("RuleName") : template.stackName() + "-" + logicalId;
        RuleTarget target = RuleTarget.function(fn.logicalId(), functions.arn(fn.logicalId()), TargetInput.of(props), props, sqs);
        addRule(new Rule(logicalId, name, busName, ruleArn(busName, name), pattern(props, "Pattern"), enabled(props),
                List.of(target), fn.logicalId(), eventName), props.where("Pattern"));
    }

    private String knownBus(Props props, String property) {
        String busName = busName(props.string(property));
        if (!machines.containsKey(busName)) {
            throw new UnsupportedTemplateException(props.where(property), "bus " + busName + " is not in this template");
        }
        return busName;
    }

    private static boolean enabled(Props props) {
        String state = props.has("State") ? props.string("State") : "ENABLED";
        return switch (state) {
            case "ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" -> true;
            case "DISABLED" -> false;
            default -> throw new UnsupportedTemplateException(props.where("State"), "unknown state " + state);
        };
    }

    /** An event pattern written as a YAML mapping (usual) or as a JSON string. */
    private static String pattern(Props props, String property) {
        Object raw = props.raw(property);
        if (raw == null) {
            throw new UnsupportedTemplateException(props.where(property), "is required");
        }
        return raw instanceof String s ? s : Json.write(raw);
    }

    private void addRule(Rule rule, String where) {
        if (rules.containsKey(rule.logicalId())) {
            throw new UnsupportedTemplateException(where, "rule " + rule.logicalId() + " is declared twice");
        }
        if (rule.enabled()) {
            try {
                machines.get(rule.busName()).addRule(rule.logicalId(), rule.pattern());
            } catch (Exception e) {
                throw new UnsupportedTemplateException(where, "is not a valid event pattern: " + e.getMessage());
            }
        }
        rules.put(rule.logicalId(), rule);
    }

    private static Map<String, Object> honoured(Map<String, Object> properties, Set<String> supported) {
        Map<String, Object> out = new LinkedHashMap<>(properties);
        out.keySet().retainAll(supported);
        return out;
    }

    static String ruleArn(String busName, String ruleName) {
        return ARN_PREFIX + "rule/" + (busName.equals(DEFAULT_BUS) ? "" : busName + "/") + ruleName;
    }

    @Override
    public String ref(String logicalId) {
        if (busNames.containsKey(logicalId)) {
            return busNames.get(logicalId);
        }
        Rule rule = rules.get(logicalId);
        if (rule == null) {
            return null;
        }
        return rule.busName().equals(DEFAULT_BUS) ? rule.name() : rule.busName() + "|" + rule.name();
    }

    @Override
    public String getAtt(String logicalId, String attribute) {
        if (busNames.containsKey(logicalId)) {
            return switch (attribute) {
                case "Arn" -> ARN_PREFIX + "event-bus/" + busNames.get(logicalId);
                case "Name" -> busNames.get(logicalId);
                default -> null;
            };
        }
        Rule rule = rules.get(logicalId);
        return rule != null && attribute.equals("Arn") ? rule.arn() : null;
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}
