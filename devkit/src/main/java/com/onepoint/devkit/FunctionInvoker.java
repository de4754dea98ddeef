package com.onepoint.devkit;

/**
 * Calls a function of the template, by logical id, with the Lambda event object AWS would deliver
 * (APIGatewayProxyRequestEvent, SQSEvent, DynamodbEvent, ScheduledEvent, ...) and returns the handler's response
 * object (e.g. SQSBatchResponse, StreamsEventResponse, APIGatewayProxyResponseEvent). Implemented by the local runtime.
 */
public interface FunctionInvoker {
    Object invoke(String functionLogicalId, Object event) throws Exception;
}
