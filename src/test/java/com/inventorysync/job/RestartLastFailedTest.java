package com.inventorysync.job;

import static com.inventorysync.support.SyncFixtures.day1;
import static com.inventorysync.support.SyncFixtures.day2;
import static com.inventorysync.support.SyncFixtures.definition;
import static com.inventorysync.support.SyncFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.ExitCode;
import com.inventorysync.cli.SyncResultText;
import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.CommandLineRun;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.ProductSettings;
import com.inventorysync.support.SyncFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code restart --last-failed} through the command line: it continues the failed run an operator
 * means, never a dry run or a run that failed on bad input, and asks which one when several jobs
 * have a failed run. Each test leaves nothing restartable behind.
 */
@SpringBootTest
class RestartLastFailedTest {
    static SandboxServer sandbox = SandboxServer.start(SandboxOptions.of(SyncFixtures.seed()));
    static String schema;

    @TempDir
    static Path out;

    @TempDir
    Path dir;

    @Autowired
    SyncLauncher launcher;

    @Autowired
    JobRepository jobRepository;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        schema = PostgresTestDatabase.register(registry, RestartLastFailedTest.class);
        ProductSettings.create().omni(sandbox).output(out).fastRetries().registerWith(registry);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void cleanSlate() {
        sandbox.reset();
        SyncFixtures.clearSyncTables(jdbc);
    }

    private static CommandLineRun command(String... words) {
        List<String> settings =
                ProductSettings.create()
                        .database(schema)
                        .omni(sandbox)
                        .output(out)
                        .fastRetries()
                        .asMap()
                        .entrySet()
                        .stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toList();
        return CommandLineRun.run(settings, words);
    }

    private SyncLauncher.Result failedByAnOutage(Path job, Path snapshot) {
        return failedByAnOutage(job, snapshot, "omni.onhand.put");
    }

    private SyncLauncher.Result failedByAnOutage(Path job, Path snapshot, String endpoint) {
        sandbox.faults().unavailable(endpoint, 1.0);
        try {
            SyncLauncher.Result failed = launcher.sync(job, snapshot, false, false);
            assertThat(failed.outcome())
                    .as(String.join("\n", SyncResultText.lines(failed)))
                    .isEqualTo(RunOutcome.FAILED);
            return failed;
        } finally {
            sandbox.faults().clear();
        }
    }

    private BatchStatus statusOf(SyncLauncher.Result result) {
        return jobRepository.getJobExecution(result.executionId()).getStatus();
    }

    @Test
    void aLaterDryRunAndALaterBadInputFailureNeitherGetRestartedNorBlockTheFailedRun() {
        Path alpha = definition(dir, "alpha", "ABSOLUTE", "KEEP", null);
        SyncLauncher.Result failed = failedByAnOutage(alpha, snapshot(dir, "day1.csv", day1()));

        Path strict = SyncFixtures.write(
                dir.resolve("strict.yml"), "name: strict\nomni: {policy: ABSOLUTE}\nskip-limit: 1\n");
        Path badRows = SyncFixtures.write(
                dir.resolve("bad.csv"), "sku,location,on_hand\nSKU-A,WH-00,x\nSKU-B,WH-00,y\nSKU-C,WH-00,1\n");
        SyncLauncher.Result badInput = launcher.sync(strict, badRows, false, false);
        assertThat(badInput.outcome()).isEqualTo(RunOutcome.BAD_INPUT);
        assertThat(statusOf(badInput)).isEqualTo(BatchStatus.ABANDONED);

        SyncLauncher.Result dryRun = launcher.sync(alpha, snapshot(dir, "day2.csv", day2()), true, false);
        assertThat(dryRun.outcome())
                .as(String.join("\n", SyncResultText.lines(dryRun)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(dryRun.exitStatus()).isEqualTo(SyncExitCodes.DRY_RUN);
        assertThat(statusOf(dryRun)).isEqualTo(BatchStatus.ABANDONED);

        CommandLineRun restart = command("restart", "--last-failed");
        assertThat(restart.exit()).as(restart.output()).isZero();
        assertThat(restart.output())
                .contains("restarting execution " + failed.executionId() + " of job 'alpha'")
                .doesNotContain("a later run");
        day1().forEach((key, count) -> assertThat(sandbox.omniOnHand(key.get(0), key.get(1)))
                .as(key.toString())
                .isEqualTo(count));

        CommandLineRun nothingLeft = command("restart", "--last-failed");
        assertThat(nothingLeft.exit()).as(nothingLeft.output()).isZero();
        assertThat(nothingLeft.output()).contains("no failed sync execution to restart");
    }

    @Test
    void withSeveralJobsFailedItListsThemAndRestartsTheOneNamedByJob() {
        Path gamma = definition(dir, "gamma", "ABSOLUTE", "KEEP", null);
        Path delta = definition(dir, "delta", "ABSOLUTE", "KEEP", null);
        SyncLauncher.Result gammaFailed = failedByAnOutage(gamma, snapshot(dir, "day1.csv", day1()));
        // Fails before it plans: a run of the same OMS that reaches its plan supersedes gamma's (docs/delivery.md).
        SyncLauncher.Result deltaFailed =
                failedByAnOutage(delta, snapshot(dir, "day2.csv", day2()), "omni.locations.get");
        int sentBefore = sandbox.mutationLog().size();

        CommandLineRun ambiguous = command("restart", "--last-failed");
        assertThat(ambiguous.exit()).as(ambiguous.output()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(ambiguous.output())
                .contains("2 jobs have a failed execution")
                .contains("job 'gamma': execution " + gammaFailed.executionId() + " FAILED")
                .contains("job 'delta': execution " + deltaFailed.executionId() + " FAILED")
                .contains(
                        "restart --last-failed --job " + gamma.toAbsolutePath().normalize())
                .contains(
                        "restart --last-failed --job " + delta.toAbsolutePath().normalize());
        assertThat(sandbox.mutationLog()).hasSize(sentBefore);

        CommandLineRun named = command("restart", "--last-failed", "--job", gamma.toString());
        assertThat(named.exit()).as(named.output()).isZero();
        assertThat(named.output()).contains("restarting execution " + gammaFailed.executionId() + " of job 'gamma'");
        assertThat(statusOf(deltaFailed)).isEqualTo(BatchStatus.FAILED);

        CommandLineRun theOneLeft = command("restart", "--last-failed");
        assertThat(theOneLeft.exit()).as(theOneLeft.output()).isZero();
        assertThat(theOneLeft.output())
                .contains("restarting execution " + deltaFailed.executionId() + " of job 'delta'");
    }

    @Test
    void aDryRunCannotBeRestartedAndABadInputRunIsSyncedAfreshOnceTheJobIsFixed() {
        Path job = definition(dir, "preview", "ABSOLUTE", "KEEP", null);
        SyncLauncher.Result dryRun = launcher.sync(job, snapshot(dir, "day1.csv", day1()), true, false);
        CommandLineRun restart = command("restart", "--execution", Long.toString(dryRun.executionId()));
        assertThat(restart.exit()).as(restart.output()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(restart.output()).contains("was a dry run and cannot be continued");
        assertThat(sandbox.mutationLog()).isEmpty();

        Path strict = SyncFixtures.write(
                dir.resolve("strict.yml"), "name: strict\nomni: {policy: ABSOLUTE}\nskip-limit: 1\n");
        Path badRows = SyncFixtures.write(
                dir.resolve("bad.csv"), "sku,location,on_hand\nSKU-A,WH-00,x\nSKU-B,WH-00,y\nSKU-C,WH-00,1\n");
        assertThat(launcher.sync(strict, badRows, false, false).outcome()).isEqualTo(RunOutcome.BAD_INPUT);
        SyncFixtures.write(strict, "name: strict\nomni: {policy: ABSOLUTE}\nskip-limit: 5\n");
        SyncLauncher.Result fixed = launcher.sync(strict, badRows, false, false);
        assertThat(fixed.outcome())
                .as(String.join("\n", SyncResultText.lines(fixed)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(sandbox.omniOnHand("SKU-C", "WH-00")).isEqualTo(1);
        assertThat(statusOf(fixed)).isEqualTo(BatchStatus.COMPLETED);
    }
}
