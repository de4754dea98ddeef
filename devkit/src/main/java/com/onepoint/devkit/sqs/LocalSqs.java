package com.onepoint.devkit.sqs;

import com.onepoint.devkit.CompositeRefs;
import com.onepoint.devkit.Props;
import com.onepoint.devkit.ResourceRefs;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.UnsupportedTemplateException;
import com.onepoint.devkit.json.Json;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.InternalMessage;
import org.elasticmq.msg.LookupQueue;
import org.elasticmq.msg.RestoreMessages;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ElasticMQ embedded in this JVM on 127.0.0.1 (dynamic port), with every {@code AWS::SQS::Queue} of the template
 * created as declared, dead-letter queues first so that each RedrivePolicy can name its DLQ. ElasticMQ honours
 * RedrivePolicy itself: after maxReceiveCount receives a message moves to the DLQ.
 * Resolves {@code !Ref Queue} (URL), {@code !GetAtt Queue.Arn} and {@code !GetAtt Queue.QueueName}.
 * In memory, or durable in a data directory ({@link #boot(SamTemplate, Path)}), where a restart finds every message
 * that was sent and not deleted.
 */
public final class LocalSqs implements AutoCloseable, ResourceRefs {
    public static final String QUEUE_TYPE = "AWS::SQS::Queue";
    /** Under the runtime's data directory: where the queues' messages are kept. */
    public static final String DATA_SUBDIRECTORY = "sqs";
    private static final Set<String> SUPPORTED = Set.of("QueueName", "VisibilityTimeout", "MessageRetentionPeriod",
            "DelaySeconds", "ReceiveMessageWaitTimeSeconds", "MaximumMessageSize", "FifoQueue",
            "ContentBasedDeduplication", "RedrivePolicy");
    /** Encryption, tags and the permission-like RedriveAllowPolicy change nothing a local caller can observe. */
    private static final Set<String> AWS_ONLY = Set.of("Tags", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
            "SqsManagedSseEnabled", "RedriveAllowPolicy");
    /** Template property → SQS attribute, for the ones that pass through unchanged. */
    private static final Map<String, QueueAttributeName> PLAIN = Map.of(
            "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT,
            "MessageRetentionPeriod", QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            "DelaySeconds", QueueAttributeName.DELAY_SECONDS,
            "ReceiveMessageWaitTimeSeconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
            "MaximumMessageSize", QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
            "FifoQueue", QueueAttributeName.FIFO_QUEUE,
            "ContentBasedDeduplication", QueueAttributeName.CONTENT_BASED_DEDUPLICATION);

    /** ${Name} and ${Name.Attribute} in a !Sub: the resource part. */
    /** CreateQueue calls in flight at once while the queues are created. */
    private static final int CREATE_THREADS = 4;
    private static final Pattern SUB_REFERENCE = Pattern.compile("\\$\\{([^}.!]+)");

    private final URI endpoint;
    /**
     * Built first thing on the boot thread (an SDK client with its TLS set-up costs a few hundred ms of class loading):
     * {@code client}, for everyone, whose calls wait until the template's queues exist ({@link #ready}), and
     * {@code setup}, which creates them.
     */
    private final CompletableFuture<Clients> clients = new CompletableFuture<>();
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** ElasticMQ up on {@link #endpoint}: its server and, durable only, the journal and its actors. */
    private final CompletableFuture<Engine> engine = new CompletableFuture<>();
    /** The template's queues created and their journalled messages restored: SQS calls may go ahead. */
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile CompletableFuture<Void> creating;
    private volatile int restoredMessages;

    /** One created queue. {@code dlqLogicalId} is null when the queue has no RedrivePolicy. */
    public record Queue(String logicalId, String name, String url, String arn, String dlqLogicalId, int maxReceiveCount) {
    }

    private record Clients(SqsClient client, SqsClient setup) {
    }

    /** What a boot starts. Durable mode only (null in memory): the journal, its actor system, the queue manager. */
    private record Engine(SQSRestServer server, SqsJournal journal, ActorSystem actorSystem, ActorRef queueManager) {
    }

    /**
     * Takes a loopback port now and starts ElasticMQ on it in the background: URLs and ARNs are known at once, so the
     * runtime can build its functions and open its API while the actor system boots (about a second).
     */
    private LocalSqs(Path dataDir, boolean force) {
        int port = freeLoopbackPort();
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        Thread boot = new Thread(() -> {
            try {
                clients.complete(new Clients(client(endpoint, ready), client(endpoint, null)));
                // the runtime's start waits for the clients, not for the rest: that goes behind the API's first answers
                Thread.currentThread().setPriority(Thread.MIN_PRIORITY);
                Engine started = startEngine(port, dataDir, force);
                engine.complete(started);
            } catch (Throwable e) {
                clients.completeExceptionally(e);
                engine.completeExceptionally(e);
                ready.completeExceptionally(e);
            }
        }, "elasticmq-boot");
        boot.setDaemon(true);
        boot.start();
    }

    private Engine startEngine(int port, Path dataDir, boolean force) {
        TheSQSRestServerBuilder builder = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
                .withAWSRegion(SamTemplate.REGION).withAWSAccountId(SamTemplate.ACCOUNT_ID);
        Engine started;
        if (dataDir == null) {
            started = new Engine(builder.start(), null, null, null);
        } else {
            // what ElasticMQServer does for its own persistence: one actor system, a queue manager that reports
            // every message change to a listener and answers only after the listener did
            SqsJournal journal = SqsJournal.open(dataDir.resolve(DATA_SUBDIRECTORY), force, SqsJournal.MOVE_GRACE);
            ActorSystem system = null;
            try {
                system = ActorSystem.create("elasticmq");
                ActorRef listener = system.actorOf(JournalListener.props(journal), "sqs-journal");
                Option<ActorRef> listening = Option.apply(listener);
                ActorRef queueManager = system.actorOf(org.apache.pekko.actor.Props.create(QueueManagerActor.class,
                        () -> new QueueManagerActor(new NowProvider(), StrictSQSLimits$.MODULE$, listening)));
                started = new Engine(builder.withActorSystem(system).withQueueManagerActor(queueManager).start(),
                        journal, system, queueManager);
            } catch (RuntimeException e) {
                if (system != null) {
                    terminate(system);
                }
                journal.close();
                throw e;
            }
        }
        started.server().waitUntilStarted();
        // the first request through the SDK client and ElasticMQ's HTTP stack costs most of a second of class loading:
        // paid here, in the background, not when the queues are created
        setupClient().listQueues();
        return started;
    }

    private static int freeLoopbackPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no free loopback port for ElasticMQ", e);
        }
    }

    /** Starts ElasticMQ in memory and creates every queue of the template. */
    public static LocalSqs start(SamTemplate template) {
        return start(template, (ResourceRefs) null, null);
    }

    /** As {@link #start(SamTemplate)}, resolving references to resources other than queues against {@code others}. */
    public static LocalSqs start(SamTemplate template, ResourceRefs others) {
        return start(template, others, null);
    }

    /** As {@link #start(SamTemplate)}, durable in {@code dataDir} (null: in memory); see {@link #boot(SamTemplate, Path)}. */
    public static LocalSqs start(SamTemplate template, Path dataDir) {
        return start(template, null, dataDir);
    }

    /** Boots on {@code dataDir} (null: in memory) and creates every queue, other references against {@code others}. */
    public static LocalSqs start(SamTemplate template, ResourceRefs others, Path dataDir) {
        return boot(template, dataDir).createQueues(template, others);
    }

    /** {@link #boot(SamTemplate, Path)} in memory: nothing outlives {@link #close()}. */
    public static LocalSqs boot(SamTemplate template) {
        return boot(template, null);
    }

    /**
     * Checks every queue of the template (properties, redrive cycles), then starts ElasticMQ with no queue yet: the seconds its actor system
     * takes to boot can overlap DynamoDB Local's, since nothing in it depends on other resources. Finish with
     * {@link #createQueues}.
     *
     * <p>With a {@code dataDir} (the runtime's {@code --data-dir}), messages are kept in {@code dataDir/sqs/}
     * ({@link SqsJournal}): every SendMessage, ReceiveMessage, ChangeMessageVisibility and DeleteMessage is answered
     * only after its effect is committed to an MVStore file (a sent message is also synced to disk first), and the next boot
     * on the same directory restores, in {@link #createQueues}, every message that was not deleted, as it was: an
     * in-flight one becomes visible when its visibility timeout ends, with its receive count (so redrive to the DLQ
     * goes on counting) and its receipt handle still valid. Queues themselves are not stored: every boot creates them from the template. Messages of a
     * queue the template no longer declares stay on disk, untouched, until a template declares it again.
     * One LocalSqs at a time per directory (MVStore locks its file; the OS drops the lock with the process). {@code null}: in memory.
     */
    public static LocalSqs boot(SamTemplate template, Path dataDir) {
        return boot(template, dataDir, true);
    }

    /** {@code force} false: sends committed before their answer but not synced (survive kill -9, not power loss); to measure. */
    static LocalSqs boot(SamTemplate template, Path dataDir, boolean force) {
        // fail before spending seconds on ElasticMQ: unsupported properties, circular redrive references
        check(template);
        return boot(dataDir, force);
    }

    /** Throws for a queue property the local runtime does not support, or a circular redrive reference. */
    public static void check(SamTemplate template) {
        for (SamTemplate.Resource queue : dependencyOrder(template.resourcesOfType(QUEUE_TYPE))) {
            new Props(queue.properties(), queue.logicalId() + " (" + queue.type() + ")").only(SUPPORTED, AWS_ONLY);
        }
    }

    private static LocalSqs boot(Path dataDir, boolean force) {
        LocalSqs local = startInBackground(dataDir, force);
        try {
            join(local.engine);
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
        return local;
    }

    /**
     * Starts ElasticMQ on {@code dataDir} (null: in memory) in the background and returns at once, its endpoint
     * known; {@link #createQueuesInBackground} then creates the queues once it is up. Every call of {@link #client()}
     * waits until they exist.
     */
    public static LocalSqs startInBackground(Path dataDir) {
        return startInBackground(dataDir, true);
    }

    static LocalSqs startInBackground(Path dataDir, boolean force) {
        return new LocalSqs(dataDir, force);
    }

    /** Creates every queue of the template, dead-letter queues first; other references resolve against {@code others}. */
    public LocalSqs createQueues(SamTemplate template, ResourceRefs others) {
        try {
            createQueuesInBackground(template, others);
            awaitReady();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /**
     * Resolves every queue of the template now (names, URLs, ARNs, redrive policies: a template error is thrown here)
     * and creates them, then restores the journalled messages, once ElasticMQ is up; returns at once.
     */
    public synchronized void createQueuesInBackground(SamTemplate template, ResourceRefs others) {
        if (creating != null) {
            throw new IllegalStateException("the queues are created once");
        }
        ResourceRefs refs = CompositeRefs.of(this, others);
        // a queue waits only for the queues it references (its dead-letter queue): each wave is created at once
        List<List<Planned>> waves = new ArrayList<>();
        for (List<SamTemplate.Resource> wave : waves(dependencyOrder(template.resourcesOfType(QUEUE_TYPE)))) {
            List<Planned> planned = new ArrayList<>();
            for (SamTemplate.Resource resource : wave) {
                planned.add(plan(template, resource, refs));
            }
            planned.forEach(p -> queues.put(p.queue().logicalId(), p.queue())); // in template order
            waves.add(planned);
        }
        creating = engine.thenAcceptAsync(started -> {
            for (List<Planned> wave : waves) {
                createAll(wave);
            }
            if (started.journal() != null) {
                restoreMessages(started);
            }
        }, LocalSqs::inBackground);
        creating.whenComplete((done, failure) -> {
            if (failure == null) {
                ready.complete(null);
            } else {
                ready.completeExceptionally(failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                        ? c.getCause() : failure);
            }
        });
    }

    /** Runs {@code work} on a daemon thread of the lowest priority: the API's first answers come before it. */
    private static void inBackground(Runnable work) {
        Thread t = new Thread(work, "sqs-create-queues");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Waits until the template's queues exist and their messages are restored; rethrows what failed. */
    public LocalSqs awaitReady() {
        join(ready);
        return this;
    }

    /** Completes when the queues are ready (exceptionally when ElasticMQ or a queue failed). */
    public CompletableFuture<Void> whenReady() {
        return ready.copy();
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** An SDK client for an ElasticMQ endpoint: static dummy credentials, the template's region, UrlConnection. */
    public static SqsClient client(URI endpoint) {
        return client(endpoint, null);
    }

    /** How long a call waits for the queues before it fails: ElasticMQ boots in about a second. */
    static final Duration READY_WAIT = Duration.ofSeconds(60);

    private static SqsClient client(URI endpoint, CompletableFuture<Void> waitFor) {
        var builder = SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(SamTemplate.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create());
        if (waitFor != null) {
            builder.overrideConfiguration(c -> c.addExecutionInterceptor(new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
                @Override
                public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                            software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                    try {
                        waitFor.get(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw software.amazon.awssdk.core.exception.SdkClientException.create("interrupted waiting for the local queues", e);
                    } catch (ExecutionException | TimeoutException e) {
                        throw software.amazon.awssdk.core.exception.SdkClientException.create("the local queues did not start: "
                                + (e.getCause() == null ? e : e.getCause()), e.getCause() == null ? e : e.getCause());
                    }
                }
            }));
        }
        return builder.build();
    }

    /** The SDK client for these queues; its calls wait until the template's queues exist. */
    public SqsClient client() {
        return join(clients).client();
    }

    private SqsClient setupClient() {
        return join(clients).setup();
    }

    /** http://127.0.0.1:port — what a function's SQS client should use as endpoint override. */
    public URI endpoint() {
        return endpoint;
    }

    /** Logical id → created queue, in creation order. */
    public Map<String, Queue> queues() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(queues));
    }

    public Queue queue(String logicalIdNameUrlOrArn) {
        for (Queue q : queues.values()) {
            if (q.logicalId().equals(logicalIdNameUrlOrArn) || q.name().equals(logicalIdNameUrlOrArn)
                    || q.url().equals(logicalIdNameUrlOrArn) || q.arn().equals(logicalIdNameUrlOrArn)) {
                return q;
            }
        }
        throw new IllegalArgumentException("no queue " + logicalIdNameUrlOrArn + "; queues: " + queues.keySet());
    }

    /** The URL of a queue named by logical id, name, URL or ARN. */
    public String urlOf(String logicalIdNameUrlOrArn) {
        return queue(logicalIdNameUrlOrArn).url();
    }

    /** Whether a queue of that logical id, name, URL or ARN exists. */
    public boolean has(String logicalIdNameUrlOrArn) {
        return queues.values().stream().anyMatch(q -> q.logicalId().equals(logicalIdNameUrlOrArn)
                || q.name().equals(logicalIdNameUrlOrArn) || q.url().equals(logicalIdNameUrlOrArn)
                || q.arn().equals(logicalIdNameUrlOrArn));
    }

    /**
     * Moves every message now visible in a dead-letter queue back to a source queue (the admin "redrive"), keeping
     * body and message attributes. {@code sourceQueue} null means the one queue whose RedrivePolicy names this DLQ.
     * Returns how many messages moved.
     */
    public int redrive(String dlqLogicalIdOrUrl, String sourceQueue) {
        Queue dlq = queue(dlqLogicalIdOrUrl);
        Queue target = sourceQueue != null ? queue(sourceQueue) : soleSourceOf(dlq);
        int moved = 0;
        while (true) {
            List<Message> batch = client().receiveMessage(b -> b.queueUrl(dlq.url()).maxNumberOfMessages(10)
                    .waitTimeSeconds(0).visibilityTimeout(30)
                    .messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages();
            if (batch.isEmpty()) {
                return moved;
            }
            for (Message m : batch) {
                SendMessageRequest.Builder send = SendMessageRequest.builder().queueUrl(target.url())
                        .messageBody(m.body()).messageAttributes(m.messageAttributes());
                String group = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
                if (group != null) {
                    send.messageGroupId(group).messageDeduplicationId(m.messageId());
                }
                client().sendMessage(send.build());
                client().deleteMessage(b -> b.queueUrl(dlq.url()).receiptHandle(m.receiptHandle()));
                moved++;
            }
        }
    }

    /** {@link #redrive(String, String)} back to the queue whose RedrivePolicy names this DLQ. */
    public int redrive(String dlqLogicalIdOrUrl) {
        return redrive(dlqLogicalIdOrUrl, null);
    }

    /** Number of messages in a queue, visible and in flight. */
    public int approximateCount(String logicalIdNameUrlOrArn) {
        Map<QueueAttributeName, String> attrs = client().getQueueAttributes(b -> b.queueUrl(urlOf(logicalIdNameUrlOrArn))
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attrs.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Integer.parseInt(attrs.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    @Override
    public String ref(String logicalId) {
        Queue q = queues.get(logicalId);
        return q == null ? null : q.url();
    }

    @Override
    public String getAtt(String logicalId, String attribute) {
        Queue q = queues.get(logicalId);
        if (q == null) {
            return null;
        }
        return switch (attribute) {
            case "Arn" -> q.arn();
            case "QueueName" -> q.name();
            case "QueueUrl" -> q.url();
            default -> null;
        };
    }

    private Queue soleSourceOf(Queue dlq) {
        List<Queue> sources = queues.values().stream().filter(q -> dlq.logicalId().equals(q.dlqLogicalId())).toList();
        if (sources.size() != 1) {
            throw new IllegalArgumentException("name the source queue: " + sources.size()
                    + " queues use " + dlq.logicalId() + " as their dead-letter queue");
        }
        return sources.get(0);
    }

    /** A queue resolved from the template, and the attributes it is created with. */
    private record Planned(Queue queue, Map<QueueAttributeName, String> attributes) {
    }

    /** Creates the queues of one wave side by side; they reference only queues of earlier waves. */
    private void createAll(List<Planned> wave) {
        if (wave.size() == 1) {
            create(wave.get(0));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(wave.size(), CREATE_THREADS), r -> {
            Thread t = new Thread(r, "sqs-create-queue");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        try {
            List<Future<?>> pending = new ArrayList<>();
            for (Planned queue : wave) {
                pending.add(pool.submit(() -> create(queue)));
            }
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating queues", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private void create(Planned planned) {
        Queue q = planned.queue();
        String url = setupClient().createQueue(b -> b.queueName(q.name()).attributes(planned.attributes())).queueUrl();
        if (!url.equals(q.url())) {
            throw new IllegalStateException("ElasticMQ created " + q.name() + " at " + url + ", not at " + q.url());
        }
    }

    /**
     * Splits a dependency order into waves: a queue goes one wave after the latest queue it references, and a queue
     * whose RedrivePolicy references no queue of the template (a literal ARN) after every queue before it.
     */
    static List<List<SamTemplate.Resource>> waves(List<SamTemplate.Resource> ordered) {
        Map<String, Integer> waveOf = new HashMap<>();
        List<List<SamTemplate.Resource>> waves = new ArrayList<>();
        for (SamTemplate.Resource q : ordered) {
            Set<String> referenced = new LinkedHashSet<>();
            collectReferences(q.properties(), referenced);
            int wave = 0;
            boolean referencesQueue = false;
            for (String id : referenced) {
                if (waveOf.containsKey(id) && !id.equals(q.logicalId())) {
                    wave = Math.max(wave, waveOf.get(id) + 1);
                    referencesQueue = true;
                }
            }
            if (!referencesQueue && q.properties().containsKey("RedrivePolicy")) {
                wave = waves.size(); // its dead-letter queue is named by a literal ARN: after every queue before it
            }
            waveOf.put(q.logicalId(), wave);
            while (waves.size() <= wave) {
                waves.add(new ArrayList<>());
            }
            waves.get(wave).add(q);
        }
        return waves;
    }

    private Planned plan(SamTemplate template, SamTemplate.Resource resource, ResourceRefs refs) {
        String where = resource.logicalId() + " (" + resource.type() + ")";
        // AWS-only properties are not resolved: a KMS key, say, has no local value to resolve to
        Map<String, Object> honoured = new LinkedHashMap<>(resource.properties());
        honoured.keySet().retainAll(SUPPORTED);
        Props props = Props.of(template.resolve(honoured, refs, where), where);
        boolean fifo = props.bool("FifoQueue", false);
        String name = props.has("QueueName") ? props.string("QueueName")
                : template.stackName() + "-" + resource.logicalId() + (fifo ? ".fifo" : "");
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        for (Map.Entry<String, QueueAttributeName> e : PLAIN.entrySet()) {
            if (props.has(e.getKey())) {
                attributes.put(e.getValue(), props.string(e.getKey()));
            }
        }
        String dlqLogicalId = null;
        int maxReceiveCount = 0;
        if (props.has("RedrivePolicy")) {
            Props redrive = redrivePolicy(props);
            String dlqArn = redrive.required("deadLetterTargetArn");
            maxReceiveCount = redrive.integer("maxReceiveCount", 0);
            if (maxReceiveCount < 1) {
                throw new UnsupportedTemplateException(redrive.where("maxReceiveCount"), "must be at least 1");
            }
            if (!has(dlqArn)) {
                throw new UnsupportedTemplateException(redrive.where("deadLetterTargetArn"),
                        dlqArn + " is not a queue of this template");
            }
            dlqLogicalId = queue(dlqArn).logicalId();
            attributes.put(QueueAttributeName.REDRIVE_POLICY, Json.write(Map.of(
                    "deadLetterTargetArn", dlqArn, "maxReceiveCount", String.valueOf(maxReceiveCount))));
        }
        // ElasticMQ's own form of a queue URL; checked against the one it answers when the queue is created
        String url = endpoint + "/" + SamTemplate.ACCOUNT_ID + "/" + name;
        String arn = "arn:aws:sqs:" + SamTemplate.REGION + ":" + SamTemplate.ACCOUNT_ID + ":" + name;
        return new Planned(new Queue(resource.logicalId(), name, url, arn, dlqLogicalId, maxReceiveCount), attributes);
    }

    /** RedrivePolicy is a mapping in YAML templates, but CloudFormation also takes it as a JSON string. */
    private static Props redrivePolicy(Props props) {
        Object raw = props.raw("RedrivePolicy");
        if (raw instanceof String text) {
            try {
                return Props.of(Json.MAPPER.readValue(text, Map.class), props.where("RedrivePolicy"));
            } catch (Exception e) {
                throw new UnsupportedTemplateException(props.where("RedrivePolicy"), "is not a JSON object: " + e.getMessage());
            }
        }
        return props.props("RedrivePolicy");
    }

    /** Queues ordered so that every queue comes after the queues it references (its DLQ). */
    static List<SamTemplate.Resource> dependencyOrder(List<SamTemplate.Resource> queues) {
        Map<String, SamTemplate.Resource> byId = new LinkedHashMap<>();
        queues.forEach(q -> byId.put(q.logicalId(), q));
        List<SamTemplate.Resource> ordered = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (SamTemplate.Resource q : queues) {
            visit(q, byId, done, new LinkedHashSet<>(), ordered);
        }
        return ordered;
    }

    private static void visit(SamTemplate.Resource q, Map<String, SamTemplate.Resource> byId, Set<String> done,
                              Set<String> path, List<SamTemplate.Resource> ordered) {
        if (done.contains(q.logicalId())) {
            return;
        }
        if (!path.add(q.logicalId())) {
            throw new UnsupportedTemplateException(q.where("RedrivePolicy"), "circular reference between queues " + path);
        }
        Set<String> referenced = new LinkedHashSet<>();
        collectReferences(q.properties(), referenced);
        for (String id : referenced) {
            if (byId.containsKey(id) && !id.equals(q.logicalId())) {
                visit(byId.get(id), byId, done, path, ordered);
            }
        }
        path.remove(q.logicalId());
        done.add(q.logicalId());
        ordered.add(q);
    }

    private static void collectReferences(Object value, Set<String> out) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.equals("Ref")) {
                    out.add(String.valueOf(e.getValue()));
                } else if (key.equals("Fn::GetAtt") && e.getValue() instanceof List<?> l && !l.isEmpty()) {
                    out.add(String.valueOf(l.get(0)));
                } else if (key.equals("Fn::Sub")) {
                    Object text = e.getValue() instanceof List<?> l && !l.isEmpty() ? l.get(0) : e.getValue();
                    Matcher matcher = SUB_REFERENCE.matcher(String.valueOf(text));
                    while (matcher.find()) {
                        out.add(matcher.group(1));
                    }
                    collectReferences(e.getValue(), out);
                } else {
                    collectReferences(e.getValue(), out);
                }
            }
        } else if (value instanceof List<?> l) {
            l.forEach(item -> collectReferences(item, out));
        }
    }

    /** Hands ElasticMQ the messages the journal held for each queue of the template (once, after creating them). */
    private void restoreMessages(Engine started) {
        for (Queue q : queues.values()) {
            List<InternalMessage> messages = started.journal().restore(q.name());
            if (messages.isEmpty()) {
                continue;
            }
            Object actor = ask(started.queueManager(), new LookupQueue(q.name()));
            if (!(actor instanceof Option<?> found) || found.isEmpty()) {
                throw new IllegalStateException("ElasticMQ has no queue " + q.name() + " to restore messages into");
            }
            ask((ActorRef) found.get(), new RestoreMessages(CollectionConverters.asScala(messages).toList()));
            restoredMessages += messages.size();
        }
    }

    private static Object ask(ActorRef actor, Object message) {
        try {
            return Patterns.ask(actor, message, Duration.ofSeconds(30)).toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted asking ElasticMQ " + message.getClass().getSimpleName(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("ElasticMQ failed " + message.getClass().getSimpleName(), e.getCause());
        }
    }

    private static void terminate(ActorSystem system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // stopping anyway; the journal closes after this and syncs what it was given
        }
    }

    /** The data directory's {@code sqs/} folder in durable mode; empty in memory. */
    public Optional<Path> storageDir() {
        SqsJournal journal = join(engine).journal();
        return journal == null ? Optional.empty() : Optional.of(journal.dir());
    }

    /**
     * Where the messages live, for a banner: {@code in memory}, or {@code <dir> (N messages restored)}, naming the
     * queues whose messages stay on disk because this template does not declare them.
     */
    public String storage() {
        awaitReady();
        SqsJournal journal = join(engine).journal();
        if (journal == null) {
            return "in memory";
        }
        StringBuilder s = new StringBuilder(journal.dir().toString()).append(" (").append(restoredMessages)
                .append(restoredMessages == 1 ? " message" : " messages").append(" restored");
        Set<String> kept = new java.util.TreeSet<>(journal.openedQueues());
        queues.values().forEach(q -> kept.remove(q.name()));
        if (!kept.isEmpty()) {
            s.append("; kept for queues not in this template: ").append(String.join(", ", kept));
        }
        return s.append(')').toString();
    }

    /** How many messages {@link #createQueues} restored from the data directory (0 in memory). */
    public int restoredMessages() {
        awaitReady();
        return restoredMessages;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) { // a failed createQueues closes, and so does its owner afterwards
            Engine started;
            try {
                // a boot or queue creation still under way finishes first: stopping mid-boot would leave threads behind
                started = engine.get(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                CompletableFuture<Void> pending = creating;
                if (pending != null) {
                    pending.exceptionally(ignored -> null).get(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                started = null;
            } catch (ExecutionException | TimeoutException e) {
                started = null; // it never started: nothing to stop
            }
            ready.completeExceptionally(new IllegalStateException("the local queues are closed"));
            Clients built = clients.getNow(null);
            if (built != null) {
                built.client().close();
                built.setup().close();
            }
            if (started == null) {
                return;
            }
            try {
                started.server().stopAndWait();
            } finally {
                if (started.actorSystem() != null) {
                    terminate(started.actorSystem());
                }
                if (started.journal() != null) {
                    started.journal().close(); // after the queue actors stopped: every answered change is on disk
                }
            }
        }
    }
}
