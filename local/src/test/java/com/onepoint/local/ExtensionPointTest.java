package com.onepoint.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.onepoint.devkit.FunctionInvoker;
import com.onepoint.devkit.ResourceRefs;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.UnsupportedTemplateException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seam for the devkit event sources: a registered extension stands up the queue (its ref reaches the function's
 * environment), is handed the SQS event with an invoker, and is closed with the runtime. Without it: refused.
 */
class ExtensionPointTest {
    /** A stand-in for the SQS emulator: one queue URL per queue, events recorded, no delivery thread. */
    static final class FakeQueues implements EventSourceExtension {
        final List<FunctionEvent> bound = new ArrayList<>();
        FunctionInvoker invoker;
        boolean createQueues = true;
        boolean closed;
        RuntimeException prepareFailure;
        final List<String> calls = new ArrayList<>();

        @Override
        public void prepare(SamTemplate template) {
            calls.add("prepare on " + Thread.currentThread().getName());
            if (prepareFailure != null) {
                throw prepareFailure;
            }
        }

        @Override
        public String name() {
            return "fake-sqs";
        }

        @Override
        public Set<String> resourceTypes() {
            return Set.of("AWS::SQS::Queue");
        }

        @Override
        public Set<String> eventTypes() {
            return Set.of("SQS");
        }

        @Override
        public ResourceRefs start(Context context) {
            calls.add("start");
            return new ResourceRefs() {
                @Override
                public String ref(String logicalId) {
                    return createQueues && context.template().resources().get(logicalId) != null
                            && context.template().resource(logicalId).type().equals("AWS::SQS::Queue")
                            ? "http://queues.local/" + logicalId : null;
                }

                @Override
                public String getAtt(String logicalId, String attribute) {
                    String url = ref(logicalId);
                    return url != null && attribute.equals("Arn") ? "arn:aws:sqs:local:" + logicalId : null;
                }
            };
        }

        @Override
        public String bind(FunctionEvent event, FunctionInvoker invoker) {
            bound.add(event);
            this.invoker = invoker;
            return "SQS " + event.properties().get("Queue");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void extensionReceivesTheEventAndCanInvokeTheFunction() throws Exception {
        FakeQueues queues = new FakeQueues();
        try (LocalRuntime runtime = LocalRuntime.start(TestTemplates.load("unsupported/sqs-event.yaml"), LocalRuntime.NO_HTTP,
                RuntimeOverrides.defaults().withExtension(queues))) {
            assertEquals(1, queues.bound.size());
            FunctionEvent event = queues.bound.get(0);
            assertEquals("RestoreFunction.Restore", event.id());
            assertEquals("arn:aws:sqs:local:RestoreQueue", event.properties().get("Queue"), "properties arrive resolved");
            assertEquals("SQS arn:aws:sqs:local:RestoreQueue", runtime.wiring().events().get("RestoreFunction.Restore"));
            assertEquals("fake-sqs http://queues.local/RestoreQueue", runtime.wiring().resources().get("RestoreQueue"));

            SQSEvent sqs = new SQSEvent();
            sqs.setRecords(List.of(new SQSEvent.SQSMessage()));
            assertEquals("http://queues.local/RestoreQueue got 1", queues.invoker.invoke("RestoreFunction", sqs));
        }
        assertTrue(queues.closed);
        assertEquals(2, queues.calls.size());
        assertTrue(queues.calls.get(0).startsWith("prepare on ") && !queues.calls.get(0).endsWith(Thread.currentThread().getName()),
                "prepared first, beside the engine's start: " + queues.calls);
        assertEquals("start", queues.calls.get(1));
    }

    @Test
    void aFailingPrepareStopsStartupWithItsErrorAndClosesEverything() {
        FakeQueues queues = new FakeQueues();
        queues.prepareFailure = new IllegalStateException("elasticmq could not bind");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LocalRuntime.start(TestTemplates.load("unsupported/sqs-event.yaml"), LocalRuntime.NO_HTTP,
                        RuntimeOverrides.defaults().withExtension(queues)));
        assertEquals("elasticmq could not bind", e.getMessage());
        assertTrue(queues.closed, "an extension that failed to prepare is closed too");
        assertEquals(1, queues.calls.size(), "never started: " + queues.calls);
    }

    @Test
    void extensionThatDoesNotStandUpAClaimedResourceIsRefused() {
        FakeQueues queues = new FakeQueues();
        queues.createQueues = false;
        UnsupportedTemplateException e = assertThrows(UnsupportedTemplateException.class,
                () -> LocalRuntime.start(TestTemplates.load("unsupported/sqs-event.yaml"), LocalRuntime.NO_HTTP,
                        RuntimeOverrides.defaults().withExtension(queues)));
        assertTrue(e.getMessage().startsWith("RestoreQueue (AWS::SQS::Queue).Type: event-source extension fake-sqs"), e.getMessage());
        assertTrue(queues.closed, "what had started is stopped again");
    }
}
