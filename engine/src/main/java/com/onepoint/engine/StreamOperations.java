package com.onepoint.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onepoint.engine.stream.StreamRecord;
import com.onepoint.engine.stream.TableStream;
import com.onepoint.engine.value.ItemSize;
import com.onepoint.engine.value.ValueJson;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * ListStreams, DescribeStream, GetShardIterator and GetRecords. Each table's stream has one shard that never closes;
 * a shard iterator is the stream ARN, shard id and next sequence number, encoded.
 */
final class StreamOperations {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> ITERATOR_TYPES = Set.of("TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER");

    private final DynamoEngine engine;

    StreamOperations(DynamoEngine engine) {
        this.engine = engine;
    }

    JsonNode listStreams(Request r) {
        String tableName = r.string("TableName");
        Integer limit = r.integer("Limit");
        String start = r.string("ExclusiveStartStreamArn");
        ObjectNode out = F.objectNode();
        ArrayNode streams = out.putArray("Streams");
        boolean started = start == null;
        for (Table t : engine.tables.values()) {
            if (t.stream == null || (tableName != null && !tableName.equals(t.name()))) {
                continue;
            }
            if (!started) {
                started = t.stream.arn().equals(start);
                continue;
            }
            if (limit != null && streams.size() == limit) {
                out.put("LastEvaluatedStreamArn", streams.get(streams.size() - 1).get("StreamArn").asText());
                break;
            }
            streams.addObject().put("StreamArn", t.stream.arn()).put("TableName", t.name())
                    .put("StreamLabel", t.stream.label());
        }
        return out;
    }

    JsonNode describeStream(Request r) {
        Table t = engine.tableByStreamArn(r.required("StreamArn"));
        TableStream s = t.stream;
        ObjectNode out = F.objectNode();
        ObjectNode d = out.putObject("StreamDescription");
        d.put("StreamArn", s.arn()).put("StreamLabel", s.label()).put("StreamStatus", "ENABLED")
                .put("StreamViewType", s.viewType()).put("CreationRequestDateTime", t.schema().createdMillis() / 1000.0)
                .put("TableName", t.name());
        d.set("KeySchema", TableOperations.keySchemaJson(t.schema().hash(), t.schema().range()));
        ObjectNode shard = d.putArray("Shards").addObject();
        shard.put("ShardId", s.shardId());
        shard.putObject("SequenceNumberRange").put("StartingSequenceNumber", TableStream.sequenceNumber(Math.max(1, s.first())));
        return out;
    }

    JsonNode getShardIterator(Request r) {
        Table t = engine.tableByStreamArn(r.required("StreamArn"));
        TableStream s = t.stream;
        String shardId = r.required("ShardId");
        if (!shardId.equals(s.shardId())) {
            throw DynamoException.notFound("Requested resource not found: Shard does not exist");
        }
        String type = r.oneOf("ShardIteratorType", null, ITERATOR_TYPES);
        if (type == null) {
            throw DynamoException.validation("1 validation error detected: Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null");
        }
        long position;
        switch (type) {
            case "TRIM_HORIZON":
                position = s.first();
                break;
            case "LATEST":
                position = s.lastVisible() + 1;
                break;
            default: {
                String seqText = r.string("SequenceNumber");
                if (seqText == null) {
                    throw DynamoException.validation("Must specify a sequence number for iterator type " + type);
                }
                long seq = TableStream.parseSequenceNumber(seqText);
                if (seq < s.first() && s.size() > 0) {
                    throw new DynamoException(DynamoException.TRIMMED_DATA,
                            "Attempted to access data that has been trimmed: " + seqText);
                }
                position = type.equals("AT_SEQUENCE_NUMBER") ? seq : seq + 1;
            }
        }
        ObjectNode out = F.objectNode();
        out.put("ShardIterator", iterator(s.arn(), s.shardId(), position));
        return out;
    }

    JsonNode getRecords(Request r) {
        String[] parts = parseIterator(r.required("ShardIterator"));
        Table t = engine.tableByStreamArn(parts[0]);
        TableStream s = t.stream;
        Integer limit = r.integer("Limit");
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw DynamoException.validation("1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000");
        }
        long position = Long.parseLong(parts[2]);
        if (position < s.first() && s.size() > 0) {
            position = s.first(); // records past the 24-hour retention are gone, as in DynamoDB
        }
        List<StreamRecord> records = s.read(position, limit == null ? 1000 : limit);
        ObjectNode out = F.objectNode();
        ArrayNode list = out.putArray("Records");
        long next = position;
        for (StreamRecord rec : records) {
            list.add(json(rec, s.viewType()));
            next = rec.sequence() + 1;
        }
        out.put("NextShardIterator", iterator(s.arn(), s.shardId(), next));
        return out;
    }

    private ObjectNode json(StreamRecord rec, String viewType) {
        ObjectNode o = F.objectNode();
        o.put("eventID", rec.eventId());
        o.put("eventName", rec.eventName().name());
        o.put("eventVersion", "1.1");
        o.put("eventSource", "aws:dynamodb");
        o.put("awsRegion", engine.options.region());
        ObjectNode d = o.putObject("dynamodb");
        d.put("ApproximateCreationDateTime", rec.createdMillis() / 1000);
        StreamRecord.Images images = rec.decode();
        d.set("Keys", ValueJson.json(images.keys()));
        long size = ItemSize.of(images.keys());
        boolean newImage = viewType.equals("NEW_IMAGE") || viewType.equals("NEW_AND_OLD_IMAGES");
        boolean oldImage = viewType.equals("OLD_IMAGE") || viewType.equals("NEW_AND_OLD_IMAGES");
        if (newImage && images.newImage() != null) {
            d.set("NewImage", ValueJson.json(images.newImage()));
            size += ItemSize.of(images.newImage());
        }
        if (oldImage && images.oldImage() != null) {
            d.set("OldImage", ValueJson.json(images.oldImage()));
            size += ItemSize.of(images.oldImage());
        }
        d.put("SequenceNumber", TableStream.sequenceNumber(rec.sequence()));
        d.put("SizeBytes", size);
        d.put("StreamViewType", viewType);
        if (rec.byTtl()) {
            o.putObject("userIdentity").put("PrincipalId", "dynamodb.amazonaws.com").put("Type", "Service");
        }
        return o;
    }

    private static String iterator(String arn, String shardId, long position) {
        String raw = arn + "|" + shardId + "|" + position;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] parseIterator(String iterator) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(iterator), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|");
            if (parts.length != 3) {
                throw new IllegalArgumentException();
            }
            Long.parseLong(parts[2]);
            return parts;
        } catch (IllegalArgumentException e) {
            throw DynamoException.validation("Invalid ShardIterator");
        }
    }
}
