package com.onepoint.billing;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A DynamoDbClient whose next {@code failures} TransactWriteItems matching a predicate fail as a network error would. */
final class FaultyDynamo {
    private FaultyDynamo() {
    }

    static DynamoDbClient failingTransactions(DynamoDbClient real, Predicate<TransactWriteItemsRequest> which,
                                              AtomicInteger failures) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[]{DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("transactWriteItems") && args != null && args.length == 1
                            && args[0] instanceof TransactWriteItemsRequest request && which.test(request)
                            && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw SdkClientException.create("injected: connection reset");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
