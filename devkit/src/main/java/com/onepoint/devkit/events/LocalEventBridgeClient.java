package com.onepoint.devkit.events;

import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * The SDK's {@link EventBridgeClient} backed by a {@link LocalEventBus}: handler code publishes with
 * {@code putEvents} exactly as in AWS. Every other operation keeps the interface's default, which throws
 * UnsupportedOperationException — nothing in OnePoint manages EventBridge at run time.
 */
public final class LocalEventBridgeClient implements EventBridgeClient {
    private final LocalEventBus bus;

    public LocalEventBridgeClient(LocalEventBus bus) {
        this.bus = bus;
    }

    @Override
    public PutEventsResponse putEvents(PutEventsRequest request) {
        return bus.putEvents(request);
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    /** The bus outlives its clients: closing a client closes nothing. */
    @Override
    public void close() {
    }
}
