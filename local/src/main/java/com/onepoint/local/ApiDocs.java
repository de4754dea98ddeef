package com.onepoint.local;

import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.UnsupportedTemplateException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The API's own documentation, served without a key: {@code GET /openapi.yaml} is the file the template's Api includes
 * as its {@code DefinitionBody} ({@code Fn::Transform: AWS::Include}, Location relative to the template), read from
 * disk on each request; {@code GET /docs} is Swagger UI from the swagger-ui webjar on the classpath, loading that
 * document, its servers' "/" being this runtime, so "Try it out" calls the runtime with the key typed into Authorize.
 */
final class ApiDocs {
    static final String DOCUMENT_PATH = "/openapi.yaml";
    static final String DOCS_PATH = "/docs";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "html", "text/html; charset=utf-8",
            "png", "image/png", "map", "application/json");

    /** Swagger UI's page: no validator badge (it would call validator.swagger.io), nothing kept in localStorage. */
    private static final String INDEX = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>OnePoint API</title>
              <link rel="stylesheet" href="/docs/swagger-ui.css">
              <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="/docs/swagger-ui-bundle.js"></script>
              <script>
                window.ui = SwaggerUIBundle({url: "/openapi.yaml", dom_id: "#swagger-ui", deepLinking: true,
                  presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout", validatorUrl: null,
                  persistAuthorization: false});
              </script>
            </body>
            </html>
            """;

    private final Path document;
    private final String webjarBase;

    private ApiDocs(Path document, String webjarBase) {
        this.document = document;
        this.webjarBase = webjarBase;
    }

    /**
     * The docs of the template's Api, or null when it has no DefinitionBody. Refuses a DefinitionBody other than an
     * AWS::Include of a local file, and one without MergeDefinitions: true (without it SAM would wire none of the
     * functions' Api events into the definition, so the deployed API would not be the one served here).
     */
    static ApiDocs of(SamTemplate template, SamTemplate.Resource api) {
        Object body = api.properties().get("DefinitionBody");
        if (body == null) {
            return null;
        }
        String where = api.where("DefinitionBody");
        if (!(body instanceof Map<?, ?> transform) || transform.size() != 1
                || !(transform.get("Fn::Transform") instanceof Map<?, ?> include)
                || !"AWS::Include".equals(include.get("Name"))
                || !(include.get("Parameters") instanceof Map<?, ?> parameters)
                || !(parameters.get("Location") instanceof String location) || location.contains("://")) {
            throw new UnsupportedTemplateException(where,
                    "only Fn::Transform AWS::Include of a local file (Parameters.Location: openapi.yaml) is served locally");
        }
        if (!Boolean.TRUE.equals(api.properties().get("MergeDefinitions"))) {
            throw new UnsupportedTemplateException(api.where("MergeDefinitions"), "must be true with DefinitionBody: "
                    + "without it SAM adds none of the functions' Api events to the definition");
        }
        Path dir = template.file().toAbsolutePath().getParent();
        Path document = dir.resolve(location).normalize();
        if (!Files.isRegularFile(document)) {
            throw new UnsupportedTemplateException(where + ".Fn::Transform.Parameters.Location", "no file " + document);
        }
        return new ApiDocs(document, webjarBase());
    }

    /** The webjar's folder, by the version its pom.properties names; null when the webjar is not on the classpath. */
    private static String webjarBase() {
        try (InputStream in = ApiDocs.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                return null;
            }
            Properties properties = new Properties();
            properties.load(in);
            return WEBJAR + properties.getProperty("version") + "/";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path document() {
        return document;
    }

    /** Whether {@code rawPath} is one of these routes (any method: a POST to it is then a 405, not a 404). */
    boolean serves(String rawPath) {
        return rawPath.equals(DOCUMENT_PATH) || rawPath.equals(DOCS_PATH) || rawPath.startsWith(DOCS_PATH + "/");
    }

    /** The answer to a GET or HEAD of {@code rawPath}; null when there is no such document or asset. */
    ProxyEvents.HttpResponse answer(String rawPath) {
        if (rawPath.equals(DOCUMENT_PATH)) {
            try {
                return ok("application/yaml; charset=utf-8", Files.readAllBytes(document));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (rawPath.equals(DOCS_PATH) || rawPath.equals(DOCS_PATH + "/") || rawPath.equals(DOCS_PATH + "/index.html")) {
            return ok(CONTENT_TYPES.get("html"), INDEX.getBytes(StandardCharsets.UTF_8));
        }
        String asset = rawPath.substring(DOCS_PATH.length() + 1);
        int dot = asset.lastIndexOf('.');
        String type = dot < 0 ? null : CONTENT_TYPES.get(asset.substring(dot + 1));
        // the webjar's files are one flat folder: a name with a slash, or of a type not listed, is not one of them
        if (webjarBase == null || type == null || asset.contains("/") || asset.contains("\\") || asset.startsWith(".")) {
            return null;
        }
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(webjarBase + asset)) {
            return in == null ? null : ok(type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProxyEvents.HttpResponse ok(String contentType, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of(contentType));
        headers.put("Cache-Control", List.of("no-cache"));
        return new ProxyEvents.HttpResponse(200, headers, body);
    }
}
