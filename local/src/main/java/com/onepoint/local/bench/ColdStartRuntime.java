package com.onepoint.local.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny stand-in for the Lambda Java runtime, for {@link ColdStartBenchmark}'s fresh JVMs: it does what the managed
 * runtime does between starting the JVM and answering the first event, and nothing else. It loads the handler class
 * named {@code Class::method} from the classpath (the function's artifact), builds it with its no-argument
 * constructor (the function's init), turns the event JSON into the handler's input type with the runtime's own
 * {@code aws-lambda-java-serialization} ({@link LambdaEventSerializers}, as the runtime does for the events library's
 * classes), calls the handler, and serializes its answer the same way.
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
    static final String OWN_JACKSON = "--own-jackson";
    private static final Pattern DEAL_ID = Pattern.compile("\\\\?\"dealId\\\\?\"\\s*:\\s*\\\\?\"([^\"\\\\]+)");

    private ColdStartRuntime() {
    }

    public static void main(String[] args) throws Exception {
        long mainStarted = System.nanoTime();
        boolean ownJackson = args.length > 0 && args[0].equals(OWN_JACKSON);
        int first = ownJackson ? 1 : 0;
        if (args.length < first + 2) {
            System.err.println("usage: ColdStartRuntime [" + OWN_JACKSON + "] <handler Class::method> <event.json> [more events...]");
            System.exit(2);
        }
        String handlerSpec = args[first];
        String className = handlerSpec.contains("::") ? handlerSpec.substring(0, handlerSpec.indexOf("::")) : handlerSpec;
        String methodName = handlerSpec.contains("::") ? handlerSpec.substring(handlerSpec.indexOf("::") + 2) : "handleRequest";
        ClassLoader loader = ColdStartRuntime.class.getClassLoader();
        Class<?> handlerClass = Class.forName(className, true, loader);
        Object handler = handlerClass.getDeclaredConstructor().newInstance();
        long initDone = System.nanoTime();
        Method method = handlerMethod(handlerClass, methodName);
        long eventNanos = System.nanoTime();
        Codec codec = ownJackson ? new OwnJackson(method) : new RuntimeSerialization(method, loader);
        eventNanos = System.nanoTime() - eventNanos;
        String lastDealId = null;
        for (int i = first + 1; i < args.length; i++) {
            String json = Files.readString(Path.of(args[i]));
            if (lastDealId != null) {
                json = json.replace("${dealId}", lastDealId);
            }
            long started = System.nanoTime();
            Object event = codec.event(json.getBytes(StandardCharsets.UTF_8));
            long parsed = System.nanoTime();
            Object response = method.invoke(handler, event, new InvocationContext());
            long handled = System.nanoTime();
            String text = codec.response(response);
            long answeredMillis = System.currentTimeMillis();
            long answeredNanos = System.nanoTime();
            Matcher id = DEAL_ID.matcher(text);
            if (id.find()) {
                lastDealId = id.group(1);
            }
            if (i == first + 1) {
                eventNanos += (parsed - started) + (answeredNanos - handled);
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

    /** Event JSON to the handler's input, its output to JSON. */
    private interface Codec {
        Object event(byte[] json) throws Exception;

        String response(Object response) throws Exception;
    }

    /** As the managed runtime does: aws-lambda-java-serialization, its own shaded Jackson and the events' mix-ins. */
    private static final class RuntimeSerialization implements Codec {
        private final PojoSerializer<Object> input;
        private final PojoSerializer<Object> output;

        @SuppressWarnings("unchecked")
        RuntimeSerialization(Method method, ClassLoader loader) {
            input = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(method.getParameterTypes()[0], loader);
            output = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(method.getReturnType(), loader);
        }

        @Override
        public Object event(byte[] json) {
            return input.fromJson(new ByteArrayInputStream(json));
        }

        @Override
        public String response(Object response) {
            ByteArrayOutputStream serialized = new ByteArrayOutputStream();
            output.toJson(response, serialized);
            return serialized.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * What-if: the event read and the answer written with the Jackson the artifact carries, as a handler that is a
     * {@code RequestStreamHandler} would do itself; the runtime then deserializes nothing. Loaded only in this mode.
     */
    private static final class OwnJackson implements Codec {
        private final com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
        private final Class<?> inputType;

        OwnJackson(Method method) {
            inputType = method.getParameterTypes()[0];
        }

        @Override
        public Object event(byte[] json) throws Exception {
            return mapper.readValue(json, inputType);
        }

        @Override
        public String response(Object response) throws Exception {
            return mapper.writeValueAsString(response);
        }
    }

    /** The handler's method with two parameters (event, Context), not a compiler's bridge method. */
    private static Method handlerMethod(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 2 && !m.isBridge()
                    && m.getParameterTypes()[1] == Context.class) {
                return m;
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no " + name + "(event, Context)");
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
