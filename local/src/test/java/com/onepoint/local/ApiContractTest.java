package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.json.Json;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * openapi.yaml against template.yaml and against itself: the same routes in both (API Gateway refuses an operation
 * without an integration, and an Api event missing from the document would be an undocumented route), the template's
 * Api including the document, a valid OpenAPI 3.0 document whose examples fit its own schemas, access rules and
 * request validation declared, and a validator that really refuses what does not fit.
 */
class ApiContractTest {
    private static final ApiContract CONTRACT = ApiContract.project();
    /** public: the dashboard page's routes, which take no key (security: [], no authorizer in the template either). */
    private static final Set<String> ACCESS = Set.of("any", "admin", "merchant", "public");
    private static final Set<String> IDEMPOTENT = Set.of("POST /members", "POST /deals", "POST /deals/{dealId}/cancel",
            "POST /deals/{dealId}/refunds", "POST /members/{memberId}/adjustments");

    /** "METHOD /path" of every Api event of the template. */
    static TreeSet<String> templateRoutes(SamTemplate template) {
        TreeSet<String> routes = new TreeSet<>();
        for (SamTemplate.Resource fn : template.resourcesOfType(TemplateCheck.FUNCTION)) {
            Map<?, ?> events = (Map<?, ?>) fn.properties().getOrDefault("Events", Map.of());
            for (Object e : events.values()) {
                Map<?, ?> event = (Map<?, ?>) e;
                if (TemplateCheck.API_EVENT.equals(event.get("Type"))) {
                    Map<?, ?> props = (Map<?, ?>) event.get("Properties");
                    routes.add(String.valueOf(props.get("Method")).toUpperCase(Locale.ROOT) + " " + props.get("Path"));
                }
            }
        }
        return routes;
    }

    @Test
    void everyRouteOfTheTemplateIsInTheDocumentAndTheOtherWayRound() {
        TreeSet<String> template = templateRoutes(TestTemplates.project());
        TreeSet<String> document = CONTRACT.routes();
        TreeSet<String> undocumented = new TreeSet<>(template);
        undocumented.removeAll(document);
        TreeSet<String> unwired = new TreeSet<>(document);
        unwired.removeAll(template);
        assertTrue(undocumented.isEmpty(), "Api events of template.yaml missing from openapi.yaml: " + undocumented);
        assertTrue(unwired.isEmpty(), "operations of openapi.yaml that no Api event of template.yaml wires: " + unwired);
        assertFalse(template.isEmpty());
    }

    @Test
    void theParityCheckSeesARouteMissingOnEitherSide() {
        String trimmed = CONTRACT_TEXT.replace("  /admin/restore-dlq/redrive:\n    post:", "  /admin/restore-dlq/redrive:\n    put:");
        TreeSet<String> routes = ApiContract.ofText(trimmed).routes();
        assertFalse(routes.contains("POST /admin/restore-dlq/redrive"));
        assertTrue(routes.contains("PUT /admin/restore-dlq/redrive"));
        assertTrue(templateRoutes(TestTemplates.project()).contains("POST /admin/restore-dlq/redrive"));
    }

    private static final String CONTRACT_TEXT = read();

    private static String read() {
        try {
            return java.nio.file.Files.readString(ApiContract.DOCUMENT);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theTemplatesApiIsDefinedByTheDocumentWithTheEventsMergedIn() {
        SamTemplate.Resource api = TestTemplates.project().resourcesOfType(TemplateCheck.API).get(0);
        Map<?, ?> include = (Map<?, ?>) ((Map<?, ?>) api.properties().get("DefinitionBody")).get("Fn::Transform");
        assertEquals("AWS::Include", include.get("Name"));
        assertEquals("openapi.yaml", ((Map<?, ?>) include.get("Parameters")).get("Location"));
        assertEquals(Boolean.TRUE, api.properties().get("MergeDefinitions"), "without it SAM wires no Api event");
    }

    @Test
    void isAValidOpenApi30DocumentThatValidatesBodiesAndParameters() {
        // API Gateway's greedy path variable {proxy+} is the parameter "proxy" (its import and export name it so), which
        // swagger-parser, not knowing greedy variables, looks for as "proxy+"
        assertEquals(List.of(), CONTRACT.parserMessages().stream()
                .filter(m -> !m.equals("paths.'/ui/{proxy+}'. Declared path parameter proxy+ needs to be defined as a path"
                        + " parameter in path or operation level")).toList());
        assertTrue(CONTRACT.openApi().getOpenapi().startsWith("3.0."), CONTRACT.openApi().getOpenapi());
        Map<String, Object> extensions = CONTRACT.openApi().getExtensions();
        String validator = (String) extensions.get("x-amazon-apigateway-request-validator");
        Map<?, ?> validators = (Map<?, ?>) extensions.get("x-amazon-apigateway-request-validators");
        Map<?, ?> chosen = (Map<?, ?>) validators.get(validator);
        assertEquals(Boolean.TRUE, chosen.get("validateRequestBody"));
        assertEquals(Boolean.TRUE, chosen.get("validateRequestParameters"));
        // API Gateway turns every schema into a model, and a model's name must be alphanumeric
        for (String name : CONTRACT.openApi().getComponents().getSchemas().keySet()) {
            assertTrue(name.matches("[A-Za-z0-9]+"), "schema name API Gateway refuses as a model name: " + name);
        }
        assertEquals("x-api-key", CONTRACT.openApi().getComponents().getSecuritySchemes().get("ApiKeyAuthorizer").getName());
    }

    @TestFactory
    Stream<DynamicTest> everyOperationStatesItsAccessAndItsBody() {
        List<DynamicTest> tests = new ArrayList<>();
        CONTRACT.openApi().getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            String route = method.name() + " " + path;
            tests.add(DynamicTest.dynamicTest(route, () -> {
                Object access = op.getExtensions() == null ? null : op.getExtensions().get("x-onepoint-access");
                assertTrue(ACCESS.contains(access), route + ": x-onepoint-access " + access);
                assertTrue(op.getDescription() != null && op.getDescription().contains("Access:"), route);
                boolean takesBody = method.name().equals("PATCH") || (method.name().equals("POST") && op.getRequestBody() != null);
                if (method.name().equals("PATCH")) {
                    assertTrue(op.getRequestBody() != null && op.getRequestBody().getRequired(), route + ": a required body");
                }
                if (takesBody) {
                    assertTrue(op.getRequestBody().getContent().get("application/json").getSchema() != null, route);
                }
                boolean idempotent = op.getParameters() != null && op.getParameters().stream()
                        .anyMatch(p -> p.get$ref() != null && p.get$ref().endsWith("/IdempotencyKey"));
                assertEquals(IDEMPOTENT.contains(route), idempotent, route + ": the Idempotency-Key header");
                boolean isPublic = "public".equals(access);
                // a public route has no key to refuse and says so: no authorizer, so no 401 or 403
                assertEquals(isPublic, op.getSecurity() != null && op.getSecurity().isEmpty(), route + ": security: [] iff public");
                for (String status : isPublic ? List.of("429", "500", "502") : List.of("401", "403", "429", "500", "502")) {
                    assertTrue(op.getResponses().containsKey(status), route + " lists no " + status);
                }
                // Swagger UI shows an example of every body that goes in and of every success that comes out
                if (op.getRequestBody() != null) {
                    assertTrue(hasExample(op.getRequestBody().getContent().get("application/json")), route + " request");
                }
                op.getResponses().forEach((status, response) -> {
                    if (status.startsWith("2")) {
                        // the page's files are text, not JSON: their schema is a string and an example would be the file
                        boolean pageFile = isPublic && response.getContent() != null
                                && !response.getContent().containsKey("application/json");
                        assertTrue(pageFile || hasExample(response.getContent().get("application/json")), route + " " + status);
                    }
                });
            }));
        }));
        return tests.stream();
    }

    private static boolean hasExample(MediaType json) {
        return json != null && (json.getExample() != null || (json.getExamples() != null && !json.getExamples().isEmpty()));
    }

    /** Every example in the document fits the schema next to it, so what Swagger UI shows is what the API answers. */
    @TestFactory
    Stream<DynamicTest> everyExampleFitsItsSchema() {
        List<DynamicTest> tests = new ArrayList<>();
        CONTRACT.openApi().getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            String base = "#/paths/" + ApiContract.escape(path) + "/" + method.name().toLowerCase(Locale.ROOT);
            RequestBody requestBody = op.getRequestBody();
            if (requestBody != null) {
                examples(tests, method.name() + " " + path + " request", base + "/requestBody",
                        requestBody.getContent().get("application/json"));
            }
            op.getResponses().forEach((status, response) -> {
                if (response.get$ref() == null) {
                    examples(tests, method.name() + " " + path + " " + status, base + "/responses/" + status,
                            response.getContent() == null ? null : response.getContent().get("application/json"));
                }
            });
        }));
        CONTRACT.openApi().getComponents().getResponses().forEach((name, response) -> examples(tests,
                "responses." + name, "#/components/responses/" + name, response.getContent().get("application/json")));
        assertTrue(tests.size() > 30, "examples found: " + tests.size());
        return tests.stream();
    }

    private static void examples(List<DynamicTest> tests, String what, String pointer, MediaType json) {
        if (json == null) {
            return;
        }
        String schema = pointer + "/content/" + ApiContract.escape("application/json") + "/schema";
        if (json.getExample() != null) {
            JsonNode example = Json.MAPPER.valueToTree(json.getExample());
            tests.add(DynamicTest.dynamicTest(what, () -> assertEquals(List.of(), CONTRACT.problems(schema, example))));
        }
        if (json.getExamples() != null) {
            json.getExamples().forEach((name, example) -> tests.add(DynamicTest.dynamicTest(what + " " + name, () -> {
                Example resolved = example.get$ref() == null ? example : CONTRACT.openApi().getComponents().getExamples()
                        .get(example.get$ref().substring(example.get$ref().lastIndexOf('/') + 1));
                assertEquals(List.of(), CONTRACT.problems(schema, Json.MAPPER.valueToTree(resolved.getValue())));
            })));
        }
    }

    /** Every error code the functions can answer is one the document names, so a client can switch on all of them. */
    @Test
    void everyErrorCodeOfTheFunctionsIsDocumented() throws Exception {
        Pattern thrown = Pattern.compile("new ApiException\\((\\d{3}),\\s*\"([A-Z_]+)\"");
        Set<String> codes = new TreeSet<>();
        List<java.nio.file.Path> roots = List.of(java.nio.file.Path.of("functions"), java.nio.file.Path.of("shared"));
        for (java.nio.file.Path root : roots) {
            try (Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
                for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("src/main")).toList()) {
                    Matcher m = thrown.matcher(java.nio.file.Files.readString(file));
                    while (m.find()) {
                        codes.add(m.group(2));
                    }
                }
            }
        }
        codes.add("VALIDATION_FAILED"); // ApiException.validation
        codes.remove("ROUTE_NOT_FOUND"); // a function's answer to a route it does not have: no Api event sends one
        assertTrue(codes.size() > 15, codes.toString());
        for (String code : codes) {
            assertTrue(CONTRACT_TEXT.contains("enum: [" + code + "]"),
                    code + " has no schema in openapi.yaml");
        }
    }

    @Test
    void theValidatorRefusesWhatDoesNotFit() {
        String account = "{\"memberId\":\"0001\",\"balance\":1000,\"status\":\"OPEN\"}";
        CONTRACT.check("GET", "/points/0001", 200, account);
        // a required field missing, an undocumented one, a value outside its enum
        assertThrows(AssertionError.class, () -> CONTRACT.check("GET", "/points/0001", 200,
                "{\"memberId\":\"0001\",\"status\":\"OPEN\"}"));
        assertThrows(AssertionError.class, () -> CONTRACT.check("GET", "/points/0001", 200,
                "{\"memberId\":\"0001\",\"balance\":1000,\"status\":\"OPEN\",\"version\":3}"));
        assertThrows(AssertionError.class, () -> CONTRACT.check("GET", "/points/0001", 200,
                "{\"memberId\":\"0001\",\"balance\":1000,\"status\":\"ACTIVE\"}"));
        // a status the route does not list, and an error code it does not answer with
        assertThrows(AssertionError.class, () -> CONTRACT.check("GET", "/points/0001", 201, account));
        CONTRACT.check("GET", "/points/0001", 404,
                "{\"error\":{\"code\":\"MEMBER_NOT_FOUND\",\"message\":\"m\",\"details\":{}}}");
        assertThrows(AssertionError.class, () -> CONTRACT.check("GET", "/points/0001", 404,
                "{\"error\":{\"code\":\"DEAL_NOT_FOUND\",\"message\":\"m\",\"details\":{}}}"));
        // the error body's own shape, on a route of the document and on one it does not have
        assertThrows(AssertionError.class, () -> CONTRACT.check("GET", "/points/0001", 404, "{\"message\":\"Not Found\"}"));
        assertThrows(AssertionError.class, () -> CONTRACT.check("GET", "/nowhere", 404, "{\"message\":\"Not Found\"}"));
        CONTRACT.check("GET", "/nowhere", 404, "{\"error\":{\"code\":\"ROUTE_NOT_FOUND\",\"message\":\"m\",\"details\":{}}}");
        // one of several codes (oneOf), inline in the operation; a refused use must carry its FAILED deal
        CONTRACT.check("POST", "/deals/01J2/cancel", 409,
                "{\"error\":{\"code\":\"DEAL_NOT_CANCELLABLE\",\"message\":\"m\",\"details\":{}}}");
        assertThrows(AssertionError.class, () -> CONTRACT.check("POST", "/deals", 409,
                "{\"error\":{\"code\":\"INSUFFICIENT_POINTS\",\"message\":\"m\",\"details\":{}}}"));
        // literal segments before parameters: /members/{memberId}/ledger, not a member called "ledger"
        assertEquals("/members/{memberId}/ledger", CONTRACT.pathTemplate("/members/0001/ledger"));
        assertEquals("/merchants/{merchantId}/api-key", CONTRACT.pathTemplate("/merchants/20/api-key"));
    }

    @Test
    void aRouteTheDocumentLacksIsRefusedByName() {
        AssertionError e = assertThrows(AssertionError.class, () -> CONTRACT.checkRoute("PUT", "/deals", 200, "{}"));
        assertTrue(e.getMessage().contains("PUT /deals"), e.getMessage());
        Operation op = CONTRACT.operation("/deals", "post");
        ApiResponse created = op.getResponses().get("201");
        assertTrue(created.getContent().get("application/json").getSchema().get$ref().endsWith("/Deal"));
    }
}
