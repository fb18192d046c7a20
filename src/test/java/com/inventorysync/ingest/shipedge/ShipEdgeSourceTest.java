package com.inventorysync.ingest.shipedge;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.SyncResultText;
import com.inventorysync.http.AdaptiveLimiter;
import com.inventorysync.job.RunOutcome;
import com.inventorysync.job.SyncLauncher;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.support.SyncFixtures;
import com.inventorysync.support.SyncTestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A job whose source is ShipEdge: the stock is pulled over HTTP from the sandbox, page by page, into
 * a CSV snapshot kept under the output folder, then synced to Omni like any snapshot.
 */
@SpringBootTest
class ShipEdgeSourceTest {
    /** 24 stock items (8 SKUs x 3 distribution centers, which are Omni's locations), more than one page at 5 per page. */
    @RegisterExtension
    static final SyncTestEnvironment env = SyncTestEnvironment.sandbox(withStock(SyncFixtures.seed()))
            .omni()
            .shipEdge()
            .fastRetries();

    @TempDir
    Path dir;

    @Autowired
    SyncLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobRepository jobRepository;

    @Autowired
    ShipEdgeClient shipEdge;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        env.registerWith(registry);
    }

    static SandboxSeed withStock(SandboxSeed seed) {
        List<SandboxSeed.ShipEdgeStock> stock = SyncFixtures.day1().entrySet().stream()
                .map(e -> new SandboxSeed.ShipEdgeStock(
                        e.getKey().get(0), e.getKey().get(1), e.getValue(), 1))
                .toList();
        return new SandboxSeed(
                seed.credentials(),
                seed.acceptUnknownSkus(),
                seed.kiboTokenTtlSeconds(),
                seed.newStoreTokenTtlSeconds(),
                seed.kiboJobDelayMillis(),
                seed.locations(),
                seed.catalog(),
                seed.onHand(),
                seed.pools(),
                seed.drift(),
                seed.kiboLocations(),
                stock,
                seed.newStore(),
                seed.generate());
    }

    static SandboxSeed withShipEdgeAccount(SandboxSeed seed, String accountId) {
        SandboxSeed.Credentials c = seed.credentials();
        return new SandboxSeed(
                new SandboxSeed.Credentials(
                        c.omniSubscriptionKey(),
                        c.kiboClientId(),
                        c.kiboClientSecret(),
                        accountId,
                        c.shipEdgeKey(),
                        c.newStoreClientId(),
                        c.newStoreClientSecret()),
                seed.acceptUnknownSkus(),
                seed.kiboTokenTtlSeconds(),
                seed.newStoreTokenTtlSeconds(),
                seed.kiboJobDelayMillis(),
                seed.locations(),
                seed.catalog(),
                seed.onHand(),
                seed.pools(),
                seed.drift(),
                seed.kiboLocations(),
                seed.shipEdgeStock(),
                seed.newStore(),
                seed.generate());
    }

    @Test
    void theStockIsPulledIntoASnapshotFileAndSyncedThenAnUnchangedStockIsNothingToDo() throws Exception {
        Path job = job("shipedge-nightly");
        SyncLauncher.Result first = launcher.sync(job, null, false, false, null);
        assertThat(first.outcome())
                .as(String.join("\n", SyncResultText.lines(first)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(SyncResultText.lines(first).get(0))
                .startsWith("pulled 24 stock records from ShipEdge (1 page) into ");
        SyncFixtures.day1()
                .forEach((key, count) -> assertThat(env.sandbox().omniOnHand(key.get(0), key.get(1)))
                        .isEqualTo(count));
        List<Path> pulled = pulledFiles("shipedge-nightly");
        assertThat(pulled).hasSize(1);
        assertThat(Files.readAllLines(pulled.get(0))).first().isEqualTo("sku,location,on_hand");
        assertThat(Files.readAllLines(pulled.get(0))).hasSize(25).contains("SKU-B,WH-01,21");

        SyncLauncher.Result again = launcher.sync(job, null, false, false, null);
        assertThat(again.outcome())
                .as(String.join("\n", SyncResultText.lines(again)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(SyncResultText.lines(again))
                .anyMatch(l -> l.startsWith("ShipEdge's stock is unchanged since execution " + first.executionId()));
        assertThat(again.report())
                .isEqualTo(new SyncLauncher.StockUnchanged(
                        first.executionId(),
                        jobRepository.getJobExecution(first.executionId()).getEndTime()));
        assertThat(pulledFiles("shipedge-nightly"))
                .as("the unchanged pull is not kept")
                .hasSize(1);

        int mutationsBefore = env.sandbox().mutationLog().size();
        env.sandbox().setShipEdgeStock("SKU-B", "WH-01", 35);
        env.sandbox().setShipEdgeStock("SKU-H", "STORE-01", 0);
        SyncLauncher.Result changed = launcher.sync(job, null, false, false, null);
        assertThat(changed.outcome())
                .as(String.join("\n", SyncResultText.lines(changed)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(env.sandbox()
                        .mutationLog()
                        .subList(mutationsBefore, env.sandbox().mutationLog().size()))
                .hasSize(2);
        assertThat(env.sandbox().omniOnHand("SKU-B", "WH-01")).isEqualTo(35);
        assertThat(env.sandbox().omniOnHand("SKU-H", "STORE-01")).isZero();
        assertThat(pulledFiles("shipedge-nightly")).hasSize(2);
    }

    @Test
    void aBadStockItemIsRejectedWithTheLineOfThePulledFileWhileTheOthersSync() throws Exception {
        env.sandbox().setShipEdgeStock("SKU-C", "WH-00", -4);
        env.sandbox().setShipEdgeStock("SKU-Z", "NOWHERE", 7);
        SyncLauncher.Result result = launcher.sync(job("shipedge-bad"), null, false, false, null);
        assertThat(result.outcome())
                .as(String.join("\n", SyncResultText.lines(result)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(String.join("\n", SyncResultText.lines(result))).contains("rows: 25 read = 23 staged + 2 rejected");
        String rejects = Files.readString(env.output()
                .resolve("shipedge-bad")
                .resolve(result.executionId().toString())
                .resolve("rejects.csv"));
        assertThat(rejects)
                .contains("SKU-C,WH-00,-4")
                .contains("SKU-Z,NOWHERE,7")
                .contains("stock-");
        assertThat(env.sandbox().omniOnHand("SKU-C", "WH-00")).isNull();
        assertThat(env.sandbox().omniOnHand("SKU-D", "WH-00")).isEqualTo(40);
    }

    @Test
    void refusedCredentialsAreBadConfigurationAndAStormOf503IsRetried() {
        // Seeded so that the first stock request gets a 503 and its retry an answer.
        env.sandbox().faults().randomSeed(4).unavailable("shipedge.stock.get", 0.75);
        SyncLauncher.Result stormy = launcher.sync(job("shipedge-storm"), null, false, false, null);
        assertThat(stormy.outcome())
                .as(String.join("\n", SyncResultText.lines(stormy)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(env.sandbox().requestLog())
                .anyMatch(r -> r.endpoint().equals("shipedge.stock.get") && r.status() == 503);

        SandboxSeed seed = env.sandbox().seed();
        env.sandbox().reload(withShipEdgeAccount(seed, "other-account"));
        SyncLauncher.Result refused = launcher.sync(job("shipedge-refused"), null, false, false, null);
        assertThat(refused.outcome()).isEqualTo(RunOutcome.BAD_INPUT);
        assertThat(String.join("\n", SyncResultText.lines(refused)))
                .contains("ShipEdge refused the stock request")
                .contains("401")
                .contains("Invalid credentials")
                .doesNotContain(env.sandbox().credentials().shipEdgeKey());
        env.sandbox().reload(seed);
    }

    @Test
    void aCsvJobStillNeedsItsSnapshot() {
        Path job = SyncFixtures.definition(dir, "csv-job", "ABSOLUTE", "KEEP", null);
        SyncLauncher.Result result = launcher.sync(job, null, false, false, null);
        assertThat(result.outcome()).isEqualTo(RunOutcome.BAD_INPUT);
        assertThat(SyncResultText.lines(result))
                .containsExactly(
                        "sync: --snapshot <csv> is required: job 'csv-job' reads CSV snapshots (source.type csv)");
    }

    @Test
    void aRateLimitPacesThePagesUnderTheVendorsQuota() {
        env.sandbox().faults().rateLimit("shipedge", 2);
        shipEdge.limiter().configure(new AdaptiveLimiter.Settings(1, 1.5, true));
        try {
            ShipEdgeStockExport.Pulled pulled = new ShipEdgeStockExport(shipEdge, 5).pull(dir.resolve("stock.csv"));

            assertThat(pulled.pages()).isEqualTo(5);
            assertThat(env.sandbox().requestLog())
                    .as("1.5 pages a second never meet a quota of 2")
                    .noneMatch(r -> r.status() == 429);
        } finally {
            shipEdge.limiter().configure(AdaptiveLimiter.Settings.defaults());
        }
    }

    private Path job(String name) {
        return SyncFixtures.write(dir.resolve(name + ".yml"), """
                name: %s
                source: {type: shipedge}
                omni: {policy: ABSOLUTE, missing: KEEP}
                chunk-size: 5
                concurrency: 4
                """.formatted(name));
    }

    private static List<Path> pulledFiles(String jobName) throws Exception {
        try (Stream<Path> files = Files.list(env.output().resolve(jobName).resolve("shipedge"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".csv"))
                    .sorted()
                    .toList();
        }
    }
}
