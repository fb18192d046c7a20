package com.inventorysync.ops;

import static com.inventorysync.support.SyncFixtures.day1;
import static com.inventorysync.support.SyncFixtures.day2;
import static com.inventorysync.support.SyncFixtures.definition;
import static com.inventorysync.support.SyncFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.SyncResultText;
import com.inventorysync.job.RunOutcome;
import com.inventorysync.job.SyncLauncher;
import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.CommandLineRun;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.ProductSettings;
import com.inventorysync.support.SyncFixtures;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code status} read through the job repository: executions newest first across runs (a run
 * restarted after a newer one shows its restart on top), the step a failed one ended in, why each
 * one can or cannot be restarted, the table's columns, and the same as JSON, through the command line.
 */
@SpringBootTest
class SyncStatusTest {
    static SandboxServer sandbox = SandboxServer.start(SandboxOptions.of(SyncFixtures.seed()));
    static String schema;

    @TempDir
    static Path out;

    @TempDir
    Path dir;

    @Autowired
    SyncLauncher launcher;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        schema = PostgresTestDatabase.register(registry, SyncStatusTest.class);
        ProductSettings.create().omni(sandbox).output(out).fastRetries().registerWith(registry);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
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

    private static JsonNode json(CommandLineRun run) {
        assertThat(run.exit()).as(run.output()).isZero();
        return JsonMapper.builder().build().readTree(run.output());
    }

    private static String row(String output, long executionId) {
        return output.lines()
                .filter(l -> l.startsWith(executionId + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row for execution " + executionId + " in\n" + output));
    }

    @Test
    void showsTheNewestExecutionsAcrossRunsWithWhyEachCanOrCannotBeRestarted() {
        CommandLineRun empty = command("status");
        assertThat(empty.exit()).isZero();
        assertThat(empty.output()).contains("no sync has run yet");
        JsonNode none = json(command("status", "--format", "json"));
        assertThat(none.get("executions").isEmpty()).isTrue();
        assertThat(none.get("jobs").isEmpty()).isTrue();

        Path job = definition(dir, "tally", "ABSOLUTE", "KEEP", null);
        sandbox.faults().unavailable("omni.onhand.put", 1.0);
        SyncLauncher.Result failed = launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false);
        sandbox.faults().clear();
        assertThat(failed.outcome())
                .as(String.join("\n", SyncResultText.lines(failed)))
                .isEqualTo(RunOutcome.FAILED);
        SyncLauncher.Result dryRun = launcher.sync(job, snapshot(dir, "day2.csv", day2()), true, false);
        assertThat(dryRun.outcome())
                .as(String.join("\n", SyncResultText.lines(dryRun)))
                .isEqualTo(RunOutcome.COMPLETED);

        CommandLineRun beforeRestart = command("status");
        assertThat(row(beforeRestart.output(), failed.executionId()))
                .as("the step it failed in")
                .contains(" tally ", "FAILED (send) ")
                .endsWith("  yes");

        SyncLauncher.Result restarted = launcher.restart(failed.executionId());
        assertThat(restarted.outcome())
                .as(String.join("\n", SyncResultText.lines(restarted)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(restarted.executionId()).isGreaterThan(dryRun.executionId());

        CommandLineRun status = command("status", "--last", "3");
        assertThat(status.exit()).as(status.output()).isZero();
        List<String> lines = status.output().lines().toList();
        assertThat(lines.get(0))
                .isEqualTo(
                        "execution job                  status    exit              started                  read  rejected"
                                + "   planned   applied   oms-rej   unknown      held  restartable");
        assertThat(lines.subList(1, 4))
                .extracting(l -> l.split(" +")[0])
                .containsExactly(
                        Long.toString(restarted.executionId()),
                        Long.toString(dryRun.executionId()),
                        Long.toString(failed.executionId()));
        assertThat(row(status.output(), restarted.executionId()))
                .matches(
                        restarted.executionId()
                                + " +tally +COMPLETED +COMPLETED +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +24 +0 +24 +24 +0 +0 +0  no");
        assertThat(row(status.output(), dryRun.executionId()))
                .contains("DRY_RUN")
                .endsWith("  no");
        assertThat(row(status.output(), failed.executionId()))
                .endsWith("  no (restarted as " + restarted.executionId() + ")");

        JsonNode json = json(command("status", "--last", "3", "--format", "json"));
        assertThat(json.get("executions"))
                .extracting(e -> e.get("id").asLong())
                .containsExactly(restarted.executionId(), dryRun.executionId(), failed.executionId());
        JsonNode completed = json.get("executions").get(0);
        assertThat(completed.get("status").stringValue()).isEqualTo("COMPLETED");
        assertThat(completed.get("step").isNull()).isTrue();
        assertThat(completed.get("run").asLong())
                .isEqualTo(json.get("executions").get(2).get("run").asLong());
        assertThat(completed.get("counts").get("planned").asLong()).isEqualTo(24);
        assertThat(completed.get("counts").get("applied").asLong()).isEqualTo(24);
        assertThat(completed.get("counts").get("pending").asLong()).isZero();
        assertThat(completed.get("restartable").asBoolean()).isFalse();
        JsonNode restartedOne = json.get("executions").get(2);
        assertThat(restartedOne.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(restartedOne.get("counts").get("applied").asLong())
                .as("its own summary's, not the run's now")
                .isZero();
        assertThat(restartedOne.get("reason").stringValue()).isEqualTo("restarted as " + restarted.executionId());
        assertThat(json.get("jobs")).singleElement().satisfies(j -> {
            assertThat(j.get("job").stringValue()).isEqualTo("tally");
            assertThat(OffsetDateTime.parse(j.get("lastCompleted").stringValue()))
                    .isEqualTo(OffsetDateTime.parse(completed.get("endedAt").stringValue()));
        });

        CommandLineRun xml = command("status", "--format", "xml");
        assertThat(xml.exit()).isEqualTo(2);
        assertThat(xml.output()).contains("--format", "text, json");

        CommandLineRun newest = command("status", "--last", "1");
        assertThat(newest.output().lines().filter(l -> l.matches("\\d+ .*")))
                .singleElement()
                .asString()
                .startsWith(restarted.executionId() + " ");
    }
}
