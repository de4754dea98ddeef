package com.onepoint.devkit;

import com.onepoint.devkit.events.LocalEventBus;
import com.onepoint.devkit.events.RuleTarget;
import com.onepoint.devkit.schedule.Schedules;
import com.onepoint.devkit.sqs.LocalSqs;
import com.onepoint.devkit.sqs.SqsPoller;
import com.onepoint.devkit.streams.StreamPoller;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything that invokes functions without an HTTP request, wired from the template: a {@link StreamPoller} per
 * {@code DynamoDB} event, an {@link SqsPoller} per {@code SQS} event (and per {@code AWS::Lambda::EventSourceMapping}
 * of a queue or stream), the {@link LocalEventBus}'s rules and every schedule ({@code Schedule}, {@code ScheduleV2},
 * {@code AWS::Scheduler::Schedule}, scheduled {@code AWS::Events::Rule}).
 *
 * <p>{@link #create} reads all of it and starts nothing: a property it cannot honour fails there with
 * {@link UnsupportedTemplateException} naming function, event and property. Then either {@link #startAll} or, for a
 * runtime that binds event by event, {@link #bind} per function event. Other event types (Api) are the runtime's;
 * {@link #handledEventTypes()} tells them apart.
 */
public final class EventSources implements AutoCloseable {
    public static final String EVENT_SOURCE_MAPPING = "AWS::Lambda::EventSourceMapping";
    private static final Set<String> HANDLED = Set.of(StreamPoller.EVENT_TYPE, SqsPoller.EVENT_TYPE,
            LocalEventBus.FUNCTION_EVENT_TYPE, Schedules.SCHEDULE, Schedules.SCHEDULE_V2);
    /** Mapping properties that become the function and the Queue/Stream of the equivalent SAM event. */
    private static final Set<String> MAPPING_TRANSLATED = Set.of("FunctionName", "EventSourceArn");

    /** One function event (or event source mapping) not started yet: how to describe it and how to start it. */
    private record Source(String functionId, String description, Function<FunctionInvoker, Poller> starter) {
    }

    private final LocalEventBus bus;
    private final Schedules schedules;
    private final Map<String, Source> pending = new LinkedHashMap<>(); // Function.Event or mapping logical id
    private final List<Poller> running = new ArrayList<>();
    private final Map<String, List<String>> triggers = new LinkedHashMap<>();
    private boolean schedulesStarted;

    private EventSources(LocalEventBus bus, Schedules schedules) {
        this.bus = bus;
        this.schedules = schedules;
    }

    /** Reads every event source of the template; nothing runs until {@link #startAll} or {@link #bind}. */
    public static EventSources create(SamTemplate template, LocalDynamo dynamo, LocalSqs sqs, LocalEventBus bus, Clock clock) {
        FunctionRefs functions = new FunctionRefs(template);
        ResourceRefs refs = CompositeRefs.of(dynamo, sqs, bus, functions);
        EventSources sources = new EventSources(bus, Schedules.of(template, refs, sqs, bus.dispatcher(), clock));
        for (SamTemplate.Resource fn : template.resourcesOfType(FunctionRefs.SERVERLESS_FUNCTION)) {
            Props events = Props.of(fn.properties().get("Events"), fn.where("Events"));
            for (String eventName : events.asMap().keySet()) {
                Props event = events.props(eventName);
                String type = event.string("Type");
                String key = fn.logicalId() + "." + eventName;
                String where = fn.where("Events." + eventName + ".Properties");
                if (StreamPoller.EVENT_TYPE.equals(type)) {
                    Props props = Props.of(template.resolve(event.raw("Properties"), refs, where), where);
                    sources.stream(key, fn.logicalId(), functions, StreamPoller.config(props, sqs), dynamo, sqs, clock);
                } else if (SqsPoller.EVENT_TYPE.equals(type)) {
                    Props props = Props.of(template.resolve(event.raw("Properties"), refs, where), where);
                    sources.queue(key, fn.logicalId(), SqsPoller.config(props, sqs), sqs);
                } else if (LocalEventBus.FUNCTION_EVENT_TYPE.equals(type)) {
                    LocalEventBus.Rule rule = bus.rules().stream()
                            .filter(r -> fn.logicalId().equals(r.functionId()) && eventName.equals(r.eventName()))
                            .findFirst().orElseThrow();
                    sources.pending.put(key, new Source(fn.logicalId(), rule.describe(), sources::connect));
                } else if (Schedules.SCHEDULE.equals(type) || Schedules.SCHEDULE_V2.equals(type)) {
                    sources.pending.put(key, new Source(fn.logicalId(), sources.schedules.find(key).describe(),
                            sources::connect));
                }
            }
        }
        for (SamTemplate.Resource mapping : template.resourcesOfType(EVENT_SOURCE_MAPPING)) {
            sources.mapping(template, mapping, refs, functions, dynamo, sqs, clock);
        }
        return sources;
    }

    /** {@link #create} then {@link #startAll}: every source of the template delivering to {@code invoker}. */
    public static EventSources start(SamTemplate template, LocalDynamo dynamo, LocalSqs sqs, LocalEventBus bus,
                                     FunctionInvoker invoker, Clock clock) {
        EventSources sources = create(template, dynamo, sqs, bus, clock);
        sources.startAll(invoker);
        return sources;
    }

    /**
     * Starts one function event — {@code "Function.Event"} — or event source mapping (its logical id), delivering to
     * {@code invoker}; returns the line describing it. Binding any EventBridgeRule or schedule event also connects the
     * bus and starts the schedules, so rules and schedules declared as resources deliver too.
     */
    public synchronized String bind(String functionEventOrMapping, FunctionInvoker invoker) {
        Source source = pending.remove(functionEventOrMapping);
        if (source == null) {
            throw new IllegalArgumentException("no unbound event source " + functionEventOrMapping + "; unbound: " + pending.keySet());
        }
        Poller started = source.starter().apply(invoker);
        if (started != null) {
            running.add(started);
        }
        triggers.computeIfAbsent(source.functionId(), k -> new ArrayList<>()).add(source.description());
        return source.description();
    }

    /** Starts every source not bound yet, plus the rules and schedules that only resources declare. */
    public synchronized void startAll(FunctionInvoker invoker) {
        for (String key : List.copyOf(pending.keySet())) {
            bind(key, invoker);
        }
        connect(invoker);
        for (LocalEventBus.Rule rule : bus.rules()) {
            if (rule.functionId() == null) {
                rule.targets().stream().filter(RuleTarget::isFunction).forEach(t -> trigger(t.functionId(), rule.describe()));
            }
        }
        for (Schedules.Schedule s : schedules.list()) {
            if (s.functionId() == null) {
                s.targets().stream().filter(RuleTarget::isFunction).forEach(t -> trigger(t.functionId(), s.describe()));
            }
        }
    }

    /** Connects rule and schedule deliveries to the runtime and starts the schedule clock, once. No poller: null. */
    private synchronized Poller connect(FunctionInvoker invoker) {
        bus.connect(invoker);
        if (!schedulesStarted) {
            schedules.start();
            schedulesStarted = true;
        }
        return null;
    }

    /**
     * An {@code AWS::Lambda::EventSourceMapping} is the long form of an SQS or DynamoDB event: its EventSourceArn
     * becomes Queue or Stream and the rest reads as the event's properties.
     */
    private void mapping(SamTemplate template, SamTemplate.Resource mapping, ResourceRefs refs, FunctionRefs functions,
                         LocalDynamo dynamo, LocalSqs sqs, Clock clock) {
        String where = mapping.logicalId() + " (" + mapping.type() + ")";
        Props props = Props.of(template.resolve(mapping.properties(), refs, where), where);
        String functionId = functions.logicalIdOf(props.required("FunctionName"));
        if (functionId == null) {
            throw new UnsupportedTemplateException(props.where("FunctionName"), "is not a function of this template");
        }
        String source = props.required("EventSourceArn");
        Map<String, Object> eventProps = new LinkedHashMap<>(props.asMap());
        eventProps.keySet().removeAll(MAPPING_TRANSLATED);
        if (source.startsWith("arn:aws:sqs:")) {
            eventProps.put("Queue", source);
            queue(mapping.logicalId(), functionId, SqsPoller.config(new Props(eventProps, where), sqs), sqs);
        } else if (source.startsWith("arn:aws:dynamodb:") && source.contains("/stream/")) {
            eventProps.put("Stream", source);
            stream(mapping.logicalId(), functionId, functions, StreamPoller.config(new Props(eventProps, where), sqs),
                    dynamo, sqs, clock);
        } else {
            throw new UnsupportedTemplateException(props.where("EventSourceArn"),
                    "only SQS queues and DynamoDB streams are supported locally");
        }
    }

    private void stream(String key, String functionId, FunctionRefs functions, StreamPoller.Config config,
                        LocalDynamo dynamo, LocalSqs sqs, Clock clock) {
        pending.put(key, new Source(functionId, config.describe(), invoker -> new StreamPoller(functionId,
                functions.arn(functionId), config, dynamo.streams(), sqs.client(), invoker, clock, dynamo.streamPositions()).start()));
    }

    private void queue(String key, String functionId, SqsPoller.Config config, LocalSqs sqs) {
        pending.put(key, new Source(functionId, config.describe(),
                invoker -> new SqsPoller(functionId, config, sqs.client(), invoker).start()));
    }

    private void trigger(String functionId, String description) {
        triggers.computeIfAbsent(functionId, k -> new ArrayList<>()).add(description);
    }

    /** The function event types started here: DynamoDB, SQS, EventBridgeRule, Schedule, ScheduleV2. */
    public Set<String> handledEventTypes() {
        return HANDLED;
    }

    /** Function logical id → one line per started trigger, for the runtime's startup listing. */
    public synchronized Map<String, List<String>> triggers() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        triggers.forEach((fn, list) -> copy.put(fn, List.copyOf(list)));
        return copy;
    }

    public Schedules schedules() {
        return schedules;
    }

    /** "Fire a schedule now": see {@link Schedules#find(String)} for the names accepted. Returns the responses. */
    public List<Object> fireSchedule(String name) throws Exception {
        return schedules.fireNow(name);
    }

    /** Stops the schedules and every poller; pollers stop in parallel, each within about a second. */
    @Override
    public synchronized void close() {
        schedules.close();
        running.forEach(Poller::stop);
        running.forEach(p -> p.awaitStopped(Duration.ofSeconds(5)));
    }
}
