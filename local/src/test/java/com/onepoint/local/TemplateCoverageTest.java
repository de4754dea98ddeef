package com.onepoint.local;

import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fails when template.yaml holds something the runtime does not wire: every resource (function, table, queue, bus,
 * ...) and every function event must be reported as wired, and the checkable ones are checked for real: functions
 * built from their Handler class, tables present in the engine, Api events answered over HTTP by their function.
 */
class TemplateCoverageTest {
    private static SamTemplate template;
    private static LocalRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        template = TestTemplates.project();
        runtime = LocalRuntime.start(template, 0, RuntimeOverrides.standard());
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void everyResourceIsWired() {
        List<String> missing = new ArrayList<>();
        for (SamTemplate.Resource r : template.resources().values()) {
            if (!runtime.wiring().resources().containsKey(r.logicalId())) {
                missing.add(r.logicalId() + " (" + r.type() + ")");
            }
        }
        assertEquals(List.of(), missing, "resources of template.yaml the local runtime does not stand up");
    }

    @Test
    void everyFunctionIsBuiltFromItsHandler() {
        for (SamTemplate.Resource fn : template.resourcesOfType(TemplateCheck.FUNCTION)) {
            String handler = String.valueOf(fn.properties().get("Handler"));
            LocalFunction built = runtime.functions().get(fn.logicalId());
            assertEquals(handler.substring(0, handler.indexOf("::")), built.handlerClass().getName(), fn.logicalId());
        }
    }

    @Test
    void everyTableExistsInDynamoDbLocal() {
        List<String> tables = runtime.dynamo().client().listTables().tableNames();
        for (SamTemplate.Resource table : template.resourcesOfType(LocalDynamo.TABLE_TYPE)) {
            assertTrue(tables.contains(runtime.dynamo().ref(table.logicalId())), table.logicalId() + " not in " + tables);
        }
    }

    @Test
    void everyEventSourceIsWired() {
        List<String> missing = new ArrayList<>();
        for (SamTemplate.Resource fn : template.resourcesOfType(TemplateCheck.FUNCTION)) {
            for (String event : events(fn).keySet()) {
                if (!runtime.wiring().events().containsKey(fn.logicalId() + "." + event)) {
                    missing.add(fn.logicalId() + "." + event);
                }
            }
        }
        assertEquals(List.of(), missing, "function events of template.yaml the local runtime does not deliver");
    }

    /** Each Api event answered by its function's own routing, not by "no route" from the runtime or the handler. */
    @Test
    void everyApiEventReachesItsFunction() {
        ApiClient api = new ApiClient(runtime);
        for (SamTemplate.Resource fn : template.resourcesOfType(TemplateCheck.FUNCTION)) {
            for (Map.Entry<String, Object> e : events(fn).entrySet()) {
                Map<?, ?> body = (Map<?, ?>) e.getValue();
                if (!"Api".equals(body.get("Type"))) {
                    continue;
                }
                Map<?, ?> props = (Map<?, ?>) body.get("Properties");
                String method = String.valueOf(props.get("Method")).toUpperCase();
                String path = String.valueOf(props.get("Path")).replaceAll("\\{[^}]+}", "coverage-probe");
                ApiClient.Answer answer = api.send(method.equals("ANY") ? "GET" : method, path, "application/json", null);
                String where = fn.logicalId() + "." + e.getKey() + " " + method + " " + path + " -> " + answer.body();
                assertNotEquals(405, answer.status(), where);
                assertNotEquals(502, answer.status(), where);
                assertNotEquals("ROUTE_NOT_FOUND", answer.errorCode(), where);
            }
        }
    }

    /** The serve banner names what the runtime accepts without emulating, counted from the template. */
    @Test
    void theBannerListsWhatIsAcceptedButNotEmulated() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ServeCommand.printBanner(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8), template,
                runtime, 0);
        String banner = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        String line = banner.lines().filter(l -> l.contains("accepted, not emulated:")).findFirst().orElse("");
        int alarms = template.resourcesOfType("AWS::CloudWatch::Alarm").size();
        int logGroups = template.resourcesOfType("AWS::Logs::LogGroup").size();
        assertTrue(alarms > 0 && logGroups > 0, "template.yaml declares alarms and log groups");
        for (String expected : List.of(alarms + " alarms", logGroups + " log groups", "X-Ray tracing", "API access logs")) {
            assertTrue(line.contains(expected), "banner line lacks '" + expected + "': " + line);
        }
        assertTrue(banner.lines().noneMatch(l -> l.contains(LocalRuntime.NO_LOCAL_BEHAVIOUR)),
                "AWS-only resources are counted, not listed one per line");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> events(SamTemplate.Resource fn) {
        return (Map<String, Object>) fn.properties().getOrDefault("Events", Map.of());
    }
}
