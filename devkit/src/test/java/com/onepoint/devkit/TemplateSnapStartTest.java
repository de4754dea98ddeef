package com.onepoint.devkit;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 3 on template.yaml: every function API Gateway invokes (an Api event, or the API's authorizer) has
 * SnapStart on its published versions and an AutoPublishAlias, and the authorizer is invoked through that alias (SAM
 * points Api events at the alias itself). Then the rules on copies with one thing taken away.
 */
class TemplateSnapStartTest {
    private static final Path TEMPLATE = Path.of("template.yaml");

    @Test
    void everyApiFunctionAndTheAuthorizerHasSnapStartBehindAnAlias() {
        Map<String, Object> template = CfnYaml.load(TEMPLATE);
        assertEquals(List.of(), violations(template));
        assertEquals(Set.of("MerchantFunction", "AuthorizerFunction", "MemberFunction", "PointFunction", "DealFunction",
                "RestoreRedriveFunction", "DashboardFunction", "BillingFunction", "UiFunction"), apiFunctions(template));
    }

    @Test
    void aFunctionWithoutSnapStartIsCaught() {
        assertCaught(t -> props(t, "DealFunction").remove("SnapStart"), "DealFunction has no SnapStart");
        assertCaught(t -> props(t, "PointFunction").put("SnapStart", Map.of("ApplyOn", "None")), "PointFunction has no SnapStart");
    }

    @Test
    void aFunctionWithoutAliasIsCaught() {
        assertCaught(t -> props(t, "MemberFunction").remove("AutoPublishAlias"), "MemberFunction has no AutoPublishAlias");
    }

    @Test
    void anAuthorizerInvokedWithoutItsAliasIsCaught() {
        assertCaught(t -> authorizer(t).put("FunctionArn", Map.of("Fn::GetAtt", List.of("AuthorizerFunction", "Arn"))),
                "ApiKeyAuthorizer does not invoke AuthorizerFunction's alias");
        assertCaught(t -> props(t, "AuthorizerFunction").remove("SnapStart"), "AuthorizerFunction has no SnapStart");
    }

    static List<String> violations(Map<String, Object> template) {
        List<String> violations = new ArrayList<>();
        for (String fn : apiFunctions(template)) {
            Map<String, Object> props = props(template, fn);
            if (!"PublishedVersions".equals(map(props.get("SnapStart")).get("ApplyOn"))) {
                violations.add(fn + " has no SnapStart (ApplyOn: PublishedVersions)");
            }
            if (!(props.get("AutoPublishAlias") instanceof String alias) || alias.isBlank()) {
                violations.add(fn + " has no AutoPublishAlias, so API Gateway would invoke $LATEST, never snapshotted");
            }
        }
        for (String api : ofType(template, "AWS::Serverless::Api")) {
            map(map(props(template, api).get("Auth")).get("Authorizers")).forEach((name, def) -> {
                Object arn = map(def).get("FunctionArn");
                String function = authorizerFunction(arn);
                if (!(arn instanceof Map<?, ?> ref && (function + ".Alias").equals(ref.get("Ref")))) {
                    violations.add(name + " does not invoke " + function + "'s alias (FunctionArn: !Ref " + function + ".Alias)");
                }
            });
        }
        return violations;
    }

    /** The functions with an Api event and those an API's authorizer names. */
    static Set<String> apiFunctions(Map<String, Object> template) {
        Set<String> out = new TreeSet<>();
        for (String fn : ofType(template, "AWS::Serverless::Function")) {
            for (Object event : map(props(template, fn).get("Events")).values()) {
                if ("Api".equals(map(event).get("Type"))) {
                    out.add(fn);
                }
            }
        }
        for (String api : ofType(template, "AWS::Serverless::Api")) {
            for (Object def : map(map(props(template, api).get("Auth")).get("Authorizers")).values()) {
                String function = authorizerFunction(map(def).get("FunctionArn"));
                if (function != null) {
                    out.add(function);
                }
            }
        }
        return out;
    }

    /** The function of {@code !GetAtt Fn.Arn} or {@code !Ref Fn.Alias}. */
    private static String authorizerFunction(Object arn) {
        if (arn instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof List<?> parts) {
            return String.valueOf(parts.get(0));
        }
        if (arn instanceof Map<?, ?> m && m.get("Ref") instanceof String ref) {
            return ref.endsWith(".Alias") ? ref.substring(0, ref.length() - ".Alias".length()) : ref;
        }
        return null;
    }

    private static void assertCaught(Consumer<Map<String, Object>> breakIt, String expected) {
        Map<String, Object> template = CfnYaml.load(TEMPLATE);
        breakIt.accept(template);
        List<String> violations = violations(template);
        assertTrue(violations.stream().anyMatch(v -> v.contains(expected)), expected + " not in " + violations);
    }

    private static Map<String, Object> authorizer(Map<String, Object> template) {
        return map(map(map(props(template, "Api").get("Auth")).get("Authorizers")).get("ApiKeyAuthorizer"));
    }

    private static List<String> ofType(Map<String, Object> template, String type) {
        List<String> out = new ArrayList<>();
        map(template.get("Resources")).forEach((id, r) -> {
            if (type.equals(map(r).get("Type"))) {
                out.add(id);
            }
        });
        return out;
    }

    private static Map<String, Object> props(Map<String, Object> template, String logicalId) {
        return map(map(map(template.get("Resources")).get(logicalId)).get("Properties"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? new java.util.LinkedHashMap<>() : (Map<String, Object>) value;
    }
}
