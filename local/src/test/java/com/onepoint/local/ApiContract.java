package com.onepoint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import com.onepoint.devkit.json.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * openapi.yaml as the tests hold the API to it: swagger-parser reads the document (and must find nothing wrong with
 * it), and every answer a test gets is checked against the schema its route and status name, with networknt's JSON
 * Schema validator in its OpenAPI 3.0 dialect. Schemas are taken by JSON pointer from the one document, so their
 * $refs resolve as the document wrote them.
 */
final class ApiContract {
    static final Path DOCUMENT = Path.of("openapi.yaml");
    /** The id the document is registered under; only a name, nothing is fetched. */
    private static final String ID = "https://onepoint.invalid/openapi.json";
    private static final String JSON = "application/json";
    private static volatile ApiContract project;

    private final OpenAPI openApi;
    private final List<String> parserMessages;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private ApiContract(String yaml) {
        ParseOptions options = new ParseOptions();
        options.setResolve(false); // keep the $refs: they name the pointers the validator follows
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(yaml, null, options);
        if (result.getOpenAPI() == null) {
            throw new IllegalStateException("openapi.yaml does not parse: " + result.getMessages());
        }
        this.openApi = result.getOpenAPI();
        this.parserMessages = result.getMessages() == null ? List.of() : List.copyOf(result.getMessages());
        String json;
        try {
            json = Json.write(io.swagger.v3.core.util.Yaml.mapper().readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30(), b -> b.schemas(Map.of(ID, json)));
    }

    /** The repository's openapi.yaml (surefire runs at the repository root), read once. */
    static ApiContract project() {
        if (project == null) {
            synchronized (ApiContract.class) {
                if (project == null) {
                    project = of(DOCUMENT);
                }
            }
        }
        return project;
    }

    static ApiContract of(Path file) {
        try {
            return new ApiContract(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ApiContract ofText(String yaml) {
        return new ApiContract(yaml);
    }

    OpenAPI openApi() {
        return openApi;
    }

    /** What swagger-parser found wrong with the document; empty for a valid OpenAPI 3.0 document. */
    List<String> parserMessages() {
        return parserMessages;
    }

    /** "METHOD /path/{param}" of every operation, sorted. */
    TreeSet<String> routes() {
        TreeSet<String> routes = new TreeSet<>();
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                .keySet().forEach(method -> routes.add(method.name() + " " + path)));
        return routes;
    }

    /**
     * Checks an answer to {@code method} of {@code rawPath} (as requested, query string allowed). A path no operation
     * has (the runtime's 404 ROUTE_NOT_FOUND, 405 METHOD_NOT_ALLOWED) must still answer the SPEC error body.
     *
     * @throws AssertionError naming the route, the status and what does not fit
     */
    void check(String method, String rawPath, int status, String body) {
        String path = rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
        String template = pathTemplate(path);
        Operation operation = template == null ? null : operation(template, method);
        if (operation == null) {
            if (status >= 400) {
                assertBody("#/components/schemas/Error", method + " " + path + " (no such operation) " + status, body);
            }
            return;
        }
        checkRoute(method, template, status, body);
    }

    /** As {@link #check} for an operation named by its path template, e.g. POST /deals/{dealId}/cancel. */
    void checkRoute(String method, String template, int status, String body) {
        String route = method.toUpperCase(Locale.ROOT) + " " + template;
        Operation operation = operation(template, method);
        if (operation == null) {
            throw new AssertionError(route + " is not an operation of openapi.yaml");
        }
        String statusKey = String.valueOf(status);
        ApiResponse response = operation.getResponses() == null ? null : operation.getResponses().get(statusKey);
        if (response == null) {
            throw new AssertionError(route + " answered " + status + ", a status openapi.yaml does not list for it ("
                    + operation.getResponses().keySet() + "): " + body);
        }
        String pointer;
        if (response.get$ref() != null) {
            String name = response.get$ref().substring(response.get$ref().lastIndexOf('/') + 1);
            pointer = "#/components/responses/" + escape(name);
            response = openApi.getComponents().getResponses().get(name);
        } else {
            pointer = "#/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/" + statusKey;
        }
        MediaType json = response.getContent() == null ? null : response.getContent().get(JSON);
        if (json == null && response.getContent() != null && !response.getContent().isEmpty()) {
            return; // a documented body that is not JSON (the dashboard page's files): nothing to validate
        }
        if (json == null || json.getSchema() == null) {
            if (body != null && !body.isEmpty()) {
                throw new AssertionError(route + " " + status + ": openapi.yaml documents no body, the answer has " + body);
            }
            return;
        }
        assertBody(pointer + "/content/" + escape(JSON) + "/schema", route + " " + status, body);
    }

    /** Validates {@code body} against the schema at {@code pointer} (a fragment of the document). */
    void assertBody(String pointer, String what, String body) {
        List<String> problems = problems(pointer, body);
        if (!problems.isEmpty()) {
            throw new AssertionError(what + " does not fit openapi.yaml (" + pointer + "): " + problems + "\n  body: " + body);
        }
    }

    /** What does not fit; empty when {@code body} is valid against the schema at {@code pointer}. */
    List<String> problems(String pointer, String body) {
        JsonNode node;
        try {
            node = body == null || body.isEmpty() ? null : Json.read(body);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        if (node == null) {
            return List.of("no body, a JSON body is documented");
        }
        return problems(pointer, node);
    }

    List<String> problems(String pointer, JsonNode node) {
        Schema schema = schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(ID + p)));
        List<String> out = new ArrayList<>();
        for (Error error : schema.validate(node)) {
            out.add(error.toString());
        }
        return out;
    }

    /** The document's path template {@code path} falls under, or null: literal segments before parameters. */
    String pathTemplate(String path) {
        List<String> segments = ApiRoute.split(path);
        TreeMap<String, String> candidates = new TreeMap<>(); // specificity key -> template
        for (String template : openApi.getPaths().keySet()) {
            List<String> pattern = ApiRoute.split(template);
            if (pattern.size() != segments.size()) {
                continue;
            }
            StringBuilder key = new StringBuilder();
            boolean fits = true;
            for (int i = 0; i < pattern.size() && fits; i++) {
                boolean param = pattern.get(i).startsWith("{");
                fits = param || pattern.get(i).equals(ApiRoutes.percentDecode(segments.get(i)));
                key.append(param ? '1' : '0');
            }
            if (fits) {
                candidates.putIfAbsent(key.toString(), template);
            }
        }
        return candidates.isEmpty() ? null : candidates.firstEntry().getValue();
    }

    Operation operation(String template, String method) {
        PathItem item = openApi.getPaths().get(template);
        if (item == null) {
            return null;
        }
        PathItem.HttpMethod m;
        try {
            m = PathItem.HttpMethod.valueOf(method.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
        return item.readOperationsMap().get(m);
    }

    /** A JSON pointer segment: '~' as ~0 and '/' as ~1. */
    static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }
}
