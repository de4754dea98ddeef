package com.onepoint.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.UnsupportedTemplateException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The API's Lambda REQUEST authorizer, run before each API call as API Gateway runs it: a request missing an
 * identity header is 401 without calling the authorizer; the authorizer's "Unauthorized" is 401; a policy that does
 * not allow the method ARN (or denies it) is 403; otherwise its context (and principalId) becomes
 * {@code requestContext.authorizer} of the proxy event. Decisions are not cached (API Gateway caches per identity).
 * Supported shape: {@code Auth: {DefaultAuthorizer: X, Authorizers: {X: {FunctionArn: !GetAtt Fn.Arn (or !Ref Fn.Alias),
 * FunctionPayloadType: REQUEST, Identity: {Headers: [...], ReauthorizeEvery: n}}}}}.
 */
final class ApiAuthorizer {
    /** What the runtime answers instead of calling the function: API Gateway's response type, status and message. */
    record Refusal(String responseType, int status, String message) {
        static final Refusal UNAUTHORIZED = new Refusal("UNAUTHORIZED", 401, "Unauthorized");
        static final Refusal ACCESS_DENIED = new Refusal("ACCESS_DENIED", 403,
                "User is not authorized to access this resource with an explicit deny");
        static final Refusal AUTHORIZER_FAILURE = new Refusal("AUTHORIZER_FAILURE", 500, null);
    }

    /** Either the authorizer context to pass on, or a refusal. */
    record Decision(Map<String, Object> context, Refusal refusal) {
    }

    private final String functionLogicalId;
    private final List<String> identityHeaders;

    private ApiAuthorizer(String functionLogicalId, List<String> identityHeaders) {
        this.functionLogicalId = functionLogicalId;
        this.identityHeaders = identityHeaders;
    }

    /** The API's default authorizer, or null when the API has no {@code Auth}. */
    @SuppressWarnings("unchecked")
    static ApiAuthorizer of(SamTemplate template, SamTemplate.Resource api) {
        Object auth = api.properties().get("Auth");
        if (auth == null) {
            return null;
        }
        String where = api.where("Auth");
        Map<String, Object> authMap = map(auth, where);
        for (String key : authMap.keySet()) {
            if (!key.equals("DefaultAuthorizer") && !key.equals("Authorizers")) {
                throw new UnsupportedTemplateException(where + "." + key, "not supported by the local runtime");
            }
        }
        String name = String.valueOf(authMap.get("DefaultAuthorizer"));
        Map<String, Object> def = map(map(authMap.get("Authorizers"), where + ".Authorizers").get(name),
                where + ".Authorizers." + name);
        String defWhere = where + ".Authorizers." + name;
        for (String key : def.keySet()) {
            if (!List.of("FunctionArn", "FunctionPayloadType", "Identity").contains(key)) {
                throw new UnsupportedTemplateException(defWhere + "." + key, "not supported by the local runtime");
            }
        }
        if (!"REQUEST".equals(def.get("FunctionPayloadType"))) {
            throw new UnsupportedTemplateException(defWhere + ".FunctionPayloadType", "only REQUEST authorizers run locally");
        }
        String function = authorizerFunction(template, def.get("FunctionArn"));
        if (function == null) {
            throw new UnsupportedTemplateException(defWhere + ".FunctionArn",
                    "must be !GetAtt <Function>.Arn or !Ref <Function>.Alias of this template");
        }
        Map<String, Object> identity = map(def.get("Identity"), defWhere + ".Identity");
        for (String key : identity.keySet()) {
            if (!key.equals("Headers") && !key.equals("ReauthorizeEvery")) {
                throw new UnsupportedTemplateException(defWhere + ".Identity." + key, "not supported by the local runtime");
            }
        }
        List<String> headers = new ArrayList<>();
        if (identity.get("Headers") instanceof List<?> l) {
            l.forEach(h -> headers.add(String.valueOf(h)));
        }
        return new ApiAuthorizer(function, headers);
    }

    /**
     * The function's logical id from {@code !GetAtt Fn.Arn} or from {@code !Ref Fn.Alias} (the AutoPublishAlias, which
     * SAM resolves to the alias ARN); null for any other shape. Locally both run the one instance of the function.
     */
    private static String authorizerFunction(SamTemplate template, Object arn) {
        String function = null;
        if (arn instanceof Map<?, ?> getAtt && getAtt.get("Fn::GetAtt") instanceof List<?> parts && parts.size() == 2
                && "Arn".equals(String.valueOf(parts.get(1)))) {
            function = String.valueOf(parts.get(0));
        } else if (arn instanceof Map<?, ?> ref && ref.get("Ref") instanceof String name && name.endsWith(".Alias")) {
            function = name.substring(0, name.length() - ".Alias".length());
            if (template.resources().containsKey(function)
                    && !template.resource(function).properties().containsKey("AutoPublishAlias")) {
                return null; // SAM makes no alias without AutoPublishAlias
            }
        }
        return function != null && template.resources().containsKey(function) ? function : null;
    }

    String functionLogicalId() {
        return functionLogicalId;
    }

    /**
     * Decides one request. {@code methodArn} is arn:aws:execute-api:region:account:apiId/stage/METHOD/path.
     */
    Decision decide(LocalFunctions functions, String requestId, String methodArn, String resource, String path,
                    String httpMethod, Map<String, String> headers, Map<String, String> query,
                    Map<String, String> pathParameters) {
        for (String required : identityHeaders) {
            if (header(headers, required) == null) {
                return new Decision(null, Refusal.UNAUTHORIZED);
            }
        }
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        event.setType("REQUEST");
        event.setMethodArn(methodArn);
        event.setResource(resource);
        event.setPath(path);
        event.setHttpMethod(httpMethod);
        event.setHeaders(headers);
        event.setQueryStringParameters(query);
        event.setPathParameters(pathParameters);
        Object result;
        try {
            result = functions.get(functionLogicalId).invoke(event, requestId);
        } catch (RuntimeException e) {
            return new Decision(null, "Unauthorized".equals(e.getMessage())
                    ? Refusal.UNAUTHORIZED : Refusal.AUTHORIZER_FAILURE);
        }
        if (!(result instanceof IamPolicyResponse policy) || !allows(policy.getPolicyDocument(), methodArn)) {
            return new Decision(null, Refusal.ACCESS_DENIED);
        }
        Map<String, Object> context = new LinkedHashMap<>();
        if (policy.getContext() != null) {
            context.putAll(policy.getContext());
        }
        context.put("principalId", policy.getPrincipalId());
        return new Decision(context, null);
    }

    /** Allowed when an Allow statement matches the method ARN and no Deny does (IAM evaluation, simplified). */
    static boolean allows(Map<String, Object> document, String methodArn) {
        if (document == null) {
            return false;
        }
        boolean allowed = false;
        for (Map<String, Object> statement : statements(document.get("Statement"))) {
            boolean matches = resources(statement.get("Resource")).stream().anyMatch(r -> glob(r, methodArn));
            if (matches && "Deny".equals(statement.get("Effect"))) {
                return false;
            }
            allowed |= matches && "Allow".equals(statement.get("Effect"));
        }
        return allowed;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Object value) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (value instanceof Object[] array) {
            for (Object o : array) {
                out.add((Map<String, Object>) o);
            }
        } else if (value instanceof Collection<?> c) {
            c.forEach(o -> out.add((Map<String, Object>) o));
        } else if (value instanceof Map<?, ?> m) {
            out.add((Map<String, Object>) m);
        }
        return out;
    }

    private static List<String> resources(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof Object[] array) {
            for (Object o : array) {
                out.add(String.valueOf(o));
            }
        } else if (value instanceof Collection<?> c) {
            c.forEach(o -> out.add(String.valueOf(o)));
        } else if (value != null) {
            out.add(String.valueOf(value));
        }
        return out;
    }

    private static boolean glob(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return value.matches(regex.toString());
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name) && h.getValue() != null && !h.getValue().isBlank()) {
                return h.getValue();
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map)) {
            throw new UnsupportedTemplateException(where, "expected a mapping");
        }
        return (Map<String, Object>) value;
    }
}
