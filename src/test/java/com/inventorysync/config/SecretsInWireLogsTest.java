package com.inventorysync.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.ExitCode;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.ProductProcess;
import com.inventorysync.support.ProductSettings;
import com.inventorysync.support.SyncFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every HTTP logger turned on at TRACE (Apache HttpClient's wire and headers, Spring's RestClient and HTTP converters,
 * Spring Security's OAuth 2 client, the JDK client's) while a real sync pulls from ShipEdge and sends to Omni and
 * Kibo, with Kibo tokens renewed along the way: the wire lines are printed, and no configured secret, no HTTP Basic
 * credential and no issued token shows anywhere in what the product printed.
 */
class SecretsInWireLogsTest {

    @TempDir
    Path dir;

    @Test
    void wireLogsOfEveryClientShowNoSecretNorToken() {
        SandboxSeed.Builder seed = SandboxSeed.builder()
                .kiboTokenTtlSeconds(1)
                .kiboJobDelayMillis(300)
                .location("WH-00", "Warehouse")
                .location("WH-01", "Warehouse")
                .kiboLocation("Main DC", "WH-00");
        for (String sku : List.of("SKU-A", "SKU-B", "SKU-C")) {
            seed.sku(sku, null, null).shipEdgeStock(sku, "WH-00", 7, 0).shipEdgeStock(sku, "WH-01", 9, 1);
        }
        try (SandboxServer sandbox = SandboxServer.start(seed.build())) {
            Map<String, String> properties = ProductSettings.create()
                    .database(PostgresTestDatabase.freshSchema(SecretsInWireLogsTest.class))
                    .omni(sandbox)
                    .kibo(sandbox)
                    .shipEdge(sandbox)
                    .output(dir.resolve("out"))
                    .with("inventory-sync.kibo.poll-interval", "50ms")
                    .with("logging.level.org.apache.hc", "TRACE")
                    .with("logging.level.org.springframework.web.client", "TRACE")
                    .with("logging.level.org.springframework.http", "TRACE")
                    .with("logging.level.org.springframework.security", "TRACE")
                    .with("logging.level.jdk.httpclient", "TRACE")
                    .with("logging.level.jdk.internal.httpclient", "TRACE")
                    .with("jdk.httpclient.HttpClient.log", "all")
                    .asMap();
            Path job = SyncFixtures.write(dir.resolve("wire.yml"), """
                    name: wire
                    source: {type: shipedge}
                    omni: {policy: ABSOLUTE, missing: KEEP}
                    kibo:
                      base-path: V5
                      locations: {WH-00: "Main DC"}
                    """);
            final String output;
            try (ProductProcess product = ProductProcess.start(dir, properties, "sync", "--job", job.toString())) {
                int exit = product.waitFor(Duration.ofMinutes(3));
                output = product.output();
                assertThat(exit).as(output).isEqualTo(ExitCode.COMPLETED);
            }

            assertThat(sandbox.omniOnHand("SKU-A", "WH-01"))
                    .as("the sync really sent to Omni")
                    .isEqualTo(9);
            assertThat(sandbox.kiboQuantity("Main DC", "SKU-B"))
                    .as("and to Kibo")
                    .isEqualTo(7);
            assertThat(sandbox.issuedTokens())
                    .as("Kibo tokens were issued and renewed")
                    .hasSizeGreaterThanOrEqualTo(2);

            Map<String, String> secrets = new LinkedHashMap<>();
            secrets.put("Omni subscription key", sandbox.credentials().omniSubscriptionKey());
            secrets.put("Kibo client secret", sandbox.credentials().kiboClientSecret());
            secrets.put("ShipEdge key", sandbox.credentials().shipEdgeKey());
            secrets.put(
                    "Kibo client credentials as HTTP Basic",
                    Base64.getEncoder()
                            .encodeToString((sandbox.credentials().kiboClientId() + ":"
                                            + sandbox.credentials().kiboClientSecret())
                                    .getBytes(StandardCharsets.UTF_8)));
            sandbox.issuedTokens()
                    .forEach(token -> secrets.put("access token " + token.substring(0, token.indexOf('-')), token));
            List<String> leaked = secrets.entrySet().stream()
                    .filter(e -> output.contains(e.getValue()))
                    .map(Map.Entry::getKey)
                    .toList();
            assertThat(leaked).as("secrets found in the printed output").isEmpty();

            assertThat(output)
                    .as("Apache HttpClient's wire log printed the Omni PUT")
                    .contains(">> \"PUT /omni/v1/inventory/onhand")
                    .contains("Ocp-Apim-Subscription-Key: ****");
            assertThat(output)
                    .as("Kibo's requests were logged with their bearer")
                    .contains("Authorization: Bearer ****");
            assertThat(output)
                    .as("ShipEdge's requests were logged with their key")
                    .contains("Key: ****");
        }
    }
}
