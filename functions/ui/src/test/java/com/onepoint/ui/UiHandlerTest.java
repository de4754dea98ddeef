package com.onepoint.ui;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page's files as API Gateway's proxy responses: types, the CSP, the redirect to ui/, 404 and 304. */
class UiHandlerTest {
    private final UiHandler handler = new UiHandler();

    private APIGatewayProxyResponseEvent get(String path, String proxy) {
        return handler.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath(path)
                .withPathParameters(proxy == null ? null : Map.of("proxy", proxy)), null);
    }

    @ParameterizedTest
    @Event(value = "events/ui-get.json", type = APIGatewayProxyRequestEvent.class)
    void fixtureServesThePage(APIGatewayProxyRequestEvent event) {
        APIGatewayProxyResponseEvent page = handler.handleRequest(event, null);
        assertEquals(200, page.getStatusCode());
        assertEquals("text/html; charset=utf-8", page.getHeaders().get("Content-Type"));
        assertTrue(page.getBody().contains("<script type=\"module\" src=\"app.js\">"), page.getBody());
        assertEquals(UiHandler.CONTENT_SECURITY_POLICY, page.getHeaders().get("Content-Security-Policy"));
        assertEquals(Boolean.FALSE, page.getIsBase64Encoded(), "text, so API Gateway needs no binary media types");
    }

    @ParameterizedTest
    @Event(value = "events/ui-redirect.json", type = APIGatewayProxyRequestEvent.class)
    void fixtureWithoutTheSlashIsRedirected(APIGatewayProxyRequestEvent event) {
        APIGatewayProxyResponseEvent r = handler.handleRequest(event, null);
        assertEquals(302, r.getStatusCode());
        assertEquals("ui/", r.getHeaders().get("Location"));
    }

    @Test
    void everyFileIsServedAsTextWithItsType() {
        for (String file : UiHandler.FILES) {
            APIGatewayProxyResponseEvent r = get("/ui/" + file, file);
            assertEquals(200, r.getStatusCode(), file);
            assertTrue(r.getHeaders().get("Content-Type").startsWith(file.endsWith(".js") ? "text/javascript"
                    : file.endsWith(".css") ? "text/css" : "text/html"), file);
            assertEquals("nosniff", r.getHeaders().get("X-Content-Type-Options"));
        }
    }

    @Test
    void uiWithoutItsSlashIsSentToUiSlashRelativelySoAStagePrefixStays() {
        APIGatewayProxyResponseEvent r = get("/ui", null);
        assertEquals(302, r.getStatusCode());
        assertEquals("ui/", r.getHeaders().get("Location"));
        APIGatewayProxyResponseEvent slash = get("/ui/", null);
        assertEquals(200, slash.getStatusCode());
        assertEquals(get("/ui/index.html", "index.html").getBody(), slash.getBody());
    }

    @Test
    void anythingElseIsNotFoundInTheErrorModel() {
        for (String path : new String[]{"../pom.xml", "ui/index.html", "index.htm", "app.js/x", "UiHandler.class"}) {
            APIGatewayProxyResponseEvent r = get("/ui/" + path, path);
            assertEquals(404, r.getStatusCode(), path);
            assertEquals("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such file in the dashboard page\",\"details\":{}}}",
                    r.getBody());
        }
    }

    @Test
    void anUnchangedFileIsA304() {
        String etag = get("/ui/app.js", "app.js").getHeaders().get("ETag");
        APIGatewayProxyResponseEvent again = handler.handleRequest(new APIGatewayProxyRequestEvent().withPath("/ui/app.js")
                .withPathParameters(Map.of("proxy", "app.js")).withHeaders(Map.of("if-none-match", etag)), null);
        assertEquals(304, again.getStatusCode());
        assertNull(again.getBody());
    }
}
