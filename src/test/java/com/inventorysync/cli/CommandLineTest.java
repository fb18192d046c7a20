package com.inventorysync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.support.CommandLineRun;
import com.inventorysync.support.ProductProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The front door: help, version and usage errors through the product's own entry point, answered
 * without the application context, so without a database.
 */
class CommandLineTest {

    @TempDir
    Path dir;

    /** A database the product would create if it opened one; none of these commands may. */
    private List<String> databaseSettings() {
        return List.of("--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db/inventory-sync") + ";MODE=PostgreSQL");
    }

    private CommandLineRun run(String... words) {
        return CommandLineRun.run(databaseSettings(), words);
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        for (String help : List.of("--help", "-h")) {
            CommandLineRun run = run(help);
            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.output())
                    .contains(
                            "Usage: inventory-sync",
                            "sync",
                            "restart",
                            "status",
                            "reconcile",
                            "demo",
                            "sandbox",
                            "Exit codes:",
                            "--spring.datasource.url=");
        }
        assertThat(dir.resolve("db")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "restart", "status", "reconcile", "demo", "sandbox"})
    void everyCommandPrintsItsOwnUsageForHelpBothWays(String command) {
        CommandLineRun dashed = run(command, "--help");
        CommandLineRun named = run("help", command);
        for (CommandLineRun run : List.of(dashed, named)) {
            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.output()).contains("Usage: inventory-sync " + command);
        }
        assertThat(named.output()).isEqualTo(dashed.output());
        assertThat(dir.resolve("db")).doesNotExist();
    }

    @Test
    void commandUsageNamesItsOptions() {
        assertThat(run("sync", "--help").output())
                .contains("--job=<file>", "--snapshot=<csv>", "--dry-run", "--force", "--kibo-full-refresh");
        assertThat(run("restart", "--help").output()).contains("--execution=<id>", "--last-failed", "--job=<file>");
        assertThat(run("status", "--help").output()).contains("--last=N");
        assertThat(run("reconcile", "--help").output()).contains("--job=<file>", "--skus", "--output=<dir>");
    }

    @Test
    void versionIsTheBuildsVersion() throws IOException {
        CommandLineRun run = run("--version");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("inventory-sync " + pomVersion());
    }

    @Test
    void aMistypedCommandExits2WithTheCommandItWasMeantToBe() {
        CommandLineRun run = run("synk", "--job", "jobs/nightly.yml");
        assertThat(run.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.output()).contains("'synk'").contains("Did you mean").contains("inventory-sync sync");
        assertThat(dir.resolve("db")).doesNotExist();
    }

    @Test
    void aMistypedOptionExits2WithTheOptionItWasMeantToBe() {
        CommandLineRun job = run("sync", "--jbo", "x");
        assertThat(job.exit()).as(job.output()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(job.output())
                .contains("'--jbo'")
                .contains("Did you mean: inventory-sync sync --job?")
                .contains("See 'inventory-sync sync --help'.");

        CommandLineRun lastFailed = run("restart", "--lst-failed");
        assertThat(lastFailed.exit()).as(lastFailed.output()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(lastFailed.output())
                .contains("'--lst-failed'")
                .contains("Did you mean: inventory-sync restart --last-failed?");

        CommandLineRun withValue = run("status", "--lats=3");
        assertThat(withValue.exit()).as(withValue.output()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(withValue.output()).contains("Did you mean: inventory-sync status --last?");
        assertThat(dir.resolve("db")).doesNotExist();
    }

    @Test
    void anOptionFarFromEveryNameGetsTheUsageInstead() {
        CommandLineRun run = run("sync", "--quantity", "3");
        assertThat(run.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.output()).doesNotContain("Did you mean").contains("Usage: inventory-sync sync");
    }

    @Test
    void aMissingRequiredOptionExits2BeforeTheDatabaseIsOpened() {
        CommandLineRun run = run("sync", "--snapshot", "day1.csv");
        assertThat(run.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.output()).contains("sync: --job <file> is required");
        assertThat(dir.resolve("db")).doesNotExist();
    }

    @Test
    void closestOptionAllowsAThirdOfTheNameToBeWrong() {
        List<String> names = List.of("--job", "--snapshot", "--dry-run", "--force");
        assertThat(OptionSuggestion.closest("--jbo", names)).isEqualTo("--job");
        assertThat(OptionSuggestion.closest("--snapshto=day1.csv", names)).isEqualTo("--snapshot");
        assertThat(OptionSuggestion.closest("--dryrun", names)).isEqualTo("--dry-run");
        assertThat(OptionSuggestion.closest("--quantity", names)).isNull();
    }

    /** The jar's own way in: a JVM of its own, in a working directory of its own, with no database settings at all. */
    @Test
    void helpVersionAndUsageErrorsLeaveNoDatabaseInTheWorkingDirectory() throws IOException {
        Path workDir = Files.createDirectory(dir.resolve("work"));
        Map<List<String>, Integer> expected = Map.of(
                List.of("sync", "--help"), 0,
                List.of("--version"), 0,
                List.of("synk"), 2,
                List.of("restart", "--lst-failed"), 2);
        for (Map.Entry<List<String>, Integer> e : expected.entrySet()) {
            try (ProductProcess product =
                    ProductProcess.start(workDir, Map.of(), e.getKey().toArray(String[]::new))) {
                assertThat(product.waitFor(Duration.ofMinutes(2)))
                        .as(e.getKey() + "\n" + product.output())
                        .isEqualTo(e.getValue());
            }
        }
        assertThat(workDir.resolve("data"))
                .as("the embedded H2 database's folder")
                .doesNotExist();
        try (var files = Files.list(workDir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .allMatch(name -> name.startsWith("product-") && name.endsWith(".log"));
        }
    }

    private static String pomVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher version = Pattern.compile("</parent>.*?<version>([^<]+)</version>", Pattern.DOTALL)
                .matcher(pom);
        assertThat(version.find()).as("the project's version in pom.xml").isTrue();
        return version.group(1);
    }
}
