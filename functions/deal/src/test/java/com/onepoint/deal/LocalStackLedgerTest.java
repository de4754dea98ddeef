package com.onepoint.deal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.onepoint.devkit.LocalDynamo;
import com.onepoint.devkit.SamTemplate;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.onepoint.deal.Ledger.uniqueId;
import static com.onepoint.devkit.ApiEvents.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ledger's core rules against LocalStack's DynamoDB instead of the engine, so a second implementation confirms
 * what the engine lets the ledger rely on: earn at the rate, a use beyond the balance refused and recorded FAILED,
 * a cancel only once, and no overdraft under concurrent uses. Needs a Docker engine; skipped, saying so, without one.
 */
class LocalStackLedgerTest {
    private static final DockerImageName LOCALSTACK = DockerImageName.parse("localstack/localstack:3.8");

    @Test
    void coreLedgerRulesHoldOnLocalStack() throws Exception {
        assumeTrue(dockerAvailable(), "skipped: no Docker engine on this machine, so no LocalStack container; "
                + "the same rules run on the engine in DealRulesTest and DealConcurrencyTest");
        try (LocalStackContainer localstack = new LocalStackContainer(LOCALSTACK).withServices(LocalStackContainer.Service.DYNAMODB)) {
            localstack.start();
            StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(localstack.getAccessKey(), localstack.getSecretKey()));
            Region region = Region.of(localstack.getRegion());
            DynamoDbClient db = DynamoDbClient.builder().endpointOverride(localstack.getEndpoint()).region(region)
                    .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
            DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().endpointOverride(localstack.getEndpoint())
                    .region(region).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
            SamTemplate template = SamTemplate.load(Path.of("template.yaml"));
            try (Ledger ledger = new Ledger(LocalDynamo.on(template, db, streams), Clock.systemUTC())) {
                String merchant = ledger.merchant(uniqueId("shop"), null);
                String member = ledger.member(uniqueId("m"));

                JsonNode earn = body(ledger.earn(member, merchant, 100_000));
                assertEquals(1000, earn.get("points").asLong(), "floor(100000 × 0.01)");
                APIGatewayProxyResponseEvent refused = ledger.use(member, merchant, 5000);
                assertEquals(409, refused.getStatusCode());
                assertEquals("FAILED", body(refused).at("/error/details/deal/status").asText());
                assertEquals(1000, ledger.balance(member));

                String dealId = earn.get("dealId").asText();
                assertEquals(200, ledger.cancel(dealId).getStatusCode());
                assertEquals(409, ledger.cancel(dealId).getStatusCode(), "a deal is cancelled once");
                assertEquals(0, ledger.balance(member));

                body(ledger.earn(member, merchant, 100_000)); // 1000 points again
                ExecutorService pool = Executors.newFixedThreadPool(8);
                List<Future<Integer>> uses = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    uses.add(pool.submit(() -> ledger.use(member, merchant, 100).getStatusCode()));
                }
                int succeeded = 0;
                for (Future<Integer> f : uses) {
                    succeeded += f.get() == 201 ? 1 : 0;
                }
                pool.shutdown();
                assertEquals(10, succeeded, "20 concurrent uses of 100 on a balance of 1000: exactly 10");
                assertEquals(0, ledger.balance(member));
                ledger.assertAuditClean();
            }
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
