package com.onepoint.devkit.events;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.json.Json;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An event as EventBridge delivers it to a target:
 * {@code {"version":"0","id":...,"detail-type":...,"source":...,"account":...,"time":"...Z","region":...,
 * "resources":[...],"detail":{...}}}, fields in that order, time in whole seconds.
 */
public record EventEnvelope(String id, String detailType, String source, Instant time, List<String> resources,
                            JsonNode detail) {

    public EventEnvelope {
        time = time.truncatedTo(ChronoUnit.SECONDS);
        resources = resources == null ? List.of() : List.copyOf(resources);
        detail = detail == null ? Json.MAPPER.createObjectNode() : detail;
    }

    public ObjectNode toJsonNode() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("version", "0");
        node.put("id", id);
        node.put("detail-type", detailType);
        node.put("source", source);
        node.put("account", SamTemplate.ACCOUNT_ID);
        node.put("time", time.toString());
        node.put("region", SamTemplate.REGION);
        ArrayNode res = node.putArray("resources");
        resources.forEach(res::add);
        node.set("detail", detail);
        return node;
    }

    public String toJson() {
        return Json.write(toJsonNode());
    }

    /**
     * The envelope as the Lambda events library models it. Java handlers triggered by EventBridge or a schedule
     * usually take a {@link ScheduledEvent}, which despite its name fits any EventBridge event.
     */
    @SuppressWarnings("unchecked")
    public ScheduledEvent toScheduledEvent() {
        ScheduledEvent e = new ScheduledEvent();
        e.setVersion("0");
        e.setId(id);
        e.setDetailType(detailType);
        e.setSource(source);
        e.setAccount(SamTemplate.ACCOUNT_ID);
        e.setTime(new DateTime(time.toEpochMilli(), DateTimeZone.UTC));
        e.setRegion(SamTemplate.REGION);
        e.setResources(new ArrayList<>(resources));
        e.setDetail(detail.isObject() ? Json.MAPPER.convertValue(detail, LinkedHashMap.class) : new LinkedHashMap<>());
        return e;
    }

    public static EventEnvelope parse(String json) {
        try {
            JsonNode n = Json.read(json);
            List<String> resources = new ArrayList<>();
            n.path("resources").forEach(r -> resources.add(r.asText()));
            return new EventEnvelope(n.path("id").asText(), n.path("detail-type").asText(), n.path("source").asText(),
                    Instant.parse(n.path("time").asText()), resources, n.get("detail"));
        } catch (Exception e) {
            throw new IllegalArgumentException("not an EventBridge event: " + e.getMessage(), e);
        }
    }

    /** A {@link ScheduledEvent} back in wire form (hyphenated {@code detail-type}, ISO time), e.g. for a Map handler. */
    public static Map<String, Object> toWireMap(ScheduledEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", e.getVersion());
        out.put("id", e.getId());
        out.put("detail-type", e.getDetailType());
        out.put("source", e.getSource());
        out.put("account", e.getAccount());
        out.put("time", e.getTime() == null ? null : Instant.ofEpochMilli(e.getTime().getMillis()).toString());
        out.put("region", e.getRegion());
        out.put("resources", e.getResources());
        out.put("detail", e.getDetail());
        return out;
    }
}
