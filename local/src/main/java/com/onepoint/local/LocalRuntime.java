package com.onepoint.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.onepoint.devkit.CompositeRefs;
import com.onepoint.devkit.FunctionInvoker;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.ResourceRefs;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.UnsupportedTemplateException;
import com.onepoint.engine.http.EngineServer;
import com.onepoint.shared.aws.Env;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole template in one JVM: OnePoint's DynamoDB engine with every table (in memory or in a data directory), the event-source extensions, every function built
 * once, and the REST API over HTTP. Everything is derived from the template; a construct it cannot honour stops
 * {@link #start} with an {@link UnsupportedTemplateException}.
 */
public final class LocalRuntime implements AutoCloseable {
    /** The port to pass for a runtime without HTTP (the {@code invoke} command); {@link #port()} then answers it too. */
    public static final int NO_HTTP = -1;
    /** How {@link #wiring()} describes a resource that only matters in AWS (an alarm, a log group, ...). */
    static final String NO_LOCAL_BEHAVIOUR = "no local behaviour";

    private final LocalDynamo dynamo;
    private final List<EventSourceExtension> extensions;
    private final LocalFunctions functions;
    private final Wiring wiring;
    private final String stage;
    private final HttpApiServer http;
    private final StartupTimes startupTimes;
    private final EngineServer dynamoDbServer;
    private final java.nio.file.Path dataDir;
    private final CompletableFuture<SnapStartHooks.Result> snapStart;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SamTemplate template;

    private LocalRuntime(SamTemplate template, LocalDynamo dynamo, List<EventSourceExtension> extensions, LocalFunctions functions,
                         Wiring wiring, String stage, HttpApiServer http, StartupTimes startupTimes,
                         EngineServer dynamoDbServer, java.nio.file.Path dataDir, CompletableFuture<SnapStartHooks.Result> snapStart) {
        this.template = template;
        this.snapStart = snapStart;
        this.startupTimes = startupTimes;
        this.dynamoDbServer = dynamoDbServer;
        this.dataDir = dataDir;
        this.dynamo = dynamo;
        this.extensions = extensions;
        this.functions = functions;
        this.wiring = wiring;
        this.stage = stage;
        this.http = http;
    }

    /**
     * Starts everything the template declares. {@code port}: the HTTP port on 127.0.0.1, 0 for an ephemeral one,
     * {@link #NO_HTTP} for none. On failure whatever had started is stopped again.
     */
    public static LocalRuntime start(SamTemplate template, int port, RuntimeOverrides overrides) throws IOException {
        Map<String, EventSourceExtension> byEventType = new LinkedHashMap<>();
        Map<String, EventSourceExtension> byResourceType = new LinkedHashMap<>();
        for (EventSourceExtension ext : overrides.extensions()) {
            claim(byEventType, ext.eventTypes(), ext, "event type");
            claim(byResourceType, ext.resourceTypes(), ext, "resource type");
        }
        TemplateCheck.verify(template, byEventType.keySet(), byResourceType.keySet());

        List<AutoCloseable> started = new ArrayList<>(overrides.extensions()); // closed on failure whatever happened
        StartupTimes times = new StartupTimes();
        try {
            // the DynamoDB engine and the extensions' engines (ElasticMQ) need nothing of each other: boot them side
            // by side
            CompletableFuture<Void> prepared = CompletableFuture.runAsync(() -> {
                for (EventSourceExtension ext : overrides.extensions()) {
                    extensionStep(ext, "prepare", () -> {
                        ext.prepare(template);
                        return null;
                    });
                }
                times.lap("extensions prepared");
            });
            LocalDynamo dynamo;
            try {
                dynamo = LocalDynamo.start(template, overrides.dataDir());
            } catch (RuntimeException e) {
                prepared.exceptionally(ignored -> null).join(); // the extensions close only once their boot is over
                throw e;
            }
            started.add(0, dynamo);
            times.lap("DynamoDB engine and tables");
            EngineServer dynamoDbServer = null;
            if (overrides.dynamoDbPort() != RuntimeOverrides.NO_DYNAMODB_PORT) {
                try {
                    dynamoDbServer = EngineServer.start(dynamo.engine(), "127.0.0.1", overrides.dynamoDbPort());
                } catch (java.io.UncheckedIOException e) {
                    throw new IllegalStateException("the DynamoDB port " + overrides.dynamoDbPort()
                            + " is in use; pass --dynamodb-port 0 to serve none, or another port", e.getCause());
                }
                started.add(1, dynamoDbServer);
            }
            awaitPrepared(prepared);
            CompositeRefs refs = new CompositeRefs(List.of());
            refs.add(new ServerlessRefs(template, refs));
            refs.add(dynamo);

            Map<Class<?>, Object> instances = new LinkedHashMap<>();
            instances.put(DynamoDbClient.class, dynamo.client());
            instances.put(Clock.class, Clock.systemUTC());
            List<EventSourceExtension> extensions = new ArrayList<>();
            for (EventSourceExtension ext : overrides.extensions()) {
                extensions.add(ext);
                EventSourceExtension.Context context = new EventSourceExtension.Context(template, refs, dynamo, instances);
                refs.add(extensionStep(ext, "start", () -> ext.start(context)));
            }
            times.lap("extension resources");
            instances.putAll(overrides.instances()); // the caller's choice wins over the runtime's and the extensions'

            Wiring wiring = new Wiring();
            wireResources(template, dynamo, refs, byResourceType, wiring);
            LocalFunctions functions = buildFunctions(template, refs, instances, wiring,
                    LocalParameters.seeded(template, overrides.adminKey()), overrides.interceptor());
            times.lap("functions built");
            List<ApiRoute> routes = bindEvents(template, refs, byEventType, functions, wiring);
            for (EventSourceExtension ext : extensions) {
                extensionStep(ext, "start delivering", () -> {
                    ext.started(functions);
                    return null;
                });
            }
            ApiRoutes apiRoutes = new ApiRoutes(routes);

            SamTemplate.Resource api = template.resourcesOfType(TemplateCheck.API).stream().findFirst().orElse(null);
            String stage = api == null ? null
                    : template.resolveString(api.properties().getOrDefault("StageName", "Prod"), refs, api.where("StageName"));
            HttpApiServer http = null;
            if (api != null && port != NO_HTTP) {
                http = HttpApiServer.start(port, overrides.httpThreads(), apiRoutes, functions,
                        ServerlessRefs.apiId(api.logicalId()), stage, ApiAuthorizer.of(template, api),
                        GatewayResponses.of(api), ApiDocs.of(template, api));
                started.add(http);
                times.lap("HTTP");
            }
            // Lambda primes when a version is published, long before its traffic; here the hooks run once the API
            // is open, beside the first requests (they only read) and at the lowest priority, so the launch and the
            // first answers do not wait for them
            CompletableFuture<SnapStartHooks.Result> snapStart = new CompletableFuture<>();
            Thread priming = new Thread(() -> {
                try {
                    SnapStartHooks.Result result = SnapStartHooks.run(template, functions);
                    times.lap("SnapStart hooks");
                    snapStart.complete(result);
                } catch (Throwable e) {
                    snapStart.completeExceptionally(e);
                }
            }, "snapstart-hooks");
            priming.setDaemon(true);
            priming.setPriority(Thread.MIN_PRIORITY);
            priming.start();
            if (api != null) {
                wiring.resource(api.logicalId(), http == null ? "REST API, stage " + stage + ", not served (no HTTP)"
                        : "REST API, stage " + stage + ", on http://127.0.0.1:" + http.port());
            }
            return new LocalRuntime(template, dynamo, extensions, functions, wiring, stage, http, times, dynamoDbServer,
                    overrides.dataDir(), snapStart);
        } catch (RuntimeException | IOException e) {
            try {
                closeAll(started);
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * As {@link #start(SamTemplate, int, RuntimeOverrides)}, with the extensions' {@link EventSourceExtension#boot}
     * begun before {@code template} is read, so that their boot overlaps the parsing.
     */
    public static LocalRuntime start(Callable<SamTemplate> template, int port, RuntimeOverrides overrides)
            throws Exception {
        SamTemplate parsed;
        try {
            overrides.extensions().forEach(EventSourceExtension::boot);
            parsed = template.call();
        } catch (Exception | Error e) {
            for (EventSourceExtension ext : overrides.extensions()) {
                try {
                    ext.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
        return start(parsed, port, overrides);
    }

    /** The template this runtime runs. */
    public SamTemplate template() {
        return template;
    }

    public static LocalRuntime start(SamTemplate template, int port) throws IOException {
        return start(template, port, RuntimeOverrides.defaults());
    }

    private static void claim(Map<String, EventSourceExtension> claims, Set<String> types, EventSourceExtension ext,
                              String what) {
        for (String type : types) {
            EventSourceExtension other = claims.putIfAbsent(type, ext);
            if (other != null) {
                throw new IllegalArgumentException(what + " " + type + " is claimed by both " + other.name() + " and "
                        + ext.name());
            }
        }
    }

    /** Waits for the extensions' boot; its failure is rethrown as it was thrown. */
    private static void awaitPrepared(CompletableFuture<Void> prepared) {
        try {
            prepared.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Tables, extension resources and AWS-only resources; each must be accounted for (functions and API come later). */
    private static void wireResources(SamTemplate template, LocalDynamo dynamo, ResourceRefs refs,
                                      Map<String, EventSourceExtension> byResourceType, Wiring wiring) {
        for (SamTemplate.Resource r : template.resources().values()) {
            EventSourceExtension ext = byResourceType.get(r.type());
            if (r.type().equals(LocalDynamo.TABLE_TYPE)) {
                wiring.resource(r.logicalId(), "DynamoDB engine table " + dynamo.ref(r.logicalId()));
            } else if (ext != null) {
                String ref = refs.ref(r.logicalId());
                if (ref == null) {
                    throw new UnsupportedTemplateException(r.where("Type"), "event-source extension " + ext.name()
                            + " claims " + r.type() + " but did not stand this resource up");
                }
                wiring.resource(r.logicalId(), ext.name() + " " + ref);
            } else if (TemplateCheck.AWS_ONLY_RESOURCE_TYPES.contains(r.type())) {
                wiring.resource(r.logicalId(), NO_LOCAL_BEHAVIOUR + " (" + r.type() + ")");
            }
        }
    }

    private static LocalFunctions buildFunctions(SamTemplate template, ResourceRefs refs,
                                                 Map<Class<?>, Object> instances, Wiring wiring,
                                                 LocalParameters parameters, FunctionInterceptor interceptor) {
        LocalFunctions functions = new LocalFunctions();
        for (SamTemplate.Resource fn : template.resourcesOfType(TemplateCheck.FUNCTION)) {
            FunctionSpec spec = FunctionSpec.from(template, fn, refs, parameters);
            Map<Class<?>, Object> registry = new HashMap<>(instances);
            registry.put(Env.class, new Env(spec.environment()));
            LocalFunction function = new LocalFunction(spec, HandlerFactory.create(spec, registry, fn.where("Handler")),
                    interceptor);
            functions.add(function);
            wiring.resource(fn.logicalId(), "function " + function.handlerClass().getName());
        }
        return functions;
    }

    /** Routes the Api events; hands every other event to the extension that delivers its type. */
    private static List<ApiRoute> bindEvents(SamTemplate template, ResourceRefs refs,
                                             Map<String, EventSourceExtension> byEventType, LocalFunctions functions,
                                             Wiring wiring) {
        List<ApiRoute> routes = new ArrayList<>();
        for (SamTemplate.Resource fn : template.resourcesOfType(TemplateCheck.FUNCTION)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> events = (Map<String, Object>) fn.properties().getOrDefault("Events", Map.of());
            for (Map.Entry<String, Object> e : events.entrySet()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> body = (Map<String, Object>) e.getValue();
                String type = String.valueOf(body.get("Type"));
                @SuppressWarnings("unchecked")
                Map<String, Object> props = (Map<String, Object>) template.resolve(body.getOrDefault("Properties", Map.of()),
                        refs, fn.where("Events." + e.getKey() + ".Properties"));
                FunctionEvent event = new FunctionEvent(fn.logicalId(), e.getKey(), type, props);
                if (type.equals(TemplateCheck.API_EVENT)) {
                    Class<?> input = functions.get(fn.logicalId()).inputType();
                    if (!input.isAssignableFrom(APIGatewayProxyRequestEvent.class)) {
                        throw new UnsupportedTemplateException(fn.where("Events." + e.getKey() + ".Type"), "an Api event"
                                + " needs a handler of APIGatewayProxyRequestEvent; " + fn.logicalId() + " takes " + input.getName());
                    }
                    boolean open = props.get("Auth") instanceof Map<?, ?> auth
                            && ApiRoute.NO_AUTHORIZER.equals(auth.get("Authorizer")); // TemplateCheck allows only NONE
                    ApiRoute route = new ApiRoute(fn.logicalId(), e.getKey(), String.valueOf(props.get("Method")),
                            String.valueOf(props.get("Path")), open);
                    routes.add(route);
                    wiring.event(event, route.method() + " " + route.resourcePath());
                } else {
                    EventSourceExtension ext = byEventType.get(type); // TemplateCheck made sure there is one
                    wiring.event(event, extensionStep(ext, "bind " + event.id(), () -> ext.bind(event, functions)));
                }
            }
        }
        return routes;
    }

    /** What an extension's step may throw. */
    private interface ExtensionStep<T> {
        T run() throws Exception;
    }

    /** Runs one step of an extension; a checked exception becomes an IllegalStateException naming the extension. */
    private static <T> T extensionStep(EventSourceExtension ext, String failedTo, ExtensionStep<T> step) {
        try {
            return step.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("event-source extension " + ext.name() + " failed to " + failedTo + ": " + e, e);
        }
    }

    /** The HTTP port, or {@link #NO_HTTP}. */
    public int port() {
        return http == null ? NO_HTTP : http.port();
    }

    /** http://127.0.0.1:PORT, or null without HTTP. */
    public String baseUrl() {
        return http == null ? null : "http://127.0.0.1:" + http.port();
    }

    /** Calls a function by logical id with an event object, as the event sources do. */
    public FunctionInvoker invoker() {
        return functions;
    }

    public LocalFunctions functions() {
        return functions;
    }

    public LocalDynamo dynamo() {
        return dynamo;
    }

    public Wiring wiring() {
        return wiring;
    }

    /** How long each startup step took, in order, e.g. for the serve banner. */
    public StartupTimes startupTimes() {
        return startupTimes;
    }

    /**
     * Which functions' SnapStart hooks ran at startup, and how long they took; waits until they have. A failed hook
     * throws here, naming its function (serve then stops, as a failed hook fails a version's publication).
     */
    SnapStartHooks.Result snapStart() {
        try {
            return snapStart.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The API's stage (StageName), or null when the template has no API. */
    public String stage() {
        return stage;
    }

    /** The data directory, or null in memory. */
    public java.nio.file.Path dataDir() {
        return dataDir;
    }

    /** The engine's loopback port, or {@link RuntimeOverrides#NO_DYNAMODB_PORT}. */
    public int dynamoDbPort() {
        return dynamoDbServer == null ? RuntimeOverrides.NO_DYNAMODB_PORT : dynamoDbServer.port();
    }

    /** Stops HTTP first, then the event sources (pollers stop before the tables go), then the engine. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<AutoCloseable> all = new ArrayList<>();
        all.add(dynamo);
        if (dynamoDbServer != null) {
            all.add(dynamoDbServer);
        }
        all.addAll(extensions);
        if (http != null) {
            all.add(http);
        }
        closeAll(all);
    }

    /** Closes in reverse order of start; one failing close does not keep the others open. */
    private static void closeAll(List<AutoCloseable> started) {
        RuntimeException failure = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the local runtime", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
