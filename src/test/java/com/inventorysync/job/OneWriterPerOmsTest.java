package com.inventorysync.job;

import static com.inventorysync.support.SyncFixtures.day1;
import static com.inventorysync.support.SyncFixtures.definition;
import static com.inventorysync.support.SyncFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.inventorysync.cli.SyncResultText;
import com.inventorysync.ops.JobRunLock;
import com.inventorysync.sandbox.Mutation;
import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.CommandLineRun;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.ProductProcess;
import com.inventorysync.support.ProductSettings;
import com.inventorysync.support.SyncFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two jobs over the same keys, run at once against one OMS, would each send their changes: the
 * second is refused while the first one writes, and jobs for another OMS still run beside it.
 */
@SpringBootTest
class OneWriterPerOmsTest {
    static SandboxServer sandbox = SandboxServer.start(SandboxOptions.of(SyncFixtures.seed()));
    static SandboxServer otherOms = SandboxServer.start(SandboxOptions.of(SyncFixtures.seed()));
    static String schema;

    @TempDir
    static Path out;

    @TempDir
    Path dir;

    @Autowired
    SyncLauncher launcher;

    @Autowired
    JobRunLock runLock;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        schema = PostgresTestDatabase.register(registry, OneWriterPerOmsTest.class);
        ProductSettings.create().omni(sandbox).output(out).fastRetries().registerWith(registry);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        otherOms.close();
    }

    @Test
    void aSecondJobForTheSameOmsIsRefusedWhileTheFirstSendsAndAJobForAnotherOmsIsNot() {
        Path east = definition(dir, "east", "DELTA", "KEEP", null);
        Path eastCopy = definition(dir, "east-copy", "DELTA", "KEEP", null);
        Path west = definition(dir, "west", "ABSOLUTE", "KEEP", null);
        Path day1 = snapshot(dir, "day1.csv", day1());
        // The last-synced counts are kept per vendor, not per OMS URL: other counts make every key a change for the
        // other OMS.
        Map<List<String>, Integer> westCounts = new LinkedHashMap<>();
        day1().forEach((key, count) -> westCounts.put(key, count + 100));
        Path westSnapshot = snapshot(dir, "west.csv", westCounts);
        // 24 PUTs, 4 at a time, 2 s each: the first run writes for about 12 s
        sandbox.faults().latency("omni.onhand.put", 2000, 0);
        Map<String, String> product = ProductSettings.create()
                .database(schema)
                .omni(sandbox)
                .output(out)
                .fastRetries()
                .with("inventory-sync.http.request-timeout", "10s")
                .asMap();
        try (ProductProcess first =
                ProductProcess.start(dir, product, "sync", "--job", east.toString(), "--snapshot", day1.toString())) {
            await().atMost(Duration.ofSeconds(90)).until(() -> runLock.isHeld("east") || !first.isAlive());
            assertThat(first.isAlive()).as(first.output()).isTrue();

            SyncLauncher.Result refused = launcher.sync(eastCopy, day1, false, false);
            String text = String.join("\n", SyncResultText.lines(refused));
            assertThat(refused.outcome()).as(text).isEqualTo(RunOutcome.BAD_INPUT);
            assertThat(refused.executionId()).isNull();
            assertThat(refused.report()).isInstanceOfSatisfying(SyncLauncher.Busy.class, busy -> {
                assertThat(busy.oms().vendor()).isEqualTo("Omni");
                assertThat(busy.holderJob()).isEqualTo("east");
            });
            assertThat(text)
                    .contains("the Omni OMS at " + sandbox.omniBaseUrl().replaceAll("/+$", ""))
                    .contains("job 'east'")
                    .doesNotContain(sandbox.credentials().omniSubscriptionKey());

            List<String> otherOmsSettings =
                    ProductSettings.create()
                            .database(schema)
                            .omni(otherOms)
                            .output(out)
                            .fastRetries()
                            .asMap()
                            .entrySet()
                            .stream()
                            .map(e -> "--" + e.getKey() + "=" + e.getValue())
                            .toList();
            CommandLineRun parallel = CommandLineRun.run(
                    otherOmsSettings, "sync", "--job", west.toString(), "--snapshot", westSnapshot.toString());
            assertThat(parallel.exit()).as(parallel.output()).isZero();
            assertThat(runLock.isHeld("east"))
                    .as("the first run was still sending while the other OMS was written")
                    .isTrue();

            assertThat(first.waitFor(Duration.ofSeconds(120)))
                    .as(first.output())
                    .isZero();
        }
        day1().forEach((key, count) -> assertThat(sandbox.omniOnHand(key.get(0), key.get(1)))
                .as(key.toString())
                .isEqualTo(count));
        westCounts.forEach((key, count) -> assertThat(otherOms.omniOnHand(key.get(0), key.get(1)))
                .as(key.toString())
                .isEqualTo(count));
        assertThat(sandbox.mutationLog())
                .as("only the first job's updates, each once")
                .hasSize(24)
                .extracting(Mutation::requestId)
                .doesNotHaveDuplicates();
        assertThat(jdbc.queryForObject(
                        "select count(*) from batch_job_execution_params where parameter_name = ?"
                                + " and parameter_value = 'east-copy'",
                        Integer.class,
                        SyncJobParameters.DEFINITION_NAME))
                .isZero();
    }
}
