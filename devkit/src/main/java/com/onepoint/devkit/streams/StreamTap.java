package com.onepoint.devkit.streams;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one table's stream on the engine from where the last read stopped, and hands the new records over as the
 * DynamodbEvent Lambda would deliver: the tests project what the ledger's own writes really put on the stream.
 */
public final class StreamTap {
    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    /** Shard id → iterator to continue from; null once a closed shard is read to its end. */
    private final Map<String, String> positions = new HashMap<>();

    public StreamTap(DynamoDbStreamsClient streams, String streamArn) {
        if (streamArn == null) {
            throw new IllegalArgumentException("the table has no stream: template.yaml must declare StreamSpecification");
        }
        this.streams = streams;
        this.streamArn = streamArn;
    }

    /** Every record written since the previous call, in stream order. */
    public DynamodbEvent next() {
        List<Record> records = new ArrayList<>();
        for (Shard shard : streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards()) {
            String iterator = positions.containsKey(shard.shardId()) ? positions.get(shard.shardId())
                    : streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String from = iterator;
                GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(from));
                records.addAll(page.records());
                iterator = page.nextShardIterator();
                if (page.records().isEmpty()) {
                    break;
                }
            }
            positions.put(shard.shardId(), iterator);
        }
        return StreamRecords.toEvent(records, streamArn);
    }
}
