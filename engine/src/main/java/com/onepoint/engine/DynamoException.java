package com.onepoint.engine;

import java.util.Map;

/**
 * An error as DynamoDB answers it: its {@code __type} (the exception's simple name), its message, and for some types
 * extra members of the error body (CancellationReasons, Item). The wire layer turns it into a 400 (or 500) body the
 * AWS SDK parses into the matching exception class.
 */
public class DynamoException extends RuntimeException {
    public static final String VALIDATION = "ValidationException";
    public static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailedException";
    public static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";
    public static final String RESOURCE_IN_USE = "ResourceInUseException";
    public static final String TRANSACTION_CANCELED = "TransactionCanceledException";
    public static final String TRANSACTION_CONFLICT = "TransactionConflictException";
    public static final String IDEMPOTENT_PARAMETER_MISMATCH = "IdempotentParameterMismatchException";
    public static final String THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException";
    public static final String THROTTLING = "ThrottlingException";
    public static final String INTERNAL = "InternalServerError";
    public static final String UNKNOWN_OPERATION = "UnknownOperationException";
    public static final String SERIALIZATION = "SerializationException";
    public static final String EXPIRED_ITERATOR = "ExpiredIteratorException";
    public static final String TRIMMED_DATA = "TrimmedDataAccessException";

    private final String type;
    private final int status;
    private final transient Map<String, Object> extra;

    public DynamoException(String type, String message) {
        this(type, message, Map.of());
    }

    public DynamoException(String type, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.type = type;
        this.status = type.equals(INTERNAL) ? 500 : 400;
        this.extra = extra;
    }

    public static DynamoException validation(String message) {
        return new DynamoException(VALIDATION, message);
    }

    public static DynamoException notFound(String message) {
        return new DynamoException(RESOURCE_NOT_FOUND, message);
    }

    /** The {@code __type} without its namespace, e.g. {@code ValidationException}. */
    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    /** Extra members of the error body, already in wire form (Jackson-serialisable). */
    public Map<String, Object> extra() {
        return extra;
    }
}
