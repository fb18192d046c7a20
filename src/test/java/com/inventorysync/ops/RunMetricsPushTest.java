package com.inventorysync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.reconcile.DiscrepancyClass;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.ProductProcess;
import com.inventorysync.support.ProductSettings;
import com.inventorysync.support.Pushgateway;
import com.inventorysync.support.SyncFixtures;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The product run as a real process against PostgreSQL, the sandbox over HTTP and a real
 * Prometheus Pushgateway: what the gateway holds once the command has ended is what the run's
 * summary says, for a completed run and for a failed one, in a group of the job's own.
 */
class RunMetricsPushTest {
    static SandboxServer sandbox;
    static Pushgateway gateway;
    static String schema;
    static JdbcTemplate jdbc;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        schema = PostgresTestDatabase.freshSchema(RunMetricsPushTest.class);
        jdbc = new JdbcTemplate(PostgresTestDatabase.migrate(schema));
        sandbox = SandboxServer.start(SandboxSeed.load(Path.of("jobs/demo/sandbox-seed.json")));
        gateway = Pushgateway.start(dir);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        gateway.close();
    }

    @Test
    void aCompletedSyncPushesItsRowsUpdatesRunAndReconciliationToItsJobsGroup() throws IOException {
        Path job =
                definition("metrics-nightly", "reconcile: {tolerance: 0, alert-threshold: 100000, after-sync: true}");
        // Two rows the validation rejects: an unknown location and a negative count.
        Path snapshot = dir.resolve("day1-with-rejects.csv");
        Files.writeString(
                snapshot,
                Files.readString(Path.of("jobs/demo/snapshot-day1.csv"))
                        + "TEE-BLK-S,NO-SUCH-LOC,5,084000000011,PN-10001\nTEE-BLK-M,WH-01,-3,084000000048,PN-10002\n");

        assertThat(sync(job, snapshot, pushing())).isZero();

        Map<String, Object> summary = summary("metrics-nightly");
        assertThat((long) summary.get("rows_rejected"))
                .as("the fixture's rejected rows")
                .isGreaterThanOrEqualTo(2);
        assertThat((long) summary.get("applied"))
                .as("the fixture's applied updates")
                .isPositive();
        Map<String, String> group = Map.of("job", "metrics-nightly", "command", "sync");
        assertThat(value("inventorysync_updates_total", group, "target", "omni", "outcome", "applied"))
                .isEqualTo(summary.get("applied"));
        assertThat(value("inventorysync_updates_total", group, "target", "omni", "outcome", "planned"))
                .isEqualTo(summary.get("planned"));
        assertThat(value("inventorysync_updates_total", group, "target", "omni", "outcome", "unknown"))
                .isZero();
        assertThat(value("inventorysync_rows_total", group, "outcome", "read")).isEqualTo(summary.get("rows_read"));
        assertThat(value("inventorysync_rows_total", group, "outcome", "staged"))
                .isEqualTo(summary.get("rows_staged"));
        assertThat(value("inventorysync_rows_total", group, "outcome", "rejected"))
                .isEqualTo(summary.get("rows_rejected"));
        assertThat(value("inventorysync_run_seconds_count", group, "status", "COMPLETED"))
                .isEqualTo(1L);
        assertThat(value("inventorysync_run_last_success_seconds", group))
                .isEqualTo(epochSeconds(summary.get("ended_at")));
        // Every PUT answered 204 at its first attempt: one request per applied update.
        assertThat(value(
                        "inventorysync_http_requests_seconds_count",
                        group,
                        "vendor",
                        "omni",
                        "endpoint",
                        onHandPut(),
                        "status",
                        "204"))
                .isEqualTo(summary.get("applied"));
        for (DiscrepancyClass c : DiscrepancyClass.values()) {
            assertThat(gateway.value("inventorysync_reconcile_discrepancies", with(group, "class", c.name())))
                    .as(c.name())
                    .isPresent();
            assertThat(gateway.value("inventorysync_reconcile_units", with(group, "class", c.name())))
                    .as(c.name())
                    .isPresent();
        }
        assertThat(value("inventorysync_reconcile_alert_threshold", group)).isEqualTo(100000L);
        assertThat(gateway.samples("spring_batch_job_seconds_count", with(group, "spring_batch_job_name", "sync")))
                .isNotEmpty();
        assertThat(gateway.samples("spring_batch_step_seconds_count", with(group, "spring_batch_step_name", "send")))
                .isNotEmpty();
        for (String name : MonitoringFilesTest.EXPORTED) {
            if (!name.equals(
                    "inventorysync_http_retries_total")) { // no retry in this run: the failed run's test finds it
                assertThat(gateway.samples(name, group))
                        .as(name + " is exported")
                        .isNotEmpty();
            }
        }
        assertThat(gateway.metricsText()).doesNotContain(sandbox.credentials().omniSubscriptionKey());
        assertThat(gateway.samples("push_time_seconds", Map.of()))
                .as("only the jobs' own groups: Boot's periodic push is left out")
                .isNotEmpty()
                .allMatch(p -> p.labels().containsKey("command")
                        && !p.labels().get("job").equals("spring"));
    }

    @Test
    void aFailedRunReplacesItsJobsGroupWithTheFailedRunAndKeepsTheLastSuccessFromTheDatabase() {
        Path job = definition("metrics-failing", "");
        assertThat(sync(job, Path.of("jobs/demo/snapshot-day1.csv"), pushing())).isZero();
        Map<String, Object> completed = summary("metrics-failing");
        Map<String, String> group = Map.of("job", "metrics-failing", "command", "sync");
        assertThat(value("inventorysync_run_seconds_count", group, "status", "COMPLETED"))
                .isEqualTo(1L);

        // Day 2 changes counts; Omni answers 503 to every PUT, and each is tried twice.
        sandbox.faults().unavailable("omni.onhand.put", 1.0);
        try {
            assertThat(sync(
                            job,
                            Path.of("jobs/demo/snapshot-day2.csv"),
                            pushing().with("inventory-sync.http.max-attempts", "2")))
                    .isEqualTo(1);
        } finally {
            sandbox.faults().clear();
        }

        Map<String, Object> failed = summary("metrics-failing");
        assertThat(failed.get("status")).isEqualTo("FAILED");
        assertThat(value("inventorysync_run_seconds_count", group, "status", "FAILED"))
                .isEqualTo(1L);
        assertThat(gateway.value("inventorysync_run_seconds_count", with(group, "status", "COMPLETED")))
                .as("the group holds the last run only")
                .isEmpty();
        assertThat(value("inventorysync_run_last_success_seconds", group))
                .as("the end of the completed run, read from the database by the failed run's process")
                .isEqualTo(epochSeconds(completed.get("ended_at")));
        assertThat(value("inventorysync_updates_total", group, "target", "omni", "outcome", "applied"))
                .isEqualTo(failed.get("applied"));
        assertThat(value("inventorysync_updates_total", group, "target", "omni", "outcome", "planned"))
                .isEqualTo(failed.get("planned"));
        assertThat(value("inventorysync_http_retries_total", group, "vendor", "omni", "reason", "503"))
                .isPositive();
        assertThat(value(
                        "inventorysync_http_requests_seconds_count",
                        group,
                        "vendor",
                        "omni",
                        "endpoint",
                        onHandPut(),
                        "status",
                        "503"))
                .isPositive();
    }

    @Test
    void aKiboSyncPushesKiboUpdatesAndTimesItsCallsWithIdsOutOfTheEndpoint() {
        SandboxSeed.Builder seed = SandboxSeed.builder()
                .kiboJobDelayMillis(20)
                .kiboLocation("Main DC", "WH-00")
                .kiboLocation("Second DC", "WH-01");
        SyncFixtures.SKUS.forEach(sku -> seed.sku(sku, null, null));
        try (SandboxServer kibo = SandboxServer.start(seed.build())) {
            Path job = SyncFixtures.write(dir.resolve("metrics-kibo.yml"), """
                    name: metrics-kibo
                    kibo:
                      base-path: V5
                      locations: {WH-00: "Main DC", WH-01: "Second DC"}
                    """);
            ProductSettings settings = pushing().kibo(kibo).with("inventory-sync.kibo.poll-interval", "20ms");
            assertThat(sync(job, SyncFixtures.snapshot(dir, "kibo-day1.csv", SyncFixtures.day1()), settings))
                    .isZero();

            long runId = (long) summary("metrics-kibo").get("run_id");
            long applied = jdbc.queryForObject(
                    "select count(*) from planned_update where run_id = ? and target = 'kibo' and state = 'APPLIED'",
                    Long.class,
                    runId);
            assertThat(applied).isPositive();
            Map<String, String> group = Map.of("job", "metrics-kibo", "command", "sync");
            assertThat(value("inventorysync_updates_total", group, "target", "kibo", "outcome", "applied"))
                    .isEqualTo(applied);
            assertThat(value("inventorysync_updates_total", group, "target", "kibo", "outcome", "unknown"))
                    .isZero();
            var requests = gateway.samples("inventorysync_http_requests_seconds_count", with(group, "vendor", "kibo"));
            assertThat(requests)
                    .extracting(r -> r.labels().get("endpoint"))
                    .anyMatch(e -> e.startsWith("GET ") && e.endsWith("/api/v1/queue/{id}"))
                    .anyMatch(e ->
                            e.equals("POST " + URI.create(kibo.kiboTokenUrl()).getPath()))
                    .allMatch(e -> !e.matches(".*/\\d+(/.*)?"));
            assertThat(gateway.metricsText()).doesNotContain(kibo.credentials().kiboClientSecret());
        }
    }

    @Test
    void withoutThePushgatewayPropertiesNothingIsPushed() {
        Path job = definition("metrics-off", "");
        try (ProductProcess sync = ProductProcess.start(
                dir,
                settings().asMap(),
                "sync",
                "--job",
                job.toString(),
                "--snapshot",
                Path.of("jobs/demo/snapshot-day1.csv").toAbsolutePath().toString())) {
            assertThat(sync.waitFor(Duration.ofMinutes(3))).as(sync.output()).isZero();
            assertThat(sync.output()).doesNotContainIgnoringCase("pushgateway").doesNotContainIgnoringCase("otlp");
        }
        assertThat(gateway.samples("inventorysync_run_seconds_count", Map.of("job", "metrics-off")))
                .isEmpty();
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static ProductSettings settings() {
        return ProductSettings.create()
                .database(schema)
                .omni(sandbox)
                .output(dir.resolve("out"))
                .fastRetries()
                .with(
                        "inventory-sync.reconcile.output-dir",
                        dir.resolve("reconcile").toString());
    }

    private static ProductSettings pushing() {
        return settings()
                .with("management.prometheus.metrics.export.pushgateway.enabled", "true")
                .with("management.prometheus.metrics.export.pushgateway.address", gateway.address());
    }

    private static int sync(Path job, Path snapshot, ProductSettings settings) {
        try (ProductProcess sync = ProductProcess.start(
                dir,
                settings.asMap(),
                "sync",
                "--job",
                job.toString(),
                "--snapshot",
                snapshot.toAbsolutePath().toString())) {
            int exit = sync.waitFor(Duration.ofMinutes(3));
            assertThat(sync.output()).as("the push went through").doesNotContain("could not be pushed");
            return exit;
        }
    }

    private static Path definition(String name, String extra) {
        return SyncFixtures.write(dir.resolve(name + ".yml"), """
                name: %s
                omni: {policy: ABSOLUTE, missing: KEEP}
                pools:
                  - {group: WEB, name: WEB-EAST, members: [WH-00, STORE-01], buffer: 5}
                skip-limit: 10
                %s
                """.formatted(name, extra));
    }

    /** The endpoint tag of Omni's on-hand PUT: the sandbox serves Omni under a path of its own. */
    private static String onHandPut() {
        return "PUT " + URI.create(sandbox.omniBaseUrl()).getPath().replaceAll("/$", "") + "/v1/inventory/onhand";
    }

    private static Map<String, Object> summary(String job) {
        return jdbc.queryForMap(
                "select * from sync_run_summary where job_name = ? order by job_execution_id desc limit 1", job);
    }

    private static long epochSeconds(Object timestamp) {
        return ((Timestamp) timestamp).toInstant().getEpochSecond();
    }

    /** The value of the one sample with the group's labels and {@code more} (name, value, ...); fails when absent. */
    private static long value(String name, Map<String, String> group, String... more) {
        Map<String, String> labels = group;
        for (int i = 0; i < more.length; i += 2) {
            labels = with(labels, more[i], more[i + 1]);
        }
        Map<String, String> wanted = labels;
        double v = gateway.value(name, wanted)
                .orElseThrow(() -> new AssertionError(name + wanted + " is not in the gateway:\n"
                        + gateway.metricsText()
                                .lines()
                                .filter(l -> l.startsWith("inventorysync_"))
                                .reduce("", (a, b) -> a + b + "\n")));
        return Math.round(v);
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        var m = new java.util.LinkedHashMap<>(labels);
        m.put(key, value);
        return m;
    }
}
