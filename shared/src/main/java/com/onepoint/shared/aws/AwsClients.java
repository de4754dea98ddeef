package com.onepoint.shared.aws;

import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.net.URI;

/**
 * SDK clients as a Lambda container should build them, once: region and credentials from the Lambda
 * environment, the small UrlConnection HTTP client, no classpath scanning for providers.
 * {@code DYNAMODB_ENDPOINT}, when set, points the client at an emulator instead of AWS.
 */
public final class AwsClients {
    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb(Env env) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(env.require("AWS_REGION")))
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create());
        String endpoint = env.get("DYNAMODB_ENDPOINT", null);
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }
}
