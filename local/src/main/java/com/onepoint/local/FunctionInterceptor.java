package com.onepoint.local;

import java.util.concurrent.Callable;

/**
 * Wraps every function invocation, whatever its source (HTTP, queue, stream, bus, schedule, invoke). For tests that
 * need a failure no emulator produces: a consumer that is down, a function that dies after its write.
 */
@FunctionalInterface
public interface FunctionInterceptor {
    FunctionInterceptor NONE = (functionLogicalId, event, proceed) -> proceed.call();

    Object around(String functionLogicalId, Object event, Callable<Object> proceed) throws Exception;
}
