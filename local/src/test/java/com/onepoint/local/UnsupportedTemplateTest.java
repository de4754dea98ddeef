package com.onepoint.local;

import com.onepoint.devkit.UnsupportedTemplateException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A construct the runtime cannot honour stops startup, naming the resource and the property: never a silent skip. */
class UnsupportedTemplateTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "function-layers.yaml       | LayeredFunction (AWS::Serverless::Function).Layers",
            "globals-layers.yaml        | Globals.Function.Layers",
            "api-auth.yaml              | Api (AWS::Serverless::Api).Auth",
            "api-event-auth.yaml        | EchoFunction (AWS::Serverless::Function).Events.Item.Properties.Auth",
            "implicit-api.yaml          | EchoFunction (AWS::Serverless::Function).Events.Item.Properties.RestApiId",
            "sqs-event.yaml             | RestoreQueue (AWS::SQS::Queue).Type",
            "unknown-event.yaml         | UploadFunction (AWS::Serverless::Function).Events.Uploaded.Type: event type S3 is not supported",
            "unknown-resource.yaml      | Clicks (AWS::Kinesis::Stream).Type",
            "conditional-table.yaml     | AuditTable (AWS::DynamoDB::Table).Condition: a resource-level Condition",
            "missing-handler-class.yaml | GhostFunction (AWS::Serverless::Function).Handler: class com.onepoint.ghost.GhostHandler",
    })
    void startupStopsNamingResourceAndProperty(String template, String expected) {
        UnsupportedTemplateException e = assertThrows(UnsupportedTemplateException.class,
                () -> LocalRuntime.start(TestTemplates.load("unsupported/" + template), LocalRuntime.NO_HTTP));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
