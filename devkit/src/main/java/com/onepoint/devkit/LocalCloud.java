package com.onepoint.devkit;

import com.onepoint.devkit.events.LocalEventBus;
import com.onepoint.devkit.sqs.LocalSqs;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The template's resources on in-process emulators — OnePoint's DynamoDB engine, ElasticMQ, the EventBridge bus — and the
 * {@link ResourceRefs} of all of them (tables, queues, buses, rules, functions). Functions are not run here: the
 * runtime attaches itself with {@link #startEventSources(FunctionInvoker)}.
 */
public final class LocalCloud implements AutoCloseable, ResourceRefs {
    private final SamTemplate template;
    private final Clock clock;
    private final LocalDynamo dynamo;
    private final LocalSqs sqs;
    private final LocalEventBus bus;
    private final FunctionRefs functions;
    private final ResourceRefs refs;
    private EventSources eventSources;

    private LocalCloud(SamTemplate template, Clock clock, LocalDynamo dynamo, LocalSqs sqs, LocalEventBus bus) {
        this.template = template;
        this.clock = clock;
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.bus = bus;
        this.functions = new FunctionRefs(template);
        this.refs = CompositeRefs.of(dynamo, sqs, bus, functions);
    }

    public static LocalCloud start(SamTemplate template) {
        return start(template, Clock.systemUTC());
    }

    /** Starts the engine and ElasticMQ side by side, then the bus. */
    public static LocalCloud start(SamTemplate template, Clock clock) {
        CompletableFuture<LocalDynamo> dynamo = CompletableFuture.supplyAsync(() -> LocalDynamo.start(template));
        CompletableFuture<LocalSqs> sqs = CompletableFuture.supplyAsync(() -> LocalSqs.start(template));
        LocalEventBus bus = null;
        try {
            bus = LocalEventBus.start(template, sqs.join(), dynamo.join(), clock);
            return new LocalCloud(template, clock, dynamo.join(), sqs.join(), bus);
        } catch (RuntimeException e) {
            closeQuietly(bus);
            dynamo.thenAccept(LocalCloud::closeQuietly);
            sqs.thenAccept(LocalCloud::closeQuietly);
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing: the first error is the one to report
            }
        }
    }

    /** Starts the pollers, rules and schedules that invoke functions through {@code invoker}; closed with this. */
    public synchronized EventSources startEventSources(FunctionInvoker invoker) {
        if (eventSources != null) {
            throw new IllegalStateException("event sources already started");
        }
        eventSources = EventSources.start(template, dynamo, sqs, bus, invoker, clock);
        return eventSources;
    }

    public SamTemplate template() {
        return template;
    }

    public LocalDynamo dynamo() {
        return dynamo;
    }

    public LocalSqs sqs() {
        return sqs;
    }

    public LocalEventBus bus() {
        return bus;
    }

    public FunctionRefs functions() {
        return functions;
    }

    /** A function's environment variables with every !Ref/!GetAtt resolved against the local resources. */
    public java.util.Map<String, String> functionEnvironment(String functionLogicalId) {
        return template.functionEnvironment(functionLogicalId, refs);
    }

    @Override
    public String ref(String logicalId) {
        return refs.ref(logicalId);
    }

    @Override
    public String getAtt(String logicalId, String attribute) {
        return refs.getAtt(logicalId, attribute);
    }

    /** Stops the event sources (if started), the bus, ElasticMQ and the engine. */
    @Override
    public synchronized void close() {
        if (eventSources != null) {
            eventSources.close();
        }
        bus.close();
        sqs.close();
        dynamo.close();
    }
}
