package com.onepoint.local.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny stand-in for the Lambda Java runtime, for {@link ColdStartBenchmark}'s fresh JVMs: it does what the managed
 * runtime does between starting the JVM and answering the first event, and nothing else. It loads the handler class
 * named {@code Class::method} from the classpath (the function's artifact), builds it with its no-argument
 * constructor (the function's init), and calls the overload the runtime would: a stream handler's
 * (InputStream, OutputStream, Context) with the event's bytes, or else the typed (event, Context), the event JSON
 * turned into the handler's input type with the runtime's own {@code aws-lambda-java-serialization}
 * ({@link LambdaEventSerializers}, as the runtime does for the events library's classes) and the answer serialized the
 * same way.
 *
 * <p>After the first answer is serialized it prints {@code answered <status> jvm-ms=<ms> main-ms=<ms> init-ms=<ms>
 * event-ms=<ms> classes=<n>}:
 * {@code jvm-ms} is from the JVM's start ({@code RuntimeMXBean.getStartTime()}, taken while the JVM is created, so it
 * leaves out only the process's exec and the JVM's first steps, which the parent's launch-to-answer figure adds) to
 * the serialized answer; {@code main-ms} is from this {@code main} to it, {@code init-ms} from {@code main} to the
 * handler built (its class loaded and initialised, its constructor run), {@code classes} the classes loaded by then. {@code java.lang.management} is loaded only
 * after the clock is read. Further event files are answered after the first one, each on its own line; an event may
 * say {@code ${dealId}}, replaced by the last {@code dealId} an answer carried.
 *
 * <p>Only the JDK, the Lambda core library (the artifact carries it) and the serialization jar may be on the
 * classpath besides the artifact: this class must not load anything of the local runtime.
 */
public final class ColdStartRuntime {
    static final String ANSWERED = "answered ";
    private static final Pattern DEAL_ID = Pattern.compile("\\\\?\"dealId\\\\?\"\\s*:\\s*\\\\?\"([^\"\\\\]+)");

    private ColdStartRuntime() {
    }

    public static void main(String[] args) throws Exception {
        long mainStarted = System.nanoTime();
        if (args.length < 2) {
            System.err.println("usage: ColdStartRuntime <handler Class::method> <event.json> [more events...]");
            System.exit(2);
        }
        String handlerSpec = args[0];
        String className = handlerSpec.contains("::") ? handlerSpec.substring(0, handlerSpec.indexOf("::")) : handlerSpec;
        String methodName = handlerSpec.contains("::") ? handlerSpec.substring(handlerSpec.indexOf("::") + 2) : "handleRequest";
        ClassLoader loader = ColdStartRuntime.class.getClassLoader();
        Class<?> handlerClass = Class.forName(className, true, loader);
        Object handler = handlerClass.getDeclaredConstructor().newInstance();
        long initDone = System.nanoTime();
        long eventNanos = System.nanoTime();
        Invocation invocation = invocation(handlerClass, methodName, handler, loader);
        eventNanos = System.nanoTime() - eventNanos;
        String lastDealId = null;
        for (int i = 1; i < args.length; i++) {
            String json = Files.readString(Path.of(args[i]));
            if (lastDealId != null) {
                json = json.replace("${dealId}", lastDealId);
            }
            String text = invocation.answer(json.getBytes(StandardCharsets.UTF_8), new InvocationContext());
            long answeredMillis = System.currentTimeMillis();
            long answeredNanos = System.nanoTime();
            Matcher id = DEAL_ID.matcher(text);
            if (id.find()) {
                lastDealId = id.group(1);
            }
            if (i == 1) {
                eventNanos += invocation.serializationNanos();
                long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
                System.out.println(ANSWERED + status(text) + " jvm-ms=" + (answeredMillis - jvmStart) + " main-ms="
                        + (answeredNanos - mainStarted) / 1_000_000 + " init-ms=" + (initDone - mainStarted) / 1_000_000
                        + " event-ms=" + eventNanos / 1_000_000 + " classes="
                        + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() + " body=" + text);
            } else {
                System.out.println(ANSWERED + status(text) + " event=" + Path.of(args[i]).getFileName() + " body=" + text);
            }
        }
        System.out.flush();
    }

    /**
     * The handler method the managed runtime would call for {@code Class::method}: of its overloads the longest
     * signature wins, so (InputStream, OutputStream, Context) is taken over (event, Context) when a class has both.
     */
    private static Invocation invocation(Class<?> type, String name, Object handler, ClassLoader loader) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && Arrays.equals(m.getParameterTypes(),
                    new Class<?>[]{InputStream.class, OutputStream.class, Context.class})) {
                return new StreamInvocation(m, handler);
            }
        }
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 2 && !m.isBridge()
                    && m.getParameterTypes()[1] == Context.class) {
                return new TypedInvocation(m, handler, loader);
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no " + name + "(InputStream, OutputStream, Context)"
                + " nor " + name + "(event, Context)");
    }

    /** One event in, its answer's JSON out; {@link #serializationNanos()} is what the runtime itself spent on it. */
    private interface Invocation {
        String answer(byte[] event, Context context) throws Exception;

        long serializationNanos();
    }

    /** A {@code RequestStreamHandler}: the bytes go in and come out as they are; the handler reads its own event. */
    private record StreamInvocation(Method method, Object handler) implements Invocation {
        @Override
        public String answer(byte[] event, Context context) throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            method.invoke(handler, new ByteArrayInputStream(event), out, context);
            return out.toString(StandardCharsets.UTF_8);
        }

        @Override
        public long serializationNanos() {
            return 0;
        }
    }

    /** A typed handler: the runtime's aws-lambda-java-serialization, its own shaded Jackson and the events' mix-ins. */
    private static final class TypedInvocation implements Invocation {
        private final Method method;
        private final Object handler;
        private final PojoSerializer<Object> input;
        private final PojoSerializer<Object> output;
        private long serializationNanos;

        @SuppressWarnings("unchecked")
        TypedInvocation(Method method, Object handler, ClassLoader loader) {
            this.method = method;
            this.handler = handler;
            input = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(method.getParameterTypes()[0], loader);
            output = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(method.getReturnType(), loader);
        }

        @Override
        public String answer(byte[] event, Context context) throws Exception {
            long started = System.nanoTime();
            Object in = input.fromJson(new ByteArrayInputStream(event));
            long parsed = System.nanoTime();
            Object response = method.invoke(handler, in, context);
            long handled = System.nanoTime();
            ByteArrayOutputStream serialized = new ByteArrayOutputStream();
            output.toJson(response, serialized);
            if (serializationNanos == 0) {
                serializationNanos = (parsed - started) + (System.nanoTime() - handled);
            }
            return serialized.toString(StandardCharsets.UTF_8);
        }

        @Override
        public long serializationNanos() {
            return serializationNanos;
        }
    }

    private static String status(String responseJson) {
        Matcher m = Pattern.compile("\"statusCode\"\\s*:\\s*(\\d+)").matcher(responseJson);
        return m.find() ? m.group(1) : "none";
    }

    /** What the runtime hands the handler: the variables Lambda sets, a fresh request id, stdout as the log. */
    private static final class InvocationContext implements Context {
        private final String requestId = UUID.randomUUID().toString();
        private final long deadline = System.currentTimeMillis() + 15_000;

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
        }

        @Override
        public String getLogStreamName() {
            return "coldstart";
        }

        @Override
        public String getFunctionName() {
            return System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        }

        @Override
        public String getFunctionVersion() {
            return System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:" + System.getenv("AWS_REGION") + ":000000000000:function:" + getFunctionName();
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) Math.max(0, deadline - System.currentTimeMillis());
        }

        @Override
        public int getMemoryLimitInMB() {
            return Integer.parseInt(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024"));
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.print(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
