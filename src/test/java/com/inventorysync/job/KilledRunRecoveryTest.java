package com.inventorysync.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.GeneratedSnapshots;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.ProductProcess;
import com.inventorysync.support.ProductSettings;
import com.inventorysync.support.SyncFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sync runs as a real process and is killed with SIGKILL mid-ingest, mid-plan and with
 * requests in flight; {@code restart --last-failed} then finds the execution the dead process
 * left STARTED, recovers it and completes the run, and the OMS ends holding exactly the snapshot.
 */
class KilledRunRecoveryTest {
    /** 100,000 keys, so that each step lasts long enough to be killed in; every 40th changes on day 2. */
    static final GeneratedSnapshots DATA = new GeneratedSnapshots(25_000, 4, 20);

    static SandboxServer sandbox = SandboxServer.start(SandboxOptions.of(DATA.seed(GeneratedSnapshots.DAY1_COUNT)));
    static String schema;
    static JdbcTemplate jdbc;

    @TempDir
    static Path dir;

    static Path day2;

    @BeforeAll
    static void migrate() {
        schema = PostgresTestDatabase.freshSchema(KilledRunRecoveryTest.class);
        jdbc = new JdbcTemplate(PostgresTestDatabase.migrate(schema));
        day2 = DATA.day2(dir.resolve("day2.csv"));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    /** Day 1 is already synced: the OMS and the last-synced positions both hold 50 everywhere. */
    @BeforeEach
    void day1AlreadySynced() {
        sandbox.reset();
        sandbox.faults().clear();
        SyncFixtures.clearSyncTables(jdbc);
        DATA.day1Synced(jdbc);
    }

    /** The policy matters from the send on: before it, a killed ingest or plan is recovered alike under either. */
    @ParameterizedTest(name = "{0} policy, killed during {1}")
    @CsvSource({"DELTA, ingest", "DELTA, plan", "DELTA, send", "ABSOLUTE, send"})
    void aRunKilledMidStepIsRecoveredAndCompletedByOneRestart(String policy, String step) {
        Path job = definition("killed-" + policy.toLowerCase() + "-" + step, policy);
        // Slow the sends down a little so that requests are in flight when the process dies.
        sandbox.faults().latency("omni.onhand.put", 4, 2);

        try (ProductProcess sync = ProductProcess.start(
                dir, properties(), "sync", "--job", job.toString(), "--snapshot", day2.toString())) {
            waitUntilRunning(sync, step);
            sync.kill();
        }
        assertThat(runningSteps())
                .as("the dead process left its execution STARTED")
                .isNotEmpty();
        if (step.equals("send")) {
            try (ProductProcess status = ProductProcess.start(dir, properties(), "status", "--last", "3")) {
                assertThat(status.waitFor(Duration.ofMinutes(2)))
                        .as(status.output())
                        .isZero();
                assertThat(status.output())
                        .contains("STARTED")
                        .contains("its process is gone: restart --last-failed recovers it");
            }
        }

        try (ProductProcess restart = ProductProcess.start(dir, properties(), "restart", "--last-failed")) {
            int exit = restart.waitFor(Duration.ofMinutes(3));
            assertThat(exit).as(restart.output()).isZero();
            assertThat(restart.output()).contains("restarting execution");
        }
        DATA.assertOmsHoldsDay2(sandbox);
        DATA.assertEachChangeAppliedOnce(sandbox);
        assertThat(jdbc.queryForObject("select count(*) from snapshot_row", Long.class))
                .as("a resumed ingest stages every row once")
                .isIn(0L, (long) DATA.skus() * DATA.locations());
        assertThat(jdbc.queryForObject("select count(*) from rejected_row", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from planned_update where state <> 'APPLIED'", Long.class))
                .isZero();
    }

    /**
     * No restart: the next snapshot is synced over a run that died with Deltas in flight. The new
     * run first reads those back (once settled), moves the baselines the OMS did apply, marks the
     * dead execution ABANDONED, and only then plans: the keys the dead run applied are not changed
     * twice.
     */
    @Test
    void aNewSnapshotSyncedAfterARunKilledMidSendIsExactWithoutARestart() throws Exception {
        Path job = definition("killed-then-next", "DELTA");
        sandbox.faults().latency("omni.onhand.put", 4, 2);
        try (ProductProcess sync = ProductProcess.start(
                dir, properties(), "sync", "--job", job.toString(), "--snapshot", day2.toString())) {
            waitUntilRunning(sync, "send");
            sync.kill();
        }
        assertThat(jdbc.queryForObject("select count(*) from planned_update where state = 'IN_FLIGHT'", Long.class))
                .as("the dead process left requests in flight")
                .isPositive();
        long killed = jdbc.queryForObject("select max(job_execution_id) from batch_job_execution", Long.class);

        // The next export holds the same counts (a later night with nothing new), lines in another order: a new
        // snapshot.
        List<String> lines = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(day2));
        java.util.Collections.reverse(lines.subList(1, lines.size()));
        Path next = java.nio.file.Files.write(dir.resolve("day2-next.csv"), lines);
        try (ProductProcess sync = ProductProcess.start(
                dir, properties(), "sync", "--job", job.toString(), "--snapshot", next.toString())) {
            int exit = sync.waitFor(Duration.ofMinutes(3));
            assertThat(exit).as(sync.output()).isZero();
            assertThat(sync.output()).contains("execution " + killed, "ABANDONED");
        }
        DATA.assertOmsHoldsDay2(sandbox);
        DATA.assertEachChangeAppliedOnce(sandbox);
        assertThat(jdbc.queryForObject(
                        "select status from batch_job_execution where job_execution_id = ?", String.class, killed))
                .isEqualTo("ABANDONED");
        assertThat(jdbc.queryForObject(
                        "select count(*) from planned_update where state in ('IN_FLIGHT', 'UNKNOWN', 'PENDING')",
                        Long.class))
                .as("nothing of either run is left open")
                .isZero();
    }

    @Test
    void aRunAskedToEndWithSigtermStopsCleanlyAndOneRestartCompletesIt() {
        Path job = definition("terminated", "DELTA");
        sandbox.faults().latency("omni.onhand.put", 4, 2);
        try (ProductProcess sync = ProductProcess.start(
                dir, properties(), "sync", "--job", job.toString(), "--snapshot", day2.toString())) {
            waitUntilRunning(sync, "send");
            sync.terminate();
            sync.waitFor(Duration.ofMinutes(2));
            assertThat(sync.output()).contains("stopping execution");
        }
        // Stopped at a chunk boundary: nothing left running or in flight, so the restart needs no read-back.
        assertThat(runningSteps()).isEmpty();
        assertThat(jdbc.queryForList("select status from batch_job_execution", String.class))
                .contains("STOPPED");
        assertThat(jdbc.queryForObject(
                        "select count(*) from planned_update where state in ('IN_FLIGHT', 'UNKNOWN')", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from planned_update where state = 'PENDING'", Long.class))
                .isPositive();

        try (ProductProcess restart = ProductProcess.start(dir, properties(), "restart", "--last-failed")) {
            int exit = restart.waitFor(Duration.ofMinutes(3));
            assertThat(exit).as(restart.output()).isZero();
        }
        DATA.assertOmsHoldsDay2(sandbox);
        DATA.assertEachChangeAppliedOnce(sandbox);
        assertThat(jdbc.queryForObject("select count(*) from planned_update where state <> 'APPLIED'", Long.class))
                .isZero();
    }

    @Test
    void aSecondSyncOrRestartOfTheSameJobIsRefusedWhileTheFirstRuns() {
        Path job = definition("one-at-a-time", "DELTA");
        sandbox.faults()
                .latency("omni.onhand.put", 200, 0); // slow enough to outlast three other processes; cleared below
        try (ProductProcess first = ProductProcess.start(
                dir, properties(), "sync", "--job", job.toString(), "--snapshot", day2.toString())) {
            waitUntilRunning(first, "send");

            try (ProductProcess second = ProductProcess.start(
                    dir, properties(), "sync", "--job", job.toString(), "--snapshot", day2.toString(), "--force")) {
                assertThat(second.waitFor(Duration.ofMinutes(2)))
                        .as(second.output())
                        .isEqualTo(2);
                assertThat(second.output()).contains("job 'one-at-a-time' is being run by another process");
            }
            try (ProductProcess restart = ProductProcess.start(dir, properties(), "restart", "--last-failed")) {
                assertThat(restart.waitFor(Duration.ofMinutes(2)))
                        .as(restart.output())
                        .isEqualTo(2);
                assertThat(restart.output()).contains("is being run by another process");
            }
            try (ProductProcess status = ProductProcess.start(dir, properties(), "status")) {
                assertThat(status.waitFor(Duration.ofMinutes(2)))
                        .as(status.output())
                        .isZero();
                assertThat(status.output()).contains("no (running now)");
            }
            assertThat(first.isAlive()).as("the live run was not touched").isTrue();
            sandbox.faults().clear();
            assertThat(first.waitFor(Duration.ofMinutes(3))).as(first.output()).isZero();
        }
        DATA.assertOmsHoldsDay2(sandbox);
    }

    private Path definition(String name, String policy) {
        return SyncFixtures.write(dir.resolve(name + ".yml"), """
                name: %s
                omni: {policy: %s, missing: KEEP}
                guard: {max-changed-share: 0.5, max-zeroed-share: 0.2}
                chunk-size: 200
                concurrency: 8
                """.formatted(name, policy));
    }

    private Map<String, String> properties() {
        return ProductSettings.create()
                .database(schema)
                .omni(sandbox)
                .output(dir.resolve("out"))
                .asMap();
    }

    /** Waits until the process is inside {@code step}: for ingest and send, partway through it. */
    private void waitUntilRunning(ProductProcess process, String step) {
        int mutationsBefore = sandbox.mutationLog().size();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(5)).until(() -> {
            assertThat(process.isAlive())
                    .as("the run ended before it could be killed:\n" + process.output())
                    .isTrue();
            if (!runningSteps().contains(step)) {
                return false;
            }
            return switch (step) {
                case "ingest" -> jdbc.queryForObject("select count(*) from snapshot_row", Long.class) > 0;
                case "send" -> sandbox.mutationLog().size() - mutationsBefore >= 300;
                default -> true;
            };
        });
    }

    private List<String> runningSteps() {
        return jdbc.queryForList(
                "select step_name from batch_step_execution where status in ('STARTED', 'STARTING')", String.class);
    }
}
