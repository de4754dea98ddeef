package com.onepoint.shared.idempotency;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.http.ApiRequest;
import com.onepoint.shared.http.ApiResponses;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.json.Json;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.snapstart.FreshRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.lambda.powertools.idempotency.Idempotency;
import software.amazon.lambda.powertools.idempotency.IdempotencyConfig;
import software.amazon.lambda.powertools.idempotency.exceptions.IdempotencyAlreadyInProgressException;
import software.amazon.lambda.powertools.idempotency.exceptions.IdempotencyInconsistentStateException;
import software.amazon.lambda.powertools.idempotency.exceptions.IdempotencyValidationException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * SPEC §3 "POS requests retry": the {@code Idempotency-Key} header on a write route, with Powertools for AWS Lambda
 * (Java) idempotency on the DynamoDB table named by {@code IDEMPOTENCY_TABLE}. A handler builds one at cold start and
 * wraps each idempotent route: {@code return idempotency.respond(request, pathId, () -> ...the route...)}.
 *
 * <ul>
 *   <li><b>No header</b>: the route runs as if this class did not exist; Powertools never sees the request.</li>
 *   <li><b>The key</b> is scoped: {@code <caller>#<METHOD /resource>#<path id>#<Idempotency-Key>}, the caller being
 *       {@code admin} or {@code merchant:<merchantId>}, so two merchants (or two routes, or two deals) never share a
 *       key. A header value of more than 128 characters, blank, or with control characters is
 *       {@code 400 VALIDATION_FAILED} on field {@code Idempotency-Key}, before anything is stored.</li>
 *   <li><b>The body</b> is compared by its hash: the JSON body with object keys sorted (whitespace and key order do
 *       not matter), the raw text when it is not JSON. Same key, different body: {@code 422 IDEMPOTENCY_KEY_REUSED}.</li>
 *   <li><b>A duplicate while the first is running</b>: {@code 409 REQUEST_IN_PROGRESS}; retry shortly. The first
 *       attempt holds the key for {@link #DEFAULT_IN_PROGRESS_LEASE} at most (longer than the functions' 15 s
 *       timeout): if it died, a retry after the lease runs the request.</li>
 *   <li><b>What is stored and replayed</b>, for 24 hours: the whole response (status, headers, body) of a 2xx and of a
 *       409 (a decision on the ledger's state: a refused use is recorded as a FAILED deal, and a replay must return
 *       that same deal rather than record another). Not stored: 400/413 (nothing was done; fix the request and retry
 *       with the same key), 401/403, 404 (the member or deal may exist later) and 5xx (transient). Replays are
 *       identical to the first answer, byte for byte.</li>
 * </ul>
 */
public final class IdempotentRequests {
    public static final String HEADER = "Idempotency-Key";
    public static final String TABLE_ENV = "IDEMPOTENCY_TABLE";
    public static final int MAX_KEY_LENGTH = 128;
    public static final Duration EXPIRY = Duration.ofHours(24);
    /** How long an unfinished first attempt holds its key; at least the functions' Timeout (15 s, template Globals). */
    public static final Duration DEFAULT_IN_PROGRESS_LEASE = Duration.ofSeconds(30);

    /** One configuration for every route: Powertools keeps it in a JVM-wide singleton. */
    static final IdempotencyConfig CONFIG = IdempotencyConfig.builder()
            .withEventKeyJMESPath("key")
            .withPayloadValidationJMESPath("body")
            .withThrowOnNoIdempotencyKey(true)
            .withExpiration(EXPIRY)
            .withHashFunction("SHA-256")
            .build();

    private static final JsonLog LOG = JsonLog.of(IdempotentRequests.class);

    static {
        // Powertools would configure its store on each call, unsynchronised; the store takes the first configuration
        // only (see IdempotencyStore#configure), and it is this one, under class initialisation. "execute" is the
        // annotated method's name, which Powertools puts in every record id:
        // <AWS_LAMBDA_FUNCTION_NAME, or "testFunction">.execute#<sha-256 of the scoped key>.
        IdempotencyStore.INSTANCE.configure(CONFIG, "execute");
    }

    private final IdempotencyStore.Target target;

    public IdempotentRequests(DynamoDbClient db, String table, Duration inProgressLease) {
        if (!IdempotentExecution.woven()) {
            throw new IllegalStateException("Powertools' @Idempotent aspect is not woven into " + IdempotentExecution.class.getName()
                    + "; build shared with the aspectj-maven-plugin");
        }
        this.target = IdempotencyStore.Target.of(db, table, inProgressLease, CONFIG);
        // the same store and config every time: building a second handler in this JVM changes nothing for the first
        Idempotency.config().withPersistenceStore(IdempotencyStore.INSTANCE).withConfig(CONFIG).configure();
    }

    public IdempotentRequests(DynamoDbClient db, String table) {
        this(db, table, DEFAULT_IN_PROGRESS_LEASE);
    }

    /** The table template.yaml gives the function in {@code IDEMPOTENCY_TABLE}; missing, the cold start fails. */
    public static IdempotentRequests fromEnvironment(Env env, DynamoDbClient db) {
        return new IdempotentRequests(db, env.require(TABLE_ENV));
    }

    /** Whether a response with this status is stored and replayed: 2xx and 409. */
    static boolean stored(int status) {
        return (status >= 200 && status < 300) || status == 409;
    }

    /**
     * Answers {@code request} with {@code route}, at most once per caller, route, path id and Idempotency-Key.
     *
     * @param pathId the route's path id (the deal being cancelled), or null for a route without one
     */
    public APIGatewayProxyResponseEvent respond(ApiRequest request, String pathId, Supplier<APIGatewayProxyResponseEvent> route) {
        String header = request.header(HEADER);
        if (header == null) {
            return route.get();
        }
        IdempotentRequest idempotent = new IdempotentRequest(
                scopedKey(request.caller(), request.routeKey(), pathId, validKey(header)),
                canonicalBody(request.bodyText()));
        AtomicBoolean ran = new AtomicBoolean();
        Supplier<APIGatewayProxyResponseEvent> once = () -> {
            ran.set(true);
            return route.get();
        };
        String stored;
        try {
            stored = IdempotencyStore.using(target, () -> IdempotentExecution.INSTANCE.execute(idempotent, once));
        } catch (IdempotentExecution.NotStored e) {
            return e.response;
        } catch (IdempotencyValidationException e) {
            throw new ApiException(422, "IDEMPOTENCY_KEY_REUSED", "this " + HEADER
                    + " was used with a different request body; send a new key for a new request", Map.of("header", HEADER));
        } catch (IdempotencyAlreadyInProgressException | IdempotencyInconsistentStateException e) {
            throw new ApiException(409, "REQUEST_IN_PROGRESS", "a request with this " + HEADER
                    + " is still being processed; retry shortly", Map.of("header", HEADER));
        }
        if (!ran.get()) {
            LOG.info(request.requestId(), "idempotent replay", Map.of("route", request.routeKey()));
        }
        return StoredResponse.decode(stored);
    }

    /**
     * SnapStart priming: Powertools' whole path (aspect, key and payload hashing, the store, its exceptions, the 409
     * they become) for a fresh key, on a dry-run store that reads the table but never writes it, then a stored
     * response's encoding and decoding.
     */
    public void prime() {
        IdempotentRequest request = new IdempotentRequest(
                scopedKey(Caller.admin(), "POST /snapstart-priming", null, validKey(FreshRandom.uuid().toString())),
                canonicalBody("{\"priming\":true,\"amount\":1}"));
        try {
            IdempotencyStore.using(target.dryRunCopy(), () -> IdempotentExecution.INSTANCE.execute(request, () -> {
                throw new IllegalStateException("priming never runs a route");
            }));
            throw new IllegalStateException("the dry-run idempotency store let a request through");
        } catch (IdempotencyAlreadyInProgressException | IdempotencyInconsistentStateException expected) {
            // what the dry run answers: the put "found" a record that the read then did not
        }
        StoredResponse.decode(StoredResponse.encode(ApiResponses.json(201, Map.of("primed", true))));
    }

    static String validKey(String header) {
        if (header.isBlank()) {
            throw ApiException.validation(HEADER, "must not be blank");
        }
        if (header.length() > MAX_KEY_LENGTH) {
            throw ApiException.validation(HEADER, "must be at most " + MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < header.length(); i++) {
            if (Character.isISOControl(header.charAt(i))) {
                throw ApiException.validation(HEADER, "must not contain control characters");
            }
        }
        return header;
    }

    static String scopedKey(Caller caller, String routeKey, String pathId, String key) {
        String scope = caller.isAdmin() ? "admin" : "merchant:" + caller.merchantId();
        return scope + "#" + routeKey + "#" + (pathId == null ? "" : pathId) + "#" + key;
    }

    /** The body as compared on a repeat: JSON with object keys sorted, or the text itself when it is not JSON. */
    static String canonicalBody(String text) {
        if (text.isBlank()) {
            return "";
        }
        try {
            JsonNode node = Json.read(text);
            return node == null ? text : sorted(node).toString();
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                out.set(name, sorted(node.get(name)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> out.add(sorted(item)));
            return out;
        }
        return node;
    }
}
