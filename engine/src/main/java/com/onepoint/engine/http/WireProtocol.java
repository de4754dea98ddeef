package com.onepoint.engine.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onepoint.engine.DynamoEngine;
import com.onepoint.engine.DynamoException;

import java.io.IOException;
import java.util.Map;

/**
 * DynamoDB's JSON 1.0 protocol over any transport: the {@code X-Amz-Target} header names the operation
 * ({@code DynamoDB_20120810.PutItem}, {@code DynamoDBStreams_20120810.GetRecords}), the body is its input, and an
 * error is a 400 (500 for an internal error) whose {@code __type} the SDK maps to its exception class.
 */
public final class WireProtocol {
    public static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ERROR_NAMESPACE = "com.amazonaws.dynamodb.v20120810#";

    private WireProtocol() {
    }

    /** An HTTP answer: status and JSON body. */
    public record Answer(int status, byte[] body) {
    }

    /**
     * An id for the {@code x-amzn-RequestId} header. Only unique, not unguessable: {@code UUID.randomUUID()} would
     * make every call of every thread take SecureRandom's lock.
     */
    public static String requestId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    }

    public static Answer handle(DynamoEngine engine, String target, byte[] body) {
        try {
            String operation = operation(target);
            JsonNode request;
            try {
                request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new DynamoException(DynamoException.SERIALIZATION, "Start of structure or map found where not expected");
            }
            return new Answer(200, JSON.writeValueAsBytes(engine.call(operation, request)));
        } catch (DynamoException e) {
            return error(e);
        } catch (RuntimeException | JsonProcessingException e) {
            return error(new DynamoException(DynamoException.INTERNAL, "Internal server error: " + e));
        }
    }

    private static String operation(String target) {
        if (target == null) {
            throw new DynamoException(DynamoException.UNKNOWN_OPERATION, "Missing X-Amz-Target header");
        }
        int dot = target.indexOf('.');
        String prefix = dot < 0 ? "" : target.substring(0, dot);
        if (!prefix.equals("DynamoDB_20120810") && !prefix.equals("DynamoDBStreams_20120810")) {
            throw new DynamoException(DynamoException.UNKNOWN_OPERATION, "An unknown operation was requested.");
        }
        return target.substring(dot + 1);
    }

    static Answer error(DynamoException e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("__type", ERROR_NAMESPACE + e.type());
        o.put("message", e.getMessage());
        for (Map.Entry<String, Object> x : e.extra().entrySet()) {
            o.set(x.getKey(), JSON.valueToTree(x.getValue()));
        }
        try {
            return new Answer(e.status(), JSON.writeValueAsBytes(o));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
