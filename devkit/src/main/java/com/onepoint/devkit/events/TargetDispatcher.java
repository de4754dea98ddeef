package com.onepoint.devkit.events;

import com.onepoint.devkit.FunctionInvoker;
import com.onepoint.devkit.sqs.LocalSqs;
import com.onepoint.devkit.json.Json;
import com.onepoint.shared.log.JsonLog;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers events to rule and schedule targets as EventBridge does: SendMessage to a queue, or an asynchronous
 * invocation of a function, retried on failure (RetryPolicy.MaximumRetryAttempts, default 2, with a short local
 * back-off instead of AWS's minutes) and then sent to the target's DeadLetterConfig queue, if any.
 *
 * <p>A function receives a {@code ScheduledEvent} when the payload is the untouched event envelope, and the payload
 * parsed by Jackson (a {@code Map<String,Object>} for a JSON object) when Input or InputPath replaced it — the
 * runtime converts either to the handler's declared input type. Deliveries to functions wait until
 * {@link #connect(FunctionInvoker)}: events published while the runtime starts are held, not lost.
 */
public final class TargetDispatcher implements AutoCloseable {
    private static final JsonLog LOG = JsonLog.of(TargetDispatcher.class);

    private final LocalSqs sqs;
    private final ScheduledExecutorService executor;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Runnable> held = new ArrayList<>();
    private volatile FunctionInvoker invoker;

    public TargetDispatcher(LocalSqs sqs) {
        this.sqs = sqs;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "event-targets");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY); // background delivery, like the pollers (PollingThread)
            return t;
        });
    }

    /** Attaches the local runtime; held function deliveries start now. */
    public void connect(FunctionInvoker invoker) {
        List<Runnable> pending;
        synchronized (held) {
            this.invoker = invoker;
            pending = new ArrayList<>(held);
            held.clear();
        }
        pending.forEach(executor::execute);
    }

    /** Delivers one event to one target; {@code source} (a rule or schedule ARN) is for logs and DLQ attributes. */
    public void deliver(String source, RuleTarget target, String eventJson) {
        String payload = target.input().apply(eventJson);
        if (!target.isFunction()) {
            sendToQueue(source, target, payload);
            return;
        }
        inFlight.incrementAndGet();
        Runnable first = () -> attempt(source, target, payload, 0);
        synchronized (held) {
            if (invoker == null) {
                held.add(first);
                return;
            }
        }
        executor.execute(first);
    }

    /** Invokes a function target at once, in the caller's thread, without retries: for "fire this schedule now". */
    public Object invokeNow(RuleTarget target, String eventJson) throws Exception {
        String payload = target.input().apply(eventJson);
        if (!target.isFunction()) {
            sendToQueue("manual", target, payload);
            return null;
        }
        FunctionInvoker current = invoker;
        if (current == null) {
            throw new IllegalStateException("no function runtime connected");
        }
        return current.invoke(target.functionId(), eventFor(target, payload));
    }

    /** The event object a function target is handed for a payload (see the class comment). */
    public static Object eventFor(RuleTarget target, String payload) {
        try {
            if (target.input().isWholeEvent()) {
                return EventEnvelope.parse(payload).toScheduledEvent();
            }
            return Json.MAPPER.readValue(payload, Object.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot build the event for " + target.describe() + ": " + e.getMessage(), e);
        }
    }

    private void attempt(String source, RuleTarget target, String payload, int attempt) {
        try {
            invoker.invoke(target.functionId(), eventFor(target, payload));
            inFlight.decrementAndGet();
        } catch (Exception e) {
            if (attempt < target.maximumRetryAttempts() && !executor.isShutdown()) {
                long delay = Math.min(2000, 100L << attempt);
                executor.schedule(() -> attempt(source, target, payload, attempt + 1), delay, TimeUnit.MILLISECONDS);
                return;
            }
            inFlight.decrementAndGet();
            deadLetter(source, target, payload, e);
        }
    }

    private void deadLetter(String source, RuleTarget target, String payload, Exception error) {
        Map<String, Object> log = Map.of("source", source, "target", target.describe(),
                "attempts", target.maximumRetryAttempts() + 1, "error", String.valueOf(error));
        if (target.deadLetterQueueUrl() == null) {
            LOG.error(null, "event dropped after retries: no dead-letter queue", log);
            return;
        }
        LOG.warn(null, "event sent to the target's dead-letter queue", log);
        sqs.client().sendMessage(b -> b.queueUrl(target.deadLetterQueueUrl()).messageBody(payload).messageAttributes(Map.of(
                "RULE_ARN", text(source),
                "TARGET_ARN", text(target.arn()),
                "ERROR_CODE", text(error.getClass().getSimpleName()),
                "ERROR_MESSAGE", text(String.valueOf(error.getMessage())))));
    }

    private void sendToQueue(String source, RuleTarget target, String payload) {
        SendMessageRequest.Builder send = SendMessageRequest.builder().queueUrl(target.queueUrl()).messageBody(payload);
        if (target.messageGroupId() != null) {
            send.messageGroupId(target.messageGroupId()).messageDeduplicationId(UUID.randomUUID().toString());
        }
        try {
            sqs.client().sendMessage(send.build());
        } catch (RuntimeException e) {
            LOG.error(null, "event not delivered to queue", Map.of("source", source, "target", target.describe(),
                    "error", String.valueOf(e)));
        }
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value.isEmpty() ? "-" : value).build();
    }

    /** Waits until every accepted function delivery finished (retries included); false on timeout. */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
