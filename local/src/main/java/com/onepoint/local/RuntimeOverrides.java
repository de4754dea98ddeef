package com.onepoint.local;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a caller of {@link LocalRuntime#start} may change: instances offered to function constructors (e.g. a fixed
 * {@link Clock} in a test), event-source extensions, and the HTTP worker count. Immutable; each {@code with} copies.
 */
public final class RuntimeOverrides {
    /** HTTP workers chosen by where the data lives ({@link #httpThreads()}), unless set with {@link #withHttpThreads}. */
    public static final int AUTO_HTTP_THREADS = 0;
    /**
     * Workers per core when the data is durable: a request waits for the log's fsync once per durable write (a deal:
     * one, three with an Idempotency-Key), and another request can use the core meanwhile; more only take turns at
     * the CPU (LocalBenchmark durable, 8 clients on 2 cores: 2,211/s at p99 11.5 ms with 8 workers, 1,650-1,984/s
     * at 12-15 ms with 16, 1,692/s at 14 ms with 4).
     */
    static final int DURABLE_HTTP_THREADS_PER_CORE = 4;
    /** {@link #withDynamoDbPort}: serve the engine on no port (tests; the functions reach it in process). */
    public static final int NO_DYNAMODB_PORT = -1;

    private final Map<Class<?>, Object> instances;
    private final List<EventSourceExtension> extensions;
    private final int httpThreads;
    private final String adminKey;
    private final FunctionInterceptor interceptor;
    private final java.nio.file.Path dataDir;
    private final int dynamoDbPort;

    private RuntimeOverrides(Map<Class<?>, Object> instances, List<EventSourceExtension> extensions, int httpThreads,
                             String adminKey, FunctionInterceptor interceptor, java.nio.file.Path dataDir,
                             int dynamoDbPort) {
        this.instances = instances;
        this.extensions = extensions;
        this.httpThreads = httpThreads;
        this.adminKey = adminKey;
        this.interceptor = interceptor;
        this.dataDir = dataDir;
        this.dynamoDbPort = dynamoDbPort;
    }

    /** The core runtime alone: tables, functions, the REST API; no event-source extension. */
    public static RuntimeOverrides defaults() {
        return new RuntimeOverrides(Map.of(), List.of(), AUTO_HTTP_THREADS, LocalParameters.DEFAULT_ADMIN_KEY,
                FunctionInterceptor.NONE, null, NO_DYNAMODB_PORT);
    }

    /**
     * The whole system, as {@code serve}, {@code invoke} and the end-to-end tests run it: the core plus the devkit
     * event sources (ElasticMQ queues, the event-ruler bus, stream and queue pollers, schedules).
     */
    public static RuntimeOverrides standard() {
        return standard(null);
    }

    /**
     * {@link #standard()} keeping its data in {@code dataDir} (null: in memory): the engine's tables, items, streams
     * and the pollers' positions, and the queued messages.
     */
    public static RuntimeOverrides standard(java.nio.file.Path dataDir) {
        RuntimeOverrides core = defaults();
        return new RuntimeOverrides(core.instances, List.of(new DevkitEventSources(Clock.systemUTC(), dataDir)),
                core.httpThreads, core.adminKey, core.interceptor, dataDir, core.dynamoDbPort);
    }

    /** Also serves the engine on this loopback port (DynamoDB JSON protocol), or {@link #NO_DYNAMODB_PORT}. */
    public RuntimeOverrides withDynamoDbPort(int port) {
        return new RuntimeOverrides(instances, extensions, httpThreads, adminKey, interceptor, dataDir, port);
    }

    /** The admin API key the local Parameter Store seeds (its SHA-256); local-admin-key by default. */
    public RuntimeOverrides withAdminKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("the admin key must not be blank");
        }
        return new RuntimeOverrides(instances, extensions, httpThreads, key, interceptor, dataDir, dynamoDbPort);
    }

    public RuntimeOverrides withInterceptor(FunctionInterceptor around) {
        return new RuntimeOverrides(instances, extensions, httpThreads, adminKey, around, dataDir, dynamoDbPort);
    }

    /** Offers {@code instance} to function constructors taking a {@code type}; replaces the runtime's own. */
    public <T> RuntimeOverrides withInstance(Class<T> type, T instance) {
        Map<Class<?>, Object> copy = new LinkedHashMap<>(instances);
        copy.put(type, type.cast(instance));
        return new RuntimeOverrides(Map.copyOf(copy), extensions, httpThreads, adminKey, interceptor, dataDir, dynamoDbPort);
    }

    public RuntimeOverrides withExtension(EventSourceExtension extension) {
        List<EventSourceExtension> copy = new ArrayList<>(extensions);
        copy.add(extension);
        return new RuntimeOverrides(instances, List.copyOf(copy), httpThreads, adminKey, interceptor, dataDir, dynamoDbPort);
    }

    public RuntimeOverrides withHttpThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("httpThreads must be at least 1");
        }
        return new RuntimeOverrides(instances, extensions, threads, adminKey, interceptor, dataDir, dynamoDbPort);
    }

    java.nio.file.Path dataDir() {
        return dataDir;
    }

    int dynamoDbPort() {
        return dynamoDbPort;
    }

    Map<Class<?>, Object> instances() {
        return instances;
    }

    List<EventSourceExtension> extensions() {
        return extensions;
    }

    /**
     * Workers serving HTTP requests, which is also the most function invocations running at once over HTTP. In memory
     * a request never waits on I/O, so workers beyond the cores would only take turns at the CPU, and the turns are
     * the latency tail (8 clients on 2 cores: p99 26 ms with 16 workers, 12 ms with 2).
     */
    int httpThreads() {
        if (httpThreads != AUTO_HTTP_THREADS) {
            return httpThreads;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return dataDir == null ? Math.max(2, cores) : DURABLE_HTTP_THREADS_PER_CORE * cores;
    }

    String adminKey() {
        return adminKey;
    }

    FunctionInterceptor interceptor() {
        return interceptor;
    }
}
