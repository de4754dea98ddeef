package com.onepoint.local;

import com.onepoint.devkit.FunctionInvoker;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.ResourceRefs;
import com.onepoint.devkit.SamTemplate;

import java.util.Map;
import java.util.Set;

/**
 * EXTENSION POINT for the event sources the core runtime does not run itself: queues, buses and rules, stream
 * pollers, schedules (the devkit emulators). Register one with {@link RuntimeOverrides#withExtension}.
 * <p>
 * Lifecycle, driven by {@link LocalRuntime}: maybe {@link #boot} before the template is read; {@link #prepare} once, on another thread while the DynamoDB engine starts;
 * {@link #start} once, after the engine and before any function is
 * built (so a function's environment can {@code !Ref} a queue); then {@link #bind} once per function event of a type
 * in {@link #eventTypes()}, after every function is built; {@link #close} on shutdown, before the engine stops.
 * A template resource or event type that no extension claims stops startup: nothing is skipped silently.
 */
public interface EventSourceExtension extends AutoCloseable {
    /**
     * Function event types SAM defines that are meant to be delivered by an extension. The core runtime serves only
     * {@code Api}; a template using one of these with no extension registered for it is refused with a message
     * saying so.
     */
    Set<String> DELEGATED_EVENT_TYPES = Set.of("DynamoDB", "SQS", "EventBridgeRule", "Schedule", "ScheduleV2");

    /** What an extension gets at start: the template, the refs resolved so far, the engine, the constructor registry. */
    record Context(SamTemplate template, ResourceRefs refs, LocalDynamo dynamo, Map<Class<?>, Object> instances) {
    }

    /** A short name for startup lines and error messages, e.g. "elasticmq". */
    String name();

    /** CloudFormation resource types this extension stands up, e.g. {@code AWS::SQS::Queue}. */
    Set<String> resourceTypes();

    /** SAM function event types this extension delivers, e.g. {@code SQS}. */
    Set<String> eventTypes();

    /**
     * Starts booting, in the background, whatever needs not even the template (an emulator's engine), so that the
     * boot overlaps the template's parsing; returns at once. Called before {@link #prepare} by
     * {@link LocalRuntime#start(java.util.concurrent.Callable, int, RuntimeOverrides)}; other starts skip it.
     */
    default void boot() {
    }

    /**
     * Boots whatever needs nothing but the template (e.g. an emulator's engine, which may take seconds), while the
     * runtime starts the engine on another thread. Resources are still created in {@link #start}. If startup
     * fails later, {@link #close} is called all the same.
     */
    default void prepare(SamTemplate template) throws Exception {
    }

    /**
     * Creates every template resource of {@link #resourceTypes()} and returns what {@code !Ref}/{@code !GetAtt} of
     * them resolve to; the runtime checks each one resolves. It may add SDK clients (e.g. an {@code SqsClient}) to
     * {@code context.instances()}: function constructors that take that type then receive it.
     */
    ResourceRefs start(Context context) throws Exception;

    /** Starts delivering one function event to {@code invoker}; returns a one-line description for the startup banner. */
    String bind(FunctionEvent event, FunctionInvoker invoker) throws Exception;

    /** Called once after every event is bound, e.g. to start rules and schedules that only resources declare. */
    default void started(FunctionInvoker invoker) throws Exception {
    }

    @Override
    void close();
}
