package com.onepoint.billing;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.streams.StreamRecords;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a table's stream on the engine and hands out what is new as the DynamodbEvent Lambda would send. */
final class TableStream {
    private final DynamoDbStreamsClient streams;
    private final String arn;
    private final Set<String> shards = new LinkedHashSet<>();
    private final Map<String, String> lastRead = new HashMap<>();

    TableStream(LocalDynamo dynamo, String tableLogicalId) {
        this.streams = dynamo.streams();
        this.arn = dynamo.streamArn(tableLogicalId);
    }

    /** Every record written since the last call, in shard order. */
    DynamodbEvent drain() {
        for (Shard shard : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
            shards.add(shard.shardId());
        }
        List<Record> records = new ArrayList<>();
        for (String shard : shards) {
            String iterator = iterator(shard);
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page;
                try {
                    page = streams.getRecords(b -> b.shardIterator(current));
                } catch (TrimmedDataAccessException | ExpiredIteratorException e) {
                    break; // a shard read past its retention or an old iterator: nothing more to hand out
                }
                if (page.records().isEmpty()) {
                    break;
                }
                records.addAll(page.records());
                lastRead.put(shard, page.records().get(page.records().size() - 1).dynamodb().sequenceNumber());
                iterator = page.nextShardIterator();
            }
        }
        return StreamRecords.toEvent(records, arn);
    }

    private String iterator(String shard) {
        String after = lastRead.get(shard);
        return streams.getShardIterator(b -> {
            b.streamArn(arn).shardId(shard);
            if (after == null) {
                b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            } else {
                b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
            }
        }).shardIterator();
    }
}
