package com.onepoint.devkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link LocalCloud} of test-template.yaml, with its event sources wired to one {@link RecordingInvoker}, for
 * the whole test run: ElasticMQ takes seconds to start, so the cloud starts once. Closed by JUnit when
 * the run ends. Tests keep out of each other's way by using their own queues, tables and functions.
 */
public final class SharedCloud implements BeforeAllCallback {
    private static volatile Holder holder;

    private record Holder(LocalCloud cloud, RecordingInvoker invoker, EventSources sources)
            implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cloud.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        holder = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(SharedCloud.class,
                k -> {
                    LocalCloud cloud = LocalCloud.start(TestTemplates.load("test-template.yaml"));
                    RecordingInvoker invoker = new RecordingInvoker();
                    return new Holder(cloud, invoker, cloud.startEventSources(invoker));
                }, Holder.class);
    }

    public static LocalCloud cloud() {
        return holder.cloud();
    }

    public static RecordingInvoker invoker() {
        return holder.invoker();
    }

    public static EventSources sources() {
        return holder.sources();
    }
}
