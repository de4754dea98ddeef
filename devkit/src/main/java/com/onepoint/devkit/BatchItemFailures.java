package com.onepoint.devkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code batchItemFailures} from whatever a batch handler returned: SQSBatchResponse, StreamsEventResponse,
 * a Map, a JSON string. Goes through Jackson rather than instanceof so that a response class loaded by a function's
 * own class loader is read as well.
 */
public final class BatchItemFailures {
    private BatchItemFailures() {
    }

    /**
     * The reported item identifiers (an unusable one as ""), or empty when the response reports no failure list
     * at all, which Lambda takes as complete success.
     */
    public static Optional<List<String>> of(Object response) {
        if (response == null) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = response instanceof String s ? Json.read(s) : Json.MAPPER.valueToTree(response);
        } catch (Exception e) {
            return Optional.empty();
        }
        JsonNode failures = node == null ? null : node.get("batchItemFailures");
        if (failures == null || !failures.isArray()) {
            return Optional.empty();
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode f : failures) {
            JsonNode id = f.get("itemIdentifier");
            ids.add(id == null || id.isNull() ? "" : id.asText());
        }
        return Optional.of(ids);
    }
}
