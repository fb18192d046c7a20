package com.inventorysync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.SyncResultText;
import com.inventorysync.job.RunOutcome;
import com.inventorysync.job.SyncLauncher;
import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.GeneratedSnapshots;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.ProductSettings;
import com.inventorysync.support.SyncFixtures;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the settle time costs. The same Delta run (20,000 updates, the sandbox answering after
 * 10 ms, concurrency 16, settle time 5 s) side by side: every answer arrives, then 1% of the
 * connections dropped after the update was applied (outcomes unknown until they settle). A healthy
 * run never waits; a run with unknown outcomes waits once, at its end, for the last of them.
 * Run: {@code mvn -Pbench verify -Dtest=SettleCostBenchmark}.
 */
@Tag("benchmark")
@SpringBootTest
class SettleCostBenchmark {
    static final GeneratedSnapshots DATA = new GeneratedSnapshots(5_000, 4, 1);
    static final String SETTLE = "5s";
    static SandboxServer sandbox =
            SandboxServer.start(SandboxOptions.of(DATA.seed(null)).withRandomSeed(11));

    @TempDir
    static Path out;

    @TempDir
    Path dir;

    @Autowired
    SyncLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, SettleCostBenchmark.class);
        ProductSettings.create()
                .omni(sandbox)
                .output(out)
                .fastRetries()
                .with("inventory-sync.http.settle-time", SETTLE)
                .registerWith(registry);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void unknownOutcomesCostOneSettleTimeAndAHealthyRunNone() {
        double healthy = deltaRun("healthy", 0.0);
        double unknown = deltaRun("unknown", 0.01);
        long settled = jdbc.queryForObject(
                "select count(*) from planned_update where vendor_message like '%read back: applied%'", Long.class);
        System.out.printf(
                Locale.ROOT,
                "%nsettle cost (20,000 Deltas, 10 ms per PUT, concurrency 16, settle time %s):%n"
                        + "  every answer arrives:           send %.2f s%n"
                        + "  1%% dropped after the apply:    send %.2f s (%d outcomes settled by reading back)%n"
                        + "  ratio %.2fx; difference %.2f s%n",
                SETTLE,
                healthy,
                unknown,
                settled,
                unknown / healthy,
                unknown - healthy);
        assertThat(settled).isPositive();
    }

    /** Day 1 sets the baselines; day 2 changes every key, sent as Deltas; returns the send's seconds. */
    private double deltaRun(String name, double dropShare) {
        sandbox.reset();
        sandbox.faults().clear();
        SyncFixtures.clearSyncTables(jdbc);
        Path job = SyncFixtures.write(dir.resolve(name + ".yml"), "name: " + name + "\n" + """
                omni: {policy: DELTA, missing: KEEP}
                guard: {max-changed-share: 1.0, max-zeroed-share: 1.0}
                chunk-size: 500
                concurrency: 16
                """);
        assertThat(launcher.sync(job, DATA.day1(dir.resolve(name + "-day1.csv")), false, false)
                        .outcome())
                .isEqualTo(RunOutcome.COMPLETED);
        sandbox.faults().latency("omni.onhand.put", 10, 0);
        if (dropShare > 0) {
            sandbox.faults().dropAfterApply("omni.onhand.put", dropShare);
        }
        SyncLauncher.Result day2 = launcher.sync(job, DATA.day2(dir.resolve(name + "-day2.csv")), false, false);
        assertThat(day2.outcome())
                .as(String.join("\n", SyncResultText.lines(day2)))
                .isEqualTo(RunOutcome.COMPLETED);
        Double seconds = jdbc.queryForObject("""
                select extract(epoch from (s.end_time - s.start_time)) from batch_step_execution s
                where s.step_name = 'send' and s.job_execution_id = ?""", Double.class, day2.executionId());
        return seconds;
    }
}
