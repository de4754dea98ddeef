package com.onepoint.shared.idempotency;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.http.ApiRequest;
import com.onepoint.shared.http.ApiResponses;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.json.Json;
import com.onepoint.shared.json.JsonSyntaxException;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.snapstart.FreshRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;

/**
 * SPEC §3 "POS requests retry": the {@code Idempotency-Key} header on a write route, recorded in the DynamoDB table
 * named by {@code IDEMPOTENCY_TABLE} (see {@link IdempotencyStore}). A handler builds one at cold start and wraps each
 * idempotent route: {@code return idempotency.respond(request, pathId, () -> ...the route...)}.
 *
 * <ul>
 *   <li><b>No header</b>: the route runs as if this class did not exist; nothing is read or written.</li>
 *   <li><b>The key</b> is scoped: {@code <caller>#<METHOD /resource>#<path id>#<Idempotency-Key>}, the caller being
 *       {@code admin} or {@code merchant:<merchantId>}, so two merchants (or two routes, or two deals) never share a
 *       key; the record id is its SHA-256. A header value of more than 128 characters, blank, or with control
 *       characters is {@code 400 VALIDATION_FAILED} on field {@code Idempotency-Key}, before anything is stored.</li>
 *   <li><b>The body</b> is compared by its SHA-256: the JSON body with object keys sorted (whitespace and key order do
 *       not matter), the raw text when it is not JSON. Same key, different body: {@code 422 IDEMPOTENCY_KEY_REUSED}.</li>
 *   <li><b>A duplicate while the first is running</b>: {@code 409 REQUEST_IN_PROGRESS}; retry shortly. The first
 *       attempt claims the key with a conditional put and holds it for {@link #DEFAULT_IN_PROGRESS_LEASE} at most
 *       (longer than the functions' 15 s timeout): if it died, a retry after the lease runs the request.</li>
 *   <li><b>What is stored and replayed</b>, for 24 hours: the whole response (status, headers, body) of a 2xx and of a
 *       409 (a decision on the ledger's state: a refused use is recorded as a FAILED deal, and a replay must return
 *       that same deal rather than record another). Not stored, and the key given back: 400/413 (nothing was done;
 *       fix the request and retry with the same key), 401/403, 404 (the member or deal may exist later), 5xx
 *       (transient) and an exception. Replays are identical to the first answer, byte for byte.</li>
 * </ul>
 */
public final class IdempotentRequests {
    public static final String HEADER = "Idempotency-Key";
    public static final String TABLE_ENV = "IDEMPOTENCY_TABLE";
    /** The table's key and TTL attribute, as template.yaml declares them. */
    public static final String RECORD_KEY = IdempotencyStore.ID;
    public static final String RECORD_EXPIRY = IdempotencyStore.EXPIRATION;
    public static final int MAX_KEY_LENGTH = 128;
    public static final Duration EXPIRY = Duration.ofHours(24);
    /** How long an unfinished first attempt holds its key; at least the functions' Timeout (15 s, template Globals). */
    public static final Duration DEFAULT_IN_PROGRESS_LEASE = Duration.ofSeconds(30);

    private static final JsonLog LOG = JsonLog.of(IdempotentRequests.class);

    private final IdempotencyStore store;
    private final Clock clock;

    public IdempotentRequests(DynamoDbClient db, String table, Duration inProgressLease) {
        this.store = new IdempotencyStore(db, table, EXPIRY, inProgressLease);
        this.clock = Clock.systemUTC();
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
        String id = recordId(scopedKey(request.caller(), request.routeKey(), pathId, validKey(header)));
        String validation = sha256(canonicalBody(request.bodyText()));
        IdempotencyStore.Claim claim = store.claim(id, validation, clock.instant());
        if (!claim.granted()) {
            return replay(request, claim.holder(), validation);
        }
        APIGatewayProxyResponseEvent response;
        try {
            response = route.get();
        } catch (ApiException e) {
            if (!stored(e.status())) {
                store.release(id, claim); // 400, 401, 403, 404, 413, 5xx: nothing was decided
                throw e;
            }
            response = ApiResponses.error(e); // 409: a decision on the ledger's state (a FAILED deal was written)
        } catch (RuntimeException | Error e) {
            store.release(id, claim);
            throw e;
        }
        if (!stored(response.getStatusCode())) {
            store.release(id, claim);
            return response;
        }
        String data = StoredResponse.encode(response);
        if (!store.complete(id, claim, data, clock.instant())) {
            LOG.warn(request.requestId(), "idempotency lease ended before the answer", Map.of("route", request.routeKey()));
        }
        return StoredResponse.decode(data); // the first answer is decoded from the stored text, as every replay is
    }

    private static APIGatewayProxyResponseEvent replay(ApiRequest request, Map<String, AttributeValue> holder,
                                                       String validation) {
        AttributeValue heldValidation = holder.get(IdempotencyStore.VALIDATION);
        if (heldValidation != null && !validation.equals(heldValidation.s())) {
            throw new ApiException(422, "IDEMPOTENCY_KEY_REUSED", "this " + HEADER
                    + " was used with a different request body; send a new key for a new request", Map.of("header", HEADER));
        }
        AttributeValue status = holder.get(IdempotencyStore.STATUS);
        AttributeValue data = holder.get(IdempotencyStore.DATA);
        if (status == null || !IdempotencyStore.COMPLETED.equals(status.s()) || data == null) {
            throw new ApiException(409, "REQUEST_IN_PROGRESS", "a request with this " + HEADER
                    + " is still being processed; retry shortly", Map.of("header", HEADER));
        }
        LOG.info(request.requestId(), "idempotent replay", Map.of("route", request.routeKey()));
        return StoredResponse.decode(data.s());
    }

    /**
     * SnapStart priming: the key and body hashing, a consistent read of a fresh record id (the claim's round trip,
     * without its write), and a stored response's encoding and decoding.
     */
    public void prime() {
        String id = recordId(scopedKey(Caller.admin(), "POST /snapstart-priming", null, validKey(FreshRandom.uuid().toString())));
        sha256(canonicalBody("{\"priming\":true,\"amount\":1}"));
        store.read(id);
        StoredResponse.decode(StoredResponse.encode(ApiResponses.json(201, Map.of("primed", true))));
    }

    static String recordId(String scopedKey) {
        return sha256(scopedKey);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
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
            return Json.canonical(Json.parse(text));
        } catch (JsonSyntaxException e) {
            return text;
        }
    }
}
