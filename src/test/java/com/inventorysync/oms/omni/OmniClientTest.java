package com.inventorysync.oms.omni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.inventorysync.http.CredentialsRefusedException;
import com.inventorysync.http.HttpRetry;
import com.inventorysync.sandbox.RequestRecord;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.support.SyncTestEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Omni client against the sandbox over HTTP: paging, request limits, headers, outcomes. */
class OmniClientTest {
    static final SandboxSeed.Generate GENERATED = new SandboxSeed.Generate(150, 60, null, null, 7);

    @RegisterExtension
    static final SyncTestEnvironment env = SyncTestEnvironment.sandbox(seed());

    OmniClient client = client(env.sandbox().credentials().omniSubscriptionKey());

    static SandboxSeed seed() {
        SandboxSeed.Builder b = SandboxSeed.builder()
                .acceptUnknownSkus(true)
                .generate(GENERATED)
                .location(new SandboxSeed.Location("GONE", "closed", "Store", false))
                .onHand(GENERATED.sku(0), GENERATED.location(0), 10, 3, 2);
        for (int g = 0; g < 5; g++) {
            b.pool("G" + g, "P" + g, 1, GENERATED.location(0), GENERATED.location(1));
        }
        return b.build();
    }

    static OmniClient client(String key) {
        return new OmniClient(
                new OmniClient.Settings(env.sandbox().omniBaseUrl(), key, Duration.ofSeconds(2), Duration.ofSeconds(5)),
                new HttpRetry(new HttpRetry.Settings(
                        4, Duration.ofMillis(5), 2, Duration.ofMillis(40), Duration.ofSeconds(5))));
    }

    @Test
    void readsEveryLocationAcrossPagesAndKnowsWhichAreActive() {
        List<InventoryLocation> all = client.locations();
        assertThat(all).hasSize(61);
        assertThat(client.activeLocations())
                .hasSize(60)
                .noneMatch(l -> l.internalName().equals("GONE"));
        LocationPage page = client.locationsPage(null, 2, 25);
        assertThat(page.items()).hasSize(25);
        assertThat(page.totalCount()).isEqualTo(61);
    }

    @Test
    void onHandReadsAreSplitWithinFiftyLocationsAndAHundredSkusAndPagedToTheEnd() {
        List<String> locations =
                IntStream.range(0, 60).mapToObj(GENERATED::location).toList();
        List<String> skus = IntStream.range(0, 150).mapToObj(GENERATED::sku).toList();
        List<Count> counts = client.onHand(locations, skus);
        assertThat(counts)
                .hasSize(60 * 150)
                .allSatisfy(c -> assertThat(c.quantity()).isIn(7, 10));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> env.sandbox().requestLog().stream()
                                .filter(r -> r.path().endsWith("/v1/inventory/onhand"))
                                .count()
                        >= 10);
        List<RequestRecord> reads = env.sandbox().requestLog().stream()
                .filter(r -> r.path().endsWith("/v1/inventory/onhand"))
                .toList();
        assertThat(reads).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(occurrences(r.query(), "locationInternalNames=")).isBetween(1, 50);
            assertThat(occurrences(r.query(), "skus=")).isBetween(1, 100);
        });
        // 2 location batches x 2 SKU batches, each of up to 5,000 counts read in pages of 1,000
        assertThat(reads.stream()
                        .filter(r ->
                                r.query().contains("pageNumber=1&") || r.query().endsWith("pageNumber=1")))
                .hasSize(4);
        assertThat(reads.size()).isGreaterThan(4);
    }

    @Test
    void onHandOfKeysReturnsExactlyTheKeysAsked() {
        Map<SkuAtLocation, Integer> counts = client.onHandOf(List.of(
                new SkuAtLocation(GENERATED.sku(0), GENERATED.location(0)),
                new SkuAtLocation(GENERATED.sku(5), GENERATED.location(3))));
        assertThat(counts)
                .containsOnlyKeys(
                        new SkuAtLocation(GENERATED.sku(0), GENERATED.location(0)),
                        new SkuAtLocation(GENERATED.sku(5), GENERATED.location(3)));
        assertThat(counts.get(new SkuAtLocation(GENERATED.sku(0), GENERATED.location(0))))
                .isEqualTo(10);
    }

    @Test
    void availableIsOnHandLessReservedAndAllocated() {
        List<Count> available = client.available(List.of(GENERATED.location(0)), List.of(GENERATED.sku(0)));
        assertThat(available).singleElement().extracting(Count::quantity).isEqualTo(5);
    }

    @Test
    void virtualInventoryIsReadInBatchesOfFourGroupsAndSevenSkus() {
        List<String> groups = List.of("G0", "G1", "G2", "G3", "G4");
        List<String> skus = IntStream.range(0, 8).mapToObj(GENERATED::sku).toList();
        List<VirtualCount> counts = client.virtualInventory(groups, skus);
        assertThat(counts).hasSize(5 * 8);
        // the sandbox logs a request just after answering it
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(env.sandbox().requestLog().stream()
                                .filter(r -> r.path().contains("/v1/virtualinventory"))
                                .toList())
                        .hasSize(4)
                        .allSatisfy(r -> {
                            assertThat(occurrences(r.query(), "inventoryPoolGroupNames="))
                                    .isBetween(1, 4);
                            assertThat(occurrences(r.query(), "skus=")).isBetween(1, 7);
                        }));
    }

    @Test
    void putsCarryTheRequestIdAndReportEachOutcome() {
        PutOutcome applied = client.putOnHand(
                new OnHandUpdate(GENERATED.sku(1), GENERATED.location(1), QuantityType.Delta, 3), "pu-1");
        assertThat(applied.kind()).isEqualTo(PutOutcome.Kind.APPLIED);
        assertThat(env.sandbox().omniOnHand(GENERATED.sku(1), GENERATED.location(1)))
                .isEqualTo(10);
        assertThat(env.sandbox().mutationLog())
                .singleElement()
                .extracting(m -> m.requestId())
                .isEqualTo("pu-1");

        PutOutcome rejected =
                client.putOnHand(new OnHandUpdate(GENERATED.sku(1), "NOWHERE", QuantityType.Absolute, 3), "pu-2");
        assertThat(rejected.kind()).isEqualTo(PutOutcome.Kind.REJECTED);
        assertThat(rejected.status()).isEqualTo(404);
        assertThat(rejected.vendorMessage()).contains("NOWHERE");
        assertThat(rejected.attempts()).isEqualTo(1);

        env.sandbox().faults().unavailable("omni.onhand.put", 1.0);
        PutOutcome notApplied = client.putOnHand(
                new OnHandUpdate(GENERATED.sku(1), GENERATED.location(1), QuantityType.Delta, 3), "pu-3");
        assertThat(notApplied.kind()).isEqualTo(PutOutcome.Kind.NOT_APPLIED);
        assertThat(notApplied.attempts()).isEqualTo(4);

        env.sandbox().faults().clear().dropAfterApply("omni.onhand.put", 1.0);
        PutOutcome unknown = client.putOnHand(
                new OnHandUpdate(GENERATED.sku(1), GENERATED.location(1), QuantityType.Delta, 1), "pu-4");
        assertThat(unknown.kind()).isEqualTo(PutOutcome.Kind.UNKNOWN);
        assertThat(unknown.attempts())
                .as("a Delta of unknown outcome is never re-sent")
                .isEqualTo(1);
        assertThat(env.sandbox().omniOnHand(GENERATED.sku(1), GENERATED.location(1)))
                .isEqualTo(11);
    }

    @Test
    void aWrongSubscriptionKeyIsRefusedWithoutRetrying() {
        assertThatThrownBy(() -> client("wrong").locations())
                .isInstanceOf(CredentialsRefusedException.class)
                .hasMessageContaining("refused the credentials (401")
                .hasMessageContaining("inventory-sync.omni.subscription-key")
                .hasMessageNotContaining("wrong");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(env.sandbox().requestLog())
                        .singleElement()
                        .satisfies(r -> assertThat(r.status()).isEqualTo(401)));
    }

    private static int occurrences(String text, String part) {
        if (text == null) {
            return 0;
        }
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
