package com.onepoint.local;

import com.onepoint.devkit.CompositeRefs;
import com.onepoint.devkit.EventSources;
import com.onepoint.devkit.FunctionInvoker;
import com.onepoint.devkit.ResourceRefs;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.events.LocalEventBus;
import com.onepoint.devkit.sqs.LocalSqs;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The devkit emulators as the runtime's event-source extension: ElasticMQ for the queues (redrive policies from
 * the template), an EventBridge bus whose rules match with event-ruler, stream and queue pollers, schedules.
 * Functions that take an {@link SqsClient} or {@link EventBridgeClient} get the local ones.
 */
public final class DevkitEventSources implements EventSourceExtension {
    private final Clock clock;
    private final java.nio.file.Path dataDir;
    private LocalSqs sqs;
    /** Set by {@link #boot()}: ElasticMQ booting before the template is read. */
    private CompletableFuture<LocalSqs> booting;
    private LocalEventBus bus;
    private EventSources sources;

    public DevkitEventSources(Clock clock) {
        this(clock, null);
    }

    /** With {@code dataDir}, queued messages are kept there and survive a restart; null keeps them in memory. */
    public DevkitEventSources(Clock clock, java.nio.file.Path dataDir) {
        this.clock = clock;
        this.dataDir = dataDir;
    }

    @Override
    public String name() {
        return "devkit (elasticmq, event-ruler bus, pollers, schedules)";
    }

    @Override
    public Set<String> resourceTypes() {
        return Set.of("AWS::SQS::Queue", "AWS::Events::EventBus", "AWS::Events::Rule", "AWS::Scheduler::Schedule",
                EventSources.EVENT_SOURCE_MAPPING);
    }

    @Override
    public Set<String> eventTypes() {
        return DELEGATED_EVENT_TYPES;
    }

    /** ElasticMQ's actor system takes about a second to boot: begun here, it overlaps the template's parsing. */
    @Override
    public synchronized void boot() {
        if (booting == null) {
            booting = new CompletableFuture<>();
            Thread boot = new Thread(() -> {
                try {
                    booting.complete(LocalSqs.boot(dataDir));
                } catch (Throwable e) {
                    booting.completeExceptionally(e);
                }
            }, "elasticmq-boot");
            boot.setDaemon(true);
            boot.start();
        }
    }

    /** Checks the template's queues, then boots ElasticMQ (or waits for {@link #boot}); it overlaps the engine's start. */
    @Override
    public void prepare(SamTemplate template) {
        LocalSqs.check(template);
        CompletableFuture<LocalSqs> started;
        synchronized (this) {
            started = booting;
        }
        sqs = started == null ? LocalSqs.boot(dataDir) : awaitBoot(started);
    }

    private static LocalSqs awaitBoot(CompletableFuture<LocalSqs> booting) {
        try {
            return booting.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    @Override
    public ResourceRefs start(Context context) {
        sqs.createQueues(context.template(), context.refs());
        bus = LocalEventBus.start(context.template(), sqs, CompositeRefs.of(context.refs(), sqs), clock);
        sources = EventSources.create(context.template(), context.dynamo(), sqs, bus, clock);
        context.instances().put(SqsClient.class, sqs.client());
        context.instances().put(EventBridgeClient.class, bus.client());
        return CompositeRefs.of(sqs, bus);
    }

    @Override
    public String bind(FunctionEvent event, FunctionInvoker invoker) {
        return sources.bind(event.id(), invoker);
    }

    /** After every event is bound: rules and schedules that only resources declare start delivering too. */
    @Override
    public void started(FunctionInvoker invoker) {
        sources.startAll(invoker);
    }

    public LocalSqs sqs() {
        return sqs;
    }

    public LocalEventBus bus() {
        return bus;
    }

    public EventSources sources() {
        return sources;
    }

    @Override
    public void close() {
        CompletableFuture<LocalSqs> started;
        synchronized (this) {
            started = booting;
        }
        if (sqs == null && started != null) {
            // startup failed before prepare() took the booted ElasticMQ: it still has to stop
            try {
                sqs = started.join();
            } catch (RuntimeException e) {
                // the boot failed: nothing started
            }
        }
        if (sources != null) {
            sources.close();
        }
        if (bus != null) {
            bus.close();
        }
        if (sqs != null) {
            sqs.close();
        }
    }
}
