package com.inventorysync.cli;

import static com.inventorysync.support.CommandLineRun.run;
import static com.inventorysync.support.SyncFixtures.day1;
import static com.inventorysync.support.SyncFixtures.day2;
import static com.inventorysync.support.SyncFixtures.definition;
import static com.inventorysync.support.SyncFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.CommandLineRun;
import com.inventorysync.support.SyncFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-setup path, end to end through the command line: the embedded H2 file database (with
 * the same migrations), the sandbox OMS over HTTP, day 1 then day 2, then status.
 */
class EmbeddedDefaultsSyncTest {

    @TempDir
    Path dir;

    @Test
    void syncsDay1ThenDay2OnAnH2FileDatabaseThroughTheCommandLine() {
        try (SandboxServer sandbox = SandboxServer.start(SandboxOptions.of(SyncFixtures.seed()))) {
            List<String> settings = List.of(
                    "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("data/inventory-sync")
                            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                    "--inventory-sync.omni.base-url=" + sandbox.omniBaseUrl(),
                    "--inventory-sync.omni.subscription-key="
                            + sandbox.credentials().omniSubscriptionKey(),
                    "--inventory-sync.sync.output-dir=" + dir.resolve("out"));
            Path job = definition(dir, "h2", "DELTA", "KEEP", null);

            CommandLineRun first = run(
                    settings,
                    "sync",
                    "--job",
                    job.toString(),
                    "--snapshot",
                    snapshot(dir, "day1.csv", day1()).toString());
            assertThat(first.exit()).as(first.output()).isZero();
            assertThat(first.output())
                    .contains("execution 1")
                    .contains("24 applied")
                    .contains("rejects.csv")
                    .contains("summary.txt");

            CommandLineRun second = run(
                    settings,
                    "sync",
                    "--job",
                    job.toString(),
                    "--snapshot",
                    snapshot(dir, "day2.csv", day2()).toString());
            assertThat(second.exit()).as(second.output()).isZero();
            assertThat(second.output()).contains("5 planned, 5 applied").contains("19 unchanged");
            for (Map.Entry<List<String>, Integer> e : day2().entrySet()) {
                assertThat(sandbox.omniOnHand(e.getKey().get(0), e.getKey().get(1)))
                        .isEqualTo(e.getValue());
            }
            assertThat(sandbox.mutationLog()).hasSize(29);
            assertThat(dir.resolve("out/h2/2/summary.txt")).exists();

            CommandLineRun again = run(
                    settings,
                    "sync",
                    "--job",
                    job.toString(),
                    "--snapshot",
                    dir.resolve("day2.csv").toString());
            assertThat(again.exit()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(again.output()).contains("already synced").contains("execution 2");

            CommandLineRun status = run(settings, "status", "--last", "5");
            assertThat(status.exit()).isZero();
            assertThat(status.output()).contains("COMPLETED").contains("h2");

            CommandLineRun usage = run(settings, "restart");
            assertThat(usage.exit()).isEqualTo(ExitCode.BAD_INPUT);
        }
    }
}
