package com.inventorysync.ingest.shipedge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.inventorysync.http.HttpRetry;
import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.sandbox.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pull itself, over HTTP against the sandbox: every page, in order, values as sent, quoting where CSV needs it. */
class ShipEdgeStockExportTest {
    @TempDir
    Path dir;

    @Test
    void everyPageIsWrittenInOrderWithTheDistributionCenterAsLocation() throws Exception {
        SandboxSeed.Builder seed = SandboxSeed.builder();
        for (int i = 0; i < 12; i++) {
            seed.shipEdgeStock("SKU-" + (10 + i), i % 2 == 0 ? "DC-EAST" : "DC-WEST", i * 3, 1);
        }
        seed.shipEdgeStock("SKU,\"QUOTED\"", "DC-EAST", 5, 0);
        try (SandboxServer sandbox = SandboxServer.start(SandboxOptions.of(seed.build()))) {
            ShipEdgeClient client = new ShipEdgeClient(
                    new ShipEdgeClient.Settings(
                            sandbox.shipEdgeBaseUrl(),
                            sandbox.credentials().shipEdgeAccountId(),
                            sandbox.credentials().shipEdgeKey(),
                            null,
                            null),
                    new HttpRetry(new HttpRetry.Settings(
                            3, Duration.ofMillis(5), 2, Duration.ofMillis(20), Duration.ofSeconds(1))));
            ShipEdgeStockExport.Pulled pulled =
                    new ShipEdgeStockExport(client, 5).pull(dir.resolve("out").resolve("stock.csv"));

            assertThat(pulled.items()).isEqualTo(13);
            assertThat(pulled.pages()).isEqualTo(3);
            List<String> lines = Files.readAllLines(pulled.file());
            assertThat(lines).hasSize(14);
            assertThat(lines.get(0)).isEqualTo("sku,location,on_hand");
            assertThat(lines.get(1)).isEqualTo("SKU,\"\"QUOTED\"\"".replace("SKU,", "\"SKU,") + "\",DC-EAST,5");
            assertThat(lines.get(2)).isEqualTo("SKU-10,DC-EAST,0");
            assertThat(lines.get(13)).isEqualTo("SKU-21,DC-WEST,33");
            assertThat(sandbox.requestLog())
                    .filteredOn(r -> r.endpoint().equals("shipedge.stock.get"))
                    .hasSize(3);
            assertThat(dir.resolve("out").resolve("stock.csv.partial")).doesNotExist();
        }
    }

    @Test
    void aStockThatChangesWhileItIsReadFailsThePullAndLeavesNoFile() {
        SandboxSeed.Builder seed = SandboxSeed.builder();
        for (int i = 0; i < 12; i++) {
            seed.shipEdgeStock("SKU-" + (10 + i), "DC-EAST", i, 0);
        }
        try (SandboxServer sandbox = SandboxServer.start(SandboxOptions.of(seed.build()))) {
            ShipEdgeClient.Settings settings = new ShipEdgeClient.Settings(
                    sandbox.shipEdgeBaseUrl(),
                    sandbox.credentials().shipEdgeAccountId(),
                    sandbox.credentials().shipEdgeKey(),
                    null,
                    null);
            // A receipt lands at the warehouse between the first and the second page.
            ShipEdgeClient client = new ShipEdgeClient(settings, new HttpRetry(HttpRetry.Settings.defaults())) {
                @Override
                public StockPage stockPage(int page, int perPage) {
                    if (page == 2) {
                        sandbox.setShipEdgeStock("SKU-00", "DC-EAST", 9);
                    }
                    return super.stockPage(page, perPage);
                }
            };
            Path file = dir.resolve("stock.csv");
            assertThatThrownBy(() -> new ShipEdgeStockExport(client, 5).pull(file))
                    .hasMessage(
                            "ShipEdge's stock changed while it was read (12 records at first, page 2 reports 13 records); "
                                    + "nothing was synced. Pull again.");
            assertThat(file).doesNotExist();
            assertThat(dir.resolve("stock.csv.partial")).doesNotExist();
        }
    }
}
