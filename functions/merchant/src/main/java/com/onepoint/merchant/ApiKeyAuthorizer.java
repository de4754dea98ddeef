package com.onepoint.merchant;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.ApiKeys;
import com.onepoint.shared.domain.Merchant;
import com.onepoint.shared.http.Caller;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.snapstart.FreshRandom;
import com.onepoint.shared.snapstart.Priming;
import com.onepoint.shared.table.MerchantsTable;
import org.crac.Resource;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * AuthorizerFunction: the API's Lambda REQUEST authorizer. Hashes {@code x-api-key} with SHA-256 and allows the
 * caller as admin (hash equal to ADMIN_API_KEY_SHA256, which the template resolves from SSM Parameter Store) or as
 * the merchant whose stored key hash matches. The role and merchantId travel to the functions in the authorizer
 * context. A missing or unknown key is answered "Unauthorized", which API Gateway turns into 401.
 *
 * <p>SnapStart: before the snapshot it decides a request without a key and one with an unknown key (a read of the
 * key index) and builds an allow policy; after a restore it renews {@link FreshRandom}.
 */
public class ApiKeyAuthorizer implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse>, Resource {
    public static final String ENV_ADMIN_KEY_HASH = "ADMIN_API_KEY_SHA256";
    private static final JsonLog LOG = JsonLog.of(ApiKeyAuthorizer.class);

    private final DynamoDbIndex<Merchant> byKeyHash;
    private final byte[] adminKeyHash;
    /** True until the first request of this environment, and again after a restore from a snapshot. */
    private final AtomicBoolean coldStart = new AtomicBoolean(true);

    public ApiKeyAuthorizer() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()));
    }

    public ApiKeyAuthorizer(Env env, DynamoDbClient dynamoDb) {
        this.byKeyHash = AwsClients.enhanced(dynamoDb).table(env.require(MerchantsTable.ENV), MerchantsTable.SCHEMA)
                .index(MerchantsTable.BY_API_KEY_HASH);
        this.adminKeyHash = env.require(ENV_ADMIN_KEY_HASH).toLowerCase().getBytes(StandardCharsets.US_ASCII);
        Priming.register(this);
    }

    /** Runs the refusals and the allow path once; reads the key index, writes nothing. */
    public void prime() {
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        event.setType("REQUEST");
        event.setMethodArn("arn:aws:execute-api:" + Priming.ABSENT_ID + ":000000000000:api/stage/GET/points/x");
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("x-api-key", Priming.ABSENT_ID))) {
            event.setHeaders(headers);
            try {
                decide(event, null); // not handleRequest: the first real request is still the cold start
                throw new IllegalStateException("priming's unknown key was allowed");
            } catch (RuntimeException e) {
                if (!"Unauthorized".equals(e.getMessage())) {
                    LOG.warn(Priming.REQUEST_ID, "priming step failed", Map.of("exception", e.getClass().getName()));
                }
            }
        }
        allow(event, Priming.ABSENT_ID, Caller.merchant(Priming.ABSENT_ID));
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        FreshRandom.renew();
        coldStart.set(true);
    }

    @Override
    public IamPolicyResponse handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        JsonLog.Invocation invocation = new JsonLog.Invocation(context == null ? null : context.getFunctionName(),
                context == null ? null : context.getFunctionVersion(), coldStart.getAndSet(false));
        return JsonLog.during(invocation, () -> decide(event, context));
    }

    private IamPolicyResponse decide(APIGatewayCustomAuthorizerEvent event, Context context) {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        String key = header(event.getHeaders(), "x-api-key");
        if (key == null || key.isBlank() || key.length() > 256) {
            LOG.info(requestId, "unauthorized", Map.of("reason", "no key"));
            throw new RuntimeException("Unauthorized");
        }
        String hash = ApiKeys.sha256Hex(key);
        if (MessageDigest.isEqual(adminKeyHash, hash.getBytes(StandardCharsets.US_ASCII))) {
            return allow(event, "admin", Caller.admin());
        }
        // the index projects keys only: merchantId and apiKeyHash are all an owner carries here
        List<Merchant> owners = byKeyHash.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(hash).build()))
                .limit(2).build()).iterator().next().items();
        if (owners.size() != 1) {
            // the key itself is never logged; its hash prefix is enough to correlate with the merchants table
            LOG.info(requestId, "unauthorized", Map.of("reason", "unknown key", "keyHashPrefix", hash.substring(0, 8)));
            throw new RuntimeException("Unauthorized");
        }
        String merchantId = owners.get(0).merchantId();
        return allow(event, merchantId, Caller.merchant(merchantId));
    }

    /** Allows every route of this API stage, so API Gateway can cache the decision per key, not per route. */
    private static IamPolicyResponse allow(APIGatewayCustomAuthorizerEvent event, String principal, Caller caller) {
        String methodArn = event.getMethodArn();
        String[] parts = methodArn.split("/", 3); // arn:...:apiId / stage / METHOD/path
        String resource = parts.length >= 2 ? parts[0] + "/" + parts[1] + "/*" : methodArn;
        return IamPolicyResponse.builder()
                .withPrincipalId(principal)
                .withPolicyDocument(IamPolicyResponse.PolicyDocument.builder()
                        .withVersion(IamPolicyResponse.VERSION_2012_10_17)
                        .withStatement(List.of(IamPolicyResponse.allowStatement(resource)))
                        .build())
                .withContext(caller.toAuthorizerContext())
                .build();
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (name.equalsIgnoreCase(h.getKey())) {
                return h.getValue();
            }
        }
        return null;
    }
}
