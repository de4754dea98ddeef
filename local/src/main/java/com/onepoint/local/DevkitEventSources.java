package com.onepoint.local;

import com.onepoint.devkit.CompositeRefs;
import com.onepoint.devkit.EventSources;
import com.onepoint.devkit.FunctionInvoker;
import com.onepoint.devkit.ResourceRefs;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.events.LocalEventBus;
import com.onepoint.devkit.sqs.LocalSqs;
import com.onepoint.shared.log.JsonLog;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.Set;
import java.util.Map;

/**
 * The devkit emulators as the runtime's event-source extension: ElasticMQ for the queues (redrive policies from
 * the template), an EventBridge bus whose rules match with event-ruler, stream and queue pollers, schedules.
 * Functions that take an {@link SqsClient} or {@link EventBridgeClient} get the local ones.
 */
public final class DevkitEventSources implements EventSourceExtension {
    private final Clock clock;
    private final java.nio.file.Path dataDir;
    private static final JsonLog LOG = JsonLog.of(DevkitEventSources.class);
    private LocalSqs sqs;
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

    /**
     * ElasticMQ's actor system takes about a second to boot: begun here, it overlaps the template's parsing and,
     * since its port is taken at once, everything after it too (see {@link #start}).
     */
    @Override
    public synchronized void boot() {
        if (sqs == null) {
            sqs = LocalSqs.startInBackground(dataDir);
        }
    }

    /** Checks the template's queues, and starts ElasticMQ's boot if {@link #boot} did not. */
    @Override
    public void prepare(SamTemplate template) {
        LocalSqs.check(template);
        boot();
    }

    /**
     * The queues' URLs and ARNs resolve at once; ElasticMQ creates the queues (and restores a data directory's
     * messages) in the background, and every SQS call, the functions' and the pollers', waits until it has. So the
     * runtime builds its functions and opens its API without waiting for ElasticMQ.
     */
    @Override
    public ResourceRefs start(Context context) {
        sqs.createQueuesInBackground(context.template(), context.refs());
        sqs.whenReady().whenComplete((ready, failure) -> {
            if (failure != null) {
                LOG.error("local", "the local queues did not start: SQS calls fail", Map.of(
                        "exception", failure.getClass().getName(), "detail", String.valueOf(failure.getMessage())));
            }
        });
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
        if (sources != null) {
            sources.close();
        }
        if (bus != null) {
            bus.close();
        }
        LocalSqs started;
        synchronized (this) {
            started = sqs;
        }
        if (started != null) {
            started.close(); // waits for a boot still under way, then stops it
        }
    }
}
