package com.inventorysync.oms.kibo;

import static com.inventorysync.support.CommandLineRun.run;
import static com.inventorysync.support.SyncFixtures.day1;
import static com.inventorysync.support.SyncFixtures.day2;
import static com.inventorysync.support.SyncFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.ExitCode;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.CommandLineRun;
import com.inventorysync.support.SyncFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kibo-only job through the command line on the embedded H2 database (same migrations as
 * PostgreSQL): day 1, day 2, a full refresh on demand, status. The client secret and the tokens
 * never show in what the commands print.
 */
class KiboCommandLineTest {

    @TempDir
    Path dir;

    @Test
    void syncsKiboOnH2ThroughTheCommandLine() {
        SandboxSeed.Builder seed = SandboxSeed.builder()
                .kiboJobDelayMillis(20)
                .kiboLocation("Main DC", "WH-00")
                .kiboLocation("Second DC", "WH-01");
        for (String sku : SyncFixtures.SKUS) {
            seed.sku(sku, null, null);
        }
        try (SandboxServer sandbox = SandboxServer.start(seed.build())) {
            String secret = sandbox.credentials().kiboClientSecret();
            List<String> settings = List.of(
                    "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("data/inventory-sync")
                            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                    "--inventory-sync.kibo.base-url=" + sandbox.kiboBaseUrl(),
                    "--inventory-sync.kibo.token-url=" + sandbox.kiboTokenUrl(),
                    "--inventory-sync.kibo.client-id=" + sandbox.credentials().kiboClientId(),
                    "--inventory-sync.kibo.client-secret=" + secret,
                    "--inventory-sync.kibo.poll-interval=20ms",
                    "--inventory-sync.sync.output-dir=" + dir.resolve("out"),
                    "--logging.level.com.inventorysync=DEBUG");
            Path job = SyncFixtures.write(dir.resolve("kibo.yml"), """
                    name: kibo-h2
                    kibo:
                      base-path: V5
                      locations: {WH-00: "Main DC", WH-01: "Second DC"}
                    """);

            CommandLineRun first = run(
                    settings,
                    "sync",
                    "--job",
                    job.toString(),
                    "--snapshot",
                    snapshot(dir, "day1.csv", day1()).toString());
            assertThat(first.exit()).as(first.output()).isEqualTo(ExitCode.COMPLETED);
            assertThat(first.output())
                    .contains("Kibo: 2 refresh request(s): 2 accepted")
                    .contains("APPLIED=16");
            CommandLineRun second = run(
                    settings,
                    "sync",
                    "--job",
                    job.toString(),
                    "--snapshot",
                    snapshot(dir, "day2.csv", day2()).toString());
            assertThat(second.exit()).as(second.output()).isEqualTo(ExitCode.COMPLETED);
            assertThat(second.output()).contains("APPLIED=3");
            day2().forEach((key, count) -> {
                String name =
                        key.get(1).equals("WH-00") ? "Main DC" : key.get(1).equals("WH-01") ? "Second DC" : null;
                if (name != null) {
                    assertThat(sandbox.kiboQuantity(name, key.get(0)))
                            .as(key.toString())
                            .isEqualTo(count);
                }
            });
            assertThat(sandbox.requestLog())
                    .filteredOn(r -> r.endpoint().equals("kibo.refresh"))
                    .allMatch(r -> r.path().equals("/kibo/api/v5/inventory/refresh"));

            CommandLineRun refresh = run(
                    settings,
                    "sync",
                    "--job",
                    job.toString(),
                    "--snapshot",
                    dir.resolve("day2.csv").toString(),
                    "--force",
                    "--kibo-full-refresh",
                    "WH-01");
            assertThat(refresh.exit()).as(refresh.output()).isEqualTo(ExitCode.COMPLETED);
            assertThat(refresh.output()).contains("WH-01 -> Second DC #1, 8 items, ACCEPTED");

            CommandLineRun status = run(settings, "status", "--last", "5");
            assertThat(status.exit()).isZero();
            assertThat(status.output())
                    .contains("run 3:")
                    .contains("job ")
                    .contains("COMPLETED (8 processed, 0 errors)");

            for (CommandLineRun r : List.of(first, second, refresh, status)) {
                assertThat(r.output()).doesNotContain(secret).doesNotContainIgnoringCase("access_token");
            }
        }
    }
}
