package com.onepoint.merchant;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.domain.ApiKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static com.onepoint.devkit.ApiEvents.body;
import static com.onepoint.devkit.ApiEvents.post;
import static com.onepoint.devkit.ApiEvents.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ApiKeyAuthorizerTest {
    private static final String METHOD_ARN = "arn:aws:execute-api:ap-northeast-2:123456789012:abc123/dev/POST/deals";
    private static LocalDynamo dynamo;
    private static ApiKeyAuthorizer authorizer;
    private static MerchantHandler merchants;

    @BeforeAll
    static void start() {
        SamTemplate template = SamTemplate.load(Path.of("template.yaml"));
        dynamo = LocalDynamo.start(template);
        Map<String, String> env = new HashMap<>(template.functionEnvironment("AuthorizerFunction", dynamo));
        env.put(ApiKeyAuthorizer.ENV_ADMIN_KEY_HASH, ApiKeys.sha256Hex("local-admin-key")); // SSM's value in AWS
        authorizer = new ApiKeyAuthorizer(new Env(env), dynamo.client());
        merchants = new MerchantHandler(new Env(template.functionEnvironment("MerchantFunction", dynamo)),
                dynamo.client(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    private static IamPolicyResponse authorize(String key) {
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        event.setType("REQUEST");
        event.setMethodArn(METHOD_ARN);
        event.setHeaders(key == null ? Map.of() : Map.of("X-Api-Key", key));
        return authorizer.handleRequest(event, null);
    }

    private static String register(String merchantId) {
        return body(merchants.handleRequest(post("/merchants", Map.of("merchantId", merchantId, "name", "M")), null))
                .get("apiKey").asText();
    }

    @SuppressWarnings("unchecked")
    private static String allowedResource(IamPolicyResponse response) {
        Map<String, Object>[] statements = (Map<String, Object>[]) response.getPolicyDocument().get("Statement");
        assertEquals("Allow", statements[0].get("Effect"));
        Object resource = statements[0].get("Resource");
        return resource instanceof String[] r ? r[0] : String.valueOf(resource);
    }

    @Test
    void theAdminKeyIsAdmin() {
        IamPolicyResponse response = authorize("local-admin-key");
        assertEquals("admin", response.getContext().get("role"));
        assertEquals("arn:aws:execute-api:ap-northeast-2:123456789012:abc123/dev/*", allowedResource(response));
    }

    @Test
    void aMerchantKeyIsThatMerchant() {
        String key = register("auth-1");
        IamPolicyResponse response = authorize(key);
        assertEquals("merchant", response.getContext().get("role"));
        assertEquals("auth-1", response.getContext().get("merchantId"));
    }

    @Test
    void noKeyOrAWrongKeyIsUnauthorized() {
        for (String key : new String[]{null, "", "op_wrong", "x".repeat(300)}) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> authorize(key));
            assertEquals("Unauthorized", e.getMessage(), "API Gateway answers 401 to exactly this message");
        }
    }

    @Test
    void rotationIssuesANewKeyAndRevokesTheOld() {
        String old = register("auth-2");
        JsonNode rotated = body(merchants.handleRequest(
                request("POST", "/merchants/{merchantId}/api-key", Map.of("merchantId", "auth-2"), null), null));
        String fresh = rotated.get("apiKey").asText();

        assertEquals("auth-2", authorize(fresh).getContext().get("merchantId"));
        assertThrows(RuntimeException.class, () -> authorize(old));
        assertEquals(404, merchants.handleRequest(request("POST", "/merchants/{merchantId}/api-key",
                Map.of("merchantId", "nobody"), null), null).getStatusCode());
    }
}
