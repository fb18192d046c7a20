package com.inventorysync.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.ExitCode;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.CommandLineRun;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.ProductSettings;
import com.inventorysync.support.SyncFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every setting a run needs is checked before the job starts. Each case runs the real command line against
 * PostgreSQL and the sandbox and proves the same four things: exit 2, one line that names the property and what is
 * wrong (no stack trace), no request reached the sandbox, and no job execution was recorded (nothing to restart).
 */
class StartupSettingsTest {
    static SandboxServer sandbox;
    static String schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sandbox = SandboxServer.start(SyncFixtures.seed());
        schema = PostgresTestDatabase.freshSchema(StartupSettingsTest.class);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @AfterEach
    void nothingReachedTheSandboxNorTheJobRepository() throws SQLException {
        assertThat(sandbox.requestLog()).as("requests the sandbox received").isEmpty();
        assertThat(jobExecutions()).as("job executions recorded").isZero();
    }

    @Test
    void omniBaseUrlUnsetForAJobWithAnOmniSection() {
        CommandLineRun run = sync(settings().omniKeyOnly(), job("nightly", null));

        assertRefusedInOneLine(
                run,
                "sync: job 'nightly' needs settings that are not set: inventory-sync.omni.base-url"
                        + " (INVENTORY_SYNC_OMNI_BASE_URL) for its omni section; nothing was started");
    }

    @Test
    void kiboShipEdgeAndNewStoreSettingsAreAskedForByTheSectionsThatNeedThem() {
        Path job = SyncFixtures.write(dir.resolve("everything.yml"), """
                name: everything
                source: {type: shipedge}
                omni: {policy: ABSOLUTE, missing: KEEP}
                kibo: {locations: {WH-00: "Main DC"}}
                newstore: {store-mastership: true}
                """);
        CommandLineRun run = CommandLineRun.run(settings().omni().list(), "sync", "--job", job.toString());

        assertRefusedInOneLine(
                run,
                "inventory-sync.kibo.base-url (INVENTORY_SYNC_KIBO_BASE_URL), inventory-sync.kibo.token-url"
                        + " (INVENTORY_SYNC_KIBO_TOKEN_URL), inventory-sync.kibo.client-id (INVENTORY_SYNC_KIBO_CLIENT_ID),"
                        + " inventory-sync.kibo.client-secret (INVENTORY_SYNC_KIBO_CLIENT_SECRET) for its kibo section");
        assertThat(run.output())
                .contains("inventory-sync.shipedge.base-url (INVENTORY_SYNC_SHIPEDGE_BASE_URL)")
                .contains("inventory-sync.shipedge.key (INVENTORY_SYNC_SHIPEDGE_KEY) for source.type shipedge")
                .contains(
                        "inventory-sync.newstore.client-secret (INVENTORY_SYNC_NEWSTORE_CLIENT_SECRET) for newstore.store-mastership")
                .doesNotContain("inventory-sync.omni.");
    }

    @Test
    void remotePartitioningRefusesTheEmbeddedDatabaseThatNoWorkerCanShare() {
        CommandLineRun run = sync(
                settings()
                        .omni()
                        .with("inventory-sync.partitioning.mode", "remote")
                        .with("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("own") + ";MODE=PostgreSQL"),
                job("nightly", null));

        assertRefusedInOneLine(
                run,
                "inventory-sync.partitioning.mode=remote needs a job repository the workers share: set"
                        + " SPRING_DATASOURCE_URL to PostgreSQL");
    }

    @Test
    void reconciliationNeedsOmni() {
        CommandLineRun run = CommandLineRun.run(
                settings().list(), "reconcile", "--job", job("pools", null).toString());

        assertRefusedInOneLine(
                run,
                "reconcile pools: job 'pools' needs settings that are not set: inventory-sync.omni.base-url"
                        + " (INVENTORY_SYNC_OMNI_BASE_URL), inventory-sync.omni.subscription-key (INVENTORY_SYNC_OMNI_SUBSCRIPTION_KEY)"
                        + " for reconciliation reads Omni");
    }

    @Test
    void maxAttemptsZero() {
        CommandLineRun run =
                sync(settings().omni().with("inventory-sync.http.max-attempts", "0"), job("nightly", null));

        assertRefusedInOneLine(
                run, "inventory-sync could not start: inventory-sync.http.max-attempts=0: must be greater than 0");
        assertThat(run.output().strip())
                .as("said once")
                .endsWith(": inventory-sync.http.max-attempts=0: must be greater than 0");
    }

    @Test
    void aDurationThatIsNotOne() {
        CommandLineRun run =
                sync(settings().omni().with("inventory-sync.http.request-timeout", "soon"), job("nightly", null));

        assertRefusedInOneLine(
                run,
                "inventory-sync could not start: inventory-sync.http.request-timeout=soon: not a duration such as"
                        + " 500ms, 30s, 2m or 1h");
    }

    @Test
    void aNegativeDurationIsShownAsWritten() {
        CommandLineRun run = sync(settings().omni().with("inventory-sync.shutdown.grace", "-1s"), job("nightly", null));

        assertRefusedInOneLine(
                run,
                "inventory-sync could not start: inventory-sync.shutdown.grace=-1s: must be longer than or equal to 0");
        assertThat(run.output().strip())
                .as("said once")
                .endsWith(": inventory-sync.shutdown.grace=-1s: must be longer than or equal to 0");
    }

    @Test
    void aBaseUrlThatIsNotAnHttpUrl() {
        CommandLineRun run =
                sync(settings().omni().with("inventory-sync.omni.base-url", "localhost:8080"), job("nightly", null));

        assertRefusedInOneLine(
                run,
                "inventory-sync could not start: inventory-sync.omni.base-url=localhost:8080: must be a valid URL");
    }

    @Test
    void aMisspelledPropertyOnTheCommandLineIsNamedWithTheClosestKnownOne() {
        CommandLineRun run = sync(settings().omni().with("inventory-sync.http.max-atempts", "2"), job("nightly", null));

        assertRefusedInOneLine(
                run,
                "inventory-sync could not start: inventory-sync.http.max-atempts (on the command line) is not a"
                        + " setting of inventory-sync; did you mean inventory-sync.http.max-attempts?");
    }

    @Test
    void aMisspelledPropertyInAConfigurationFileIsNamedWithTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("inventory-sync.yml"), """
                inventory-sync:
                  kibo:
                    poll-intervall: 5s
                """);
        CommandLineRun run = sync(settings().omni().with("spring.config.import", "file:" + file), job("nightly", null));

        assertRefusedInOneLine(run, "inventory-sync.kibo.poll-intervall (set in ");
        assertThat(run.output())
                .contains(file.getFileName().toString())
                .contains("did you mean inventory-sync.kibo.poll-interval?");
    }

    @Test
    void anUnreachableDatabaseIsNamedByItsUrlWithoutItsPassword() {
        List<String> args = new ArrayList<>(settings().omni().list());
        args.removeIf(a -> a.startsWith("--spring.datasource.url=") || a.startsWith("--spring.datasource.password="));
        args.add("--spring.datasource.url=jdbc:postgresql://127.0.0.1:5439/test");
        args.add("--spring.datasource.password=hunter2-db-secret");
        CommandLineRun run = CommandLineRun.run(
                args,
                "sync",
                "--job",
                job("nightly", null).toString(),
                "--snapshot",
                snapshot().toString());

        assertRefusedInOneLine(
                run,
                "inventory-sync could not start: cannot reach the database at jdbc:postgresql://127.0.0.1:5439/test:"
                        + " Connection refused");
        assertThat(run.output()).doesNotContain("hunter2-db-secret");
    }

    // ---- helpers -------------------------------------------------------------------------

    private static void assertRefusedInOneLine(CommandLineRun run, String expected) {
        assertThat(run.exit()).as(run.output()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run.output()).as("the output").contains(expected).doesNotContain("\tat ");
        assertThat(run.output().strip().lines())
                .as("lines printed: " + run.output())
                .hasSize(1);
    }

    private CommandLineRun sync(Settings settings, Path job) {
        return CommandLineRun.run(
                settings.list(),
                "sync",
                "--job",
                job.toString(),
                "--snapshot",
                snapshot().toString());
    }

    private Path job(String name, String extra) {
        return SyncFixtures.definition(dir, name, "ABSOLUTE", "KEEP", extra);
    }

    private Path snapshot() {
        return SyncFixtures.snapshot(dir, "day1.csv", SyncFixtures.day1());
    }

    private Settings settings() {
        return new Settings(ProductSettings.create()
                .database(schema)
                .output(dir.resolve("out"))
                .fastRetries());
    }

    private static long jobExecutions() throws SQLException {
        try (Connection c = PostgresTestDatabase.connect(schema);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select count(*) from batch_job_execution")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            if (e.getMessage().contains("does not exist")) {
                return 0; // no start got as far as migrating the schema
            }
            throw e;
        }
    }

    /** The test's settings as {@code --property=value} arguments. */
    record Settings(ProductSettings product) {
        Settings omni() {
            product.omni(sandbox);
            return this;
        }

        Settings omniKeyOnly() {
            product.with(
                    "inventory-sync.omni.subscription-key",
                    sandbox.credentials().omniSubscriptionKey());
            return this;
        }

        Settings with(String key, String value) {
            product.with(key, value);
            return this;
        }

        List<String> list() {
            List<String> args = new ArrayList<>();
            for (Map.Entry<String, String> e : product.asMap().entrySet()) {
                args.add("--" + e.getKey() + "=" + e.getValue());
            }
            return args;
        }
    }
}
