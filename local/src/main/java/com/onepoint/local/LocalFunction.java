package com.onepoint.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * One function of the template, built once: its handler instance and the event type it takes. Invocations run on
 * the caller's thread and may overlap: unlike Lambda (one event per instance at a time) one instance serves all, so
 * handlers must be thread-safe, as OnePoint's are (they hold only SDK clients and table names).
 */
public final class LocalFunction {
    private final FunctionSpec spec;
    private final RequestHandler<Object, Object> handler;
    private final Class<?> inputType;
    private final FunctionInterceptor interceptor;

    @SuppressWarnings("unchecked")
    LocalFunction(FunctionSpec spec, RequestHandler<?, ?> handler, FunctionInterceptor interceptor) {
        this.spec = spec;
        this.interceptor = interceptor;
        this.handler = (RequestHandler<Object, Object>) handler;
        this.inputType = HandlerFactory.inputType(handler.getClass());
    }

    public String logicalId() {
        return spec.logicalId();
    }

    public String functionName() {
        return spec.functionName();
    }

    /** The template's MemorySize (or Globals'): what Lambda bills GB-seconds on. */
    public int memoryMb() {
        return spec.memoryMb();
    }

    /** The handler instance, e.g. for its SnapStart hooks. */
    Object handler() {
        return handler;
    }

    public Class<?> handlerClass() {
        return handler.getClass();
    }

    /** The {@code I} of the handler's {@code RequestHandler<I, O>}: what an event must be deserialised into. */
    public Class<?> inputType() {
        return inputType;
    }

    FunctionSpec spec() {
        return spec;
    }

    /** Calls the handler as Lambda would; whatever the handler throws propagates (a failed invocation). */
    public Object invoke(Object event, String requestId) {
        if (event != null && !inputType.isInstance(event)) {
            throw new IllegalArgumentException(spec.logicalId() + " takes " + inputType.getName() + ", not "
                    + event.getClass().getName());
        }
        try {
            return interceptor.around(spec.logicalId(), event, () -> handler.handleRequest(event, new LocalContext(requestId, spec)));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(spec.logicalId() + " failed: " + e.getMessage(), e);
        }
    }
}
