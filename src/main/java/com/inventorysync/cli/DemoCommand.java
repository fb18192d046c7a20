package com.inventorysync.cli;

import com.inventorysync.InventorySyncApplication;
import com.inventorysync.job.RunOutcome;
import com.inventorysync.job.SyncLauncher;
import com.inventorysync.ops.SyncStatus;
import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.sandbox.SandboxServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the nightly sync on embedded defaults. Starts the sandbox OMS in-process on a
 * free port with {@code jobs/demo/sandbox-seed.json}, then runs {@code jobs/demo.yml} on
 * {@code snapshot-day1.csv} and {@code snapshot-day2.csv} against an H2 file database of its own
 * ({@code ./data/demo}, emptied first so the demo can be run again), and prints both summaries.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description = {
            "Runs jobs/demo.yml on jobs/demo/snapshot-day1.csv, then day 2, against an in-process sandbox OMS and H2.",
            "Run it from the project's folder."
        })
public final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--data",
            paramLabel = "<dir>",
            defaultValue = "data/demo",
            description = "its H2 database (emptied first; default: ${DEFAULT-VALUE})")
    private Path data;

    @Override
    public Integer call() {
        Path data = this.data;
        Path seedFile = Path.of("jobs", "demo", "sandbox-seed.json");
        Path job = Path.of("jobs", "demo.yml");
        Path day1 = Path.of("jobs", "demo", "snapshot-day1.csv");
        Path day2 = Path.of("jobs", "demo", "snapshot-day2.csv");
        for (Path p : List.of(seedFile, job, day1, day2)) {
            if (!Files.isRegularFile(p)) {
                System.err.println("demo: " + p + " not found; run the demo from the project's folder");
                return ExitCode.BAD_INPUT;
            }
        }
        deleteTree(data);
        try (SandboxServer sandbox = SandboxServer.start(SandboxOptions.of(SandboxSeed.load(seedFile)))) {
            Map<String, Object> settings = Map.of(
                    "spring.datasource.url",
                            "jdbc:h2:file:" + data.toAbsolutePath().resolve("inventory-sync")
                                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                    "inventory-sync.omni.base-url", sandbox.omniBaseUrl(),
                    "inventory-sync.omni.subscription-key",
                            sandbox.credentials().omniSubscriptionKey());
            // System properties outrank application.yml (default properties would not); the summaries say what
            // happened, so the steps' progress lines are left out.
            settings.forEach((key, value) -> System.setProperty(key, String.valueOf(value)));
            System.setProperty("logging.level.com.inventorysync", "WARN");
            System.setProperty("logging.level.org.flywaydb", "ERROR");
            System.out.println(
                    "demo: sandbox OMS at " + sandbox.baseUrl() + " seeded from " + seedFile + "; database " + data);
            try (ConfigurableApplicationContext context =
                    new SpringApplicationBuilder(InventorySyncApplication.class).run()) {
                SyncLauncher launcher = context.getBean(SyncLauncher.class);
                System.out.println();
                System.out.println("== day 1: sync --job " + job + " --snapshot " + day1);
                SyncLauncher.Result first = launcher.sync(job, day1, false, false);
                SyncResultText.lines(first).forEach(System.out::println);
                if (first.outcome() != RunOutcome.COMPLETED) {
                    return ExitCode.of(first.outcome());
                }
                System.out.println();
                System.out.println("== day 2: sync --job " + job + " --snapshot " + day2
                        + " (changed counts, a new key, a dropped key, bad rows)");
                SyncLauncher.Result second = launcher.sync(job, day2, false, false);
                SyncResultText.lines(second).forEach(System.out::println);
                System.out.println();
                System.out.println("== status");
                StatusText.lines(context.getBean(SyncStatus.class).latest(2)).forEach(System.out::println);
                System.out.println();
                System.out.println("demo: the sandbox now holds e.g. HOOD-GRY-M@STORE-01 = "
                        + sandbox.omniOnHand("HOOD-GRY-M", "STORE-01")
                        + " and HOOD-NVY-M@WH-01 = " + sandbox.omniOnHand("HOOD-NVY-M", "WH-01")
                        + ", as snapshot-day2.csv says; "
                        + sandbox.mutationLog().size() + " updates applied in all, "
                        + sandbox.mutationLog().stream()
                                .map(m -> m.requestId())
                                .distinct()
                                .count() + " distinct planned updates");
                return ExitCode.of(second.outcome());
            }
        } catch (RuntimeException e) {
            System.err.println("demo: " + e.getMessage());
            return ExitCode.FAILED;
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + dir, e);
        }
    }
}
