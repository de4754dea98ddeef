package com.onepoint.shared.idempotency;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.http.ApiResponses;
import software.amazon.lambda.powertools.idempotency.Idempotent;
import software.amazon.lambda.powertools.idempotency.IdempotencyKey;

import java.util.function.Supplier;

/**
 * The one method Powertools' aspect is woven into (aspectj-maven-plugin in shared/pom.xml weaves this package only).
 * What it returns is stored and replayed; what it throws is not stored (Powertools deletes the in-progress record and
 * rethrows), so a refusal that wrote nothing can be corrected and retried with the same key.
 */
final class IdempotentExecution {
    static final IdempotentExecution INSTANCE = new IdempotentExecution();

    private IdempotentExecution() {
    }

    /**
     * Whether the aspect was woven into this class. Unwoven (built without the aspectj-maven-plugin), {@code @Idempotent}
     * would silently do nothing and every retry would run again; {@link IdempotentRequests} refuses to start instead.
     */
    static boolean woven() {
        for (java.lang.reflect.Field field : IdempotentExecution.class.getDeclaredFields()) {
            if (field.getName().startsWith("ajc$")) {
                return true;
            }
        }
        return false;
    }

    /** Thrown for an answer that must reach the caller but not be stored: 4xx other than 409, 5xx. */
    static final class NotStored extends RuntimeException {
        final APIGatewayProxyResponseEvent response;

        NotStored(APIGatewayProxyResponseEvent response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    /**
     * Runs {@code action} once per key (within the expiry) and returns the response as the stored text. Powertools
     * returns a String result as stored, byte for byte, on every replay.
     */
    @Idempotent
    String execute(@IdempotencyKey IdempotentRequest request, Supplier<APIGatewayProxyResponseEvent> action) {
        APIGatewayProxyResponseEvent response;
        try {
            response = action.get();
        } catch (ApiException e) {
            if (!IdempotentRequests.stored(e.status())) {
                throw e; // 400, 401, 403, 404, 413, 5xx: nothing was decided; the record is deleted
            }
            response = ApiResponses.error(e); // 409: a decision on the ledger's state (a FAILED deal was written)
        }
        if (!IdempotentRequests.stored(response.getStatusCode())) {
            throw new NotStored(response);
        }
        return StoredResponse.encode(response);
    }
}
