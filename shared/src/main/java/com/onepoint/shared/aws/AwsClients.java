package com.onepoint.shared.aws;

import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;

/**
 * SDK clients as a Lambda container should build them, once: region and credentials from the Lambda
 * environment, the small UrlConnection HTTP client, no classpath scanning for providers.
 * {@code <SERVICE>_ENDPOINT}, when set, points a client at an emulator instead of AWS.
 * EventBridge and SQS are optional dependencies of shared: only functions that use them carry them.
 */
public final class AwsClients {
    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb(Env env) {
        return build(DynamoDbClient.builder(), env, "DYNAMODB_ENDPOINT");
    }

    /**
     * The enhanced client over a function's one DynamoDbClient, for the table schemas. No extensions: the default
     * ones (versioned records, atomic counters) would add conditions and attributes of their own, and OnePoint's
     * versions are conditions it writes itself.
     */
    public static DynamoDbEnhancedClient enhanced(DynamoDbClient dynamoDb) {
        return DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).extensions().build();
    }

    public static EventBridgeClient eventBridge(Env env) {
        return build(EventBridgeClient.builder(), env, "EVENTBRIDGE_ENDPOINT");
    }

    public static SqsClient sqs(Env env) {
        return build(SqsClient.builder(), env, "SQS_ENDPOINT");
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, Env env,
                                                                                             String endpointVariable) {
        builder.region(Region.of(env.require("AWS_REGION")))
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create());
        String endpoint = env.get(endpointVariable, null);
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }
}
