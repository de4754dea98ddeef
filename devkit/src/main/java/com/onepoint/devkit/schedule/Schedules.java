package com.onepoint.devkit.schedule;

import com.onepoint.devkit.FunctionRefs;
import com.onepoint.devkit.Props;
import com.onepoint.devkit.ResourceRefs;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.UnsupportedTemplateException;
import com.onepoint.devkit.events.EventEnvelope;
import com.onepoint.devkit.events.RuleTarget;
import com.onepoint.devkit.events.TargetDispatcher;
import com.onepoint.devkit.events.TargetInput;
import com.onepoint.devkit.sqs.LocalSqs;
import com.onepoint.devkit.json.Json;
import com.onepoint.shared.log.JsonLog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Every schedule of the template — functions' {@code Schedule} and {@code ScheduleV2} events,
 * {@code AWS::Scheduler::Schedule} resources and {@code AWS::Events::Rule}s with a ScheduleExpression — fired on
 * time by one thread that reads the given {@link Clock}, and on demand by {@link #fireNow(String)}.
 *
 * <p>What a target receives: EventBridge schedules send {@code {"source":"aws.events","detail-type":"Scheduled Event",
 * "resources":[rule ARN],"detail":{}}} (or the target's Input/InputPath); EventBridge Scheduler sends the target's
 * Input, or without one the same envelope with source {@code aws.scheduler} and the schedule's ARN.
 */
public final class Schedules implements AutoCloseable {
    public static final String SCHEDULE = "Schedule";
    public static final String SCHEDULE_V2 = "ScheduleV2";
    public static final String SCHEDULER_TYPE = "AWS::Scheduler::Schedule";
    private static final JsonLog LOG = JsonLog.of(Schedules.class);
    /** Upper bound of one sleep: the clock is re-read at least this often, so a moved clock is noticed. */
    private static final Duration MAX_SLEEP = Duration.ofMillis(250);
    private static final String ARN = ":" + SamTemplate.REGION + ":" + SamTemplate.ACCOUNT_ID + ":";

    private static final Set<String> V1_EVENT = Set.of("Schedule", "Input", "Name", "Description", "Enabled", "State",
            "RetryPolicy", "DeadLetterConfig", "Target");
    private static final Set<String> V2_EVENT = Set.of("ScheduleExpression", "ScheduleExpressionTimezone", "Input",
            "Name", "Description", "State", "StartDate", "EndDate", "GroupName", "RetryPolicy", "DeadLetterConfig");
    private static final Set<String> V2_EVENT_AWS_ONLY = Set.of("FlexibleTimeWindow", "KmsKeyArn", "OmitName",
            "PermissionsBoundary", "RoleArn");
    private static final Set<String> SCHEDULER = Set.of("Name", "GroupName", "Description", "ScheduleExpression",
            "ScheduleExpressionTimezone", "State", "StartDate", "EndDate", "Target");
    /** A flexible window only spreads fires in AWS; locally a schedule fires at its exact time. */
    private static final Set<String> SCHEDULER_AWS_ONLY = Set.of("FlexibleTimeWindow", "KmsKeyArn", "ActionAfterCompletion");
    private static final Set<String> RULE = Set.of("Name", "Description", "ScheduleExpression", "State", "Targets",
            "EventBusName");
    private static final Set<String> RULE_AWS_ONLY = Set.of("RoleArn");

    /**
     * One schedule. {@code key} is {@code Function.Event} for a function's event, the logical id for a resource.
     * {@code source} is what its envelope says: aws.events or aws.scheduler.
     */
    public record Schedule(String key, String name, String arn, String source, ScheduleExpression expression,
                           boolean enabled, Instant startDate, Instant endDate, List<RuleTarget> targets,
                           String functionId, String eventName) {
        public String describe() {
            String zone = expression instanceof CronExpression c ? " " + c.zone() : "";
            return "schedule " + name + " " + expression.text() + zone + (enabled ? "" : " (disabled)");
        }

        /** The first fire strictly after {@code after}, within StartDate..EndDate. */
        public Optional<Instant> nextAfter(Instant after) {
            Instant from = startDate != null && startDate.isAfter(after) ? startDate.minusNanos(1) : after;
            Optional<Instant> next = expression.next(from);
            return next.filter(t -> endDate == null || !t.isAfter(endDate));
        }

        /** The event sent at {@code time}: the envelope (targets may then apply Input/InputPath). */
        String envelope(Instant time) {
            return new EventEnvelope(UUID.randomUUID().toString(), "Scheduled Event", source, time, List.of(arn),
                    Json.MAPPER.createObjectNode()).toJson();
        }
    }

    private final Clock clock;
    private final TargetDispatcher dispatcher;
    private final Map<String, Schedule> schedules = new LinkedHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    private Schedules(Clock clock, TargetDispatcher dispatcher) {
        this.clock = clock;
        this.dispatcher = dispatcher;
        this.thread = new Thread(this::run, "schedules");
        this.thread.setDaemon(true);
    }

    /** Reads every schedule of the template; nothing fires before {@link #start()}. */
    public static Schedules of(SamTemplate template, ResourceRefs refs, LocalSqs sqs, TargetDispatcher dispatcher, Clock clock) {
        Schedules s = new Schedules(clock, dispatcher);
        FunctionRefs functions = new FunctionRefs(template);
        Instant now = clock.instant();
        for (SamTemplate.Resource r : template.resources().values()) {
            if (r.type().equals(FunctionRefs.SERVERLESS_FUNCTION)) {
                Props events = Props.of(r.properties().get("Events"), r.where("Events"));
                for (String eventName : events.asMap().keySet()) {
                    Props event = events.props(eventName);
                    String type = event.string("Type");
                    if (SCHEDULE.equals(type) || SCHEDULE_V2.equals(type)) {
                        String where = r.where("Events." + eventName + ".Properties");
                        Object raw = event.raw("Properties");
                        Props.of(raw, where).only(SCHEDULE.equals(type) ? V1_EVENT : V2_EVENT,
                                SCHEDULE.equals(type) ? Set.of() : V2_EVENT_AWS_ONLY);
                        Props props = Props.of(template.resolve(honoured(raw, SCHEDULE.equals(type) ? V1_EVENT : V2_EVENT),
                                refs, where), where);
                        s.add(SCHEDULE.equals(type)
                                ? functionV1(template, r.logicalId(), eventName, props, functions, sqs, now)
                                : functionV2(template, r.logicalId(), eventName, props, functions, sqs, now));
                    }
                }
            } else if (r.type().equals(SCHEDULER_TYPE)) {
                String where = r.logicalId() + " (" + r.type() + ")";
                new Props(r.properties(), where).only(SCHEDULER, SCHEDULER_AWS_ONLY);
                Props props = Props.of(template.resolve(honoured(r.properties(), SCHEDULER), refs, where), where);
                s.add(scheduler(template, r.logicalId(), props, functions, sqs, now));
            } else if (r.type().equals("AWS::Events::Rule") && r.properties().containsKey("ScheduleExpression")) {
                String where = r.logicalId() + " (" + r.type() + ")";
                new Props(r.properties(), where).only(RULE, RULE_AWS_ONLY);
                Props props = Props.of(template.resolve(honoured(r.properties(), RULE), refs, where), where);
                s.add(rule(template, r.logicalId(), props, functions, sqs, now));
            }
        }
        return s;
    }

    private static Schedule functionV1(SamTemplate template, String fn, String event, Props props, FunctionRefs functions,
                                       LocalSqs sqs, Instant now) {
        props.props("Target").only(Set.of("Id"), Set.of());
        String name = props.has("Name") ? props.string("Name") : template.stackName() + "-" + fn + event;
        boolean enabled = props.bool("Enabled", true) && state(props);
        RuleTarget target = RuleTarget.function(fn, functions.arn(fn), TargetInput.of(props), props, sqs);
        return new Schedule(fn + "." + event, name, "arn:aws:events" + ARN + "rule/" + name, "aws.events",
                expression(props, "Schedule", ZoneOffset.UTC, now), enabled, null, null, List.of(target), fn, event);
    }

    private static Schedule functionV2(SamTemplate template, String fn, String event, Props props, FunctionRefs functions,
                                       LocalSqs sqs, Instant now) {
        String name = props.has("Name") ? props.string("Name") : template.stackName() + "-" + fn + event;
        RuleTarget target = RuleTarget.function(fn, functions.arn(fn), schedulerInput(props), props, sqs);
        return new Schedule(fn + "." + event, name, schedulerArn(props, name), "aws.scheduler",
                expression(props, "ScheduleExpression", zone(props), now), state(props),
                instant(props, "StartDate"), instant(props, "EndDate"), List.of(target), fn, event);
    }

    private static Schedule scheduler(SamTemplate template, String logicalId, Props props, FunctionRefs functions,
                                      LocalSqs sqs, Instant now) {
        String name = props.has("Name") ? props.string("Name") : template.stackName() + "-" + logicalId;
        Props target = props.props("Target");
        RuleTarget t = RuleTarget.of(target, sqs, functions);
        // Scheduler has no InputPath: the target gets Input, or the default envelope
        t = new RuleTarget(t.id(), t.arn(), t.functionId(), t.queueUrl(), schedulerInput(target), t.messageGroupId(),
                t.maximumRetryAttempts(), t.deadLetterQueueUrl());
        return new Schedule(logicalId, name, schedulerArn(props, name), "aws.scheduler",
                expression(props, "ScheduleExpression", zone(props), now), state(props),
                instant(props, "StartDate"), instant(props, "EndDate"), List.of(t), null, null);
    }

    private static Schedule rule(SamTemplate template, String logicalId, Props props, FunctionRefs functions,
                                 LocalSqs sqs, Instant now) {
        String bus = props.string("EventBusName");
        if (bus != null && !bus.equals("default") && !bus.endsWith("event-bus/default")) {
            throw new UnsupportedTemplateException(props.where("EventBusName"), "schedules run on the default bus only");
        }
        String name = props.has("Name") ? props.string("Name") : template.stackName() + "-" + logicalId;
        List<RuleTarget> targets = new ArrayList<>();
        List<?> declared = props.list("Targets");
        for (int i = 0; i < declared.size(); i++) {
            targets.add(RuleTarget.of(Props.of(declared.get(i), props.where("Targets[" + i + "]")), sqs, functions));
        }
        return new Schedule(logicalId, name, "arn:aws:events" + ARN + "rule/" + name, "aws.events",
                expression(props, "ScheduleExpression", ZoneOffset.UTC, now), state(props), null, null, targets, null, null);
    }

    private static TargetInput schedulerInput(Props props) {
        if (props.has("InputPath")) {
            throw new UnsupportedTemplateException(props.where("InputPath"), "EventBridge Scheduler has no InputPath");
        }
        return TargetInput.of(props);
    }

    private static String schedulerArn(Props props, String name) {
        String group = props.has("GroupName") ? props.string("GroupName") : "default";
        return "arn:aws:scheduler" + ARN + "schedule/" + group + "/" + name;
    }

    private static ScheduleExpression expression(Props props, String property, ZoneId zone, Instant now) {
        try {
            return ScheduleExpression.parse(props.required(property), zone, now);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedTemplateException(props.where(property), e.getMessage());
        }
    }

    private static ZoneId zone(Props props) {
        if (!props.has("ScheduleExpressionTimezone")) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(props.string("ScheduleExpressionTimezone"));
        } catch (RuntimeException e) {
            throw new UnsupportedTemplateException(props.where("ScheduleExpressionTimezone"), "unknown time zone: " + e.getMessage());
        }
    }

    private static boolean state(Props props) {
        String state = props.has("State") ? props.string("State") : "ENABLED";
        if (!state.equals("ENABLED") && !state.equals("DISABLED")) {
            throw new UnsupportedTemplateException(props.where("State"), "unknown state " + state);
        }
        return state.equals("ENABLED");
    }

    private static Instant instant(Props props, String property) {
        if (!props.has(property)) {
            return null;
        }
        try {
            return ZonedDateTime.parse(props.string(property)).toInstant();
        } catch (RuntimeException e) {
            throw new UnsupportedTemplateException(props.where(property), "is not an ISO-8601 date-time: " + props.string(property));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> honoured(Object properties, Set<String> supported) {
        Map<String, Object> out = new LinkedHashMap<>(properties == null ? Map.of() : (Map<String, Object>) properties);
        out.keySet().retainAll(supported);
        return out;
    }

    private void add(Schedule schedule) {
        schedules.put(schedule.key(), schedule);
    }

    public List<Schedule> list() {
        return List.copyOf(schedules.values());
    }

    /** The schedules of a function's Schedule/ScheduleV2 events. */
    public List<Schedule> of(String functionId) {
        return schedules.values().stream().filter(s -> functionId.equals(s.functionId())).toList();
    }

    /**
     * Finds a schedule by {@code Function.Event}, event name, function logical id, resource logical id or schedule
     * name; fails when none or several match.
     */
    public Schedule find(String name) {
        if (schedules.containsKey(name)) {
            return schedules.get(name);
        }
        List<Schedule> found = schedules.values().stream().filter(s -> name.equals(s.eventName())
                || name.equals(s.functionId()) || name.equals(s.name())).toList();
        if (found.size() != 1) {
            throw new IllegalArgumentException((found.isEmpty() ? "no schedule " : "several schedules match ") + name
                    + "; schedules: " + schedules.keySet());
        }
        return found.get(0);
    }

    /**
     * Fires a schedule now, enabled or not, synchronously: function targets are invoked in this thread (a failure
     * is thrown to the caller, not retried), queue targets get their message. Returns the functions' responses.
     */
    public List<Object> fireNow(String name) throws Exception {
        Schedule s = find(name);
        String event = s.envelope(clock.instant());
        List<Object> responses = new ArrayList<>();
        for (RuleTarget t : s.targets()) {
            responses.add(dispatcher.invokeNow(t, event));
        }
        LOG.info(null, "schedule fired on demand", Map.of("schedule", s.key()));
        return responses;
    }

    /** Starts firing enabled schedules on time. */
    public Schedules start() {
        if (!schedules.isEmpty()) {
            thread.start();
        }
        return this;
    }

    private void run() {
        Map<String, Instant> next = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (Schedule s : schedules.values()) {
            if (s.enabled()) {
                s.nextAfter(now).ifPresent(t -> next.put(s.key(), t));
            }
        }
        while (stopped.getCount() > 0) {
            now = clock.instant();
            for (Schedule s : schedules.values()) {
                Instant due = next.get(s.key());
                if (due != null && !due.isAfter(now)) {
                    fire(s, due);
                    // fires missed while the machine slept are not replayed: one fire, then the next future one
                    Optional<Instant> following = s.nextAfter(now.isAfter(due) ? now : due);
                    if (following.isPresent()) {
                        next.put(s.key(), following.get());
                    } else {
                        next.remove(s.key());
                    }
                }
            }
            Instant soonest = next.values().stream().min(Instant::compareTo).orElse(now.plus(MAX_SLEEP));
            long sleep = Math.max(5, Math.min(MAX_SLEEP.toMillis(), Duration.between(clock.instant(), soonest).toMillis()));
            try {
                stopped.await(sleep, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void fire(Schedule s, Instant time) {
        String event = s.envelope(time);
        for (RuleTarget t : s.targets()) {
            try {
                dispatcher.deliver(s.arn(), t, event);
            } catch (RuntimeException e) {
                LOG.error(null, "schedule could not deliver", Map.of("schedule", s.key(), "target", t.describe(),
                        "error", String.valueOf(e)));
            }
        }
    }

    @Override
    public void close() {
        stopped.countDown();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
