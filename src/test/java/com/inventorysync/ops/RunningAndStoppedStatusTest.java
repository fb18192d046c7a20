package com.inventorysync.ops;

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
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A sync runs as a real process; {@code status} and {@code status --format json}, run from other
 * processes, show it in its send step with the updates applied so far. SIGTERM then stops it: the
 * process prints the stopped execution's summary and the command that continues it before it exits
 * 143, and {@code status} shows the counts it reached, the same as the database holds.
 */
class RunningAndStoppedStatusTest {
    /** 10,000 keys, every other one changed on day 2: 5,000 updates, sent slowly enough to outlast two status processes. */
    static final GeneratedSnapshots DATA = new GeneratedSnapshots(5_000, 2, 2);

    static final JsonMapper JSON = JsonMapper.builder().build();

    static SandboxServer sandbox = SandboxServer.start(SandboxOptions.of(DATA.seed(GeneratedSnapshots.DAY1_COUNT)));
    static String schema;
    static JdbcTemplate jdbc;

    @TempDir
    static Path dir;

    @BeforeAll
    static void day1AlreadySynced() {
        schema = PostgresTestDatabase.freshSchema(RunningAndStoppedStatusTest.class);
        jdbc = new JdbcTemplate(PostgresTestDatabase.migrate(schema));
        DATA.day1Synced(jdbc);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void statusShowsARunningSendLiveAndTheCountsASigtermStoppedRunReached() throws Exception {
        Path job = SyncFixtures.write(dir.resolve("live.yml"), """
                name: live
                omni: {policy: DELTA, missing: KEEP}
                guard: {max-changed-share: 0.6, max-zeroed-share: 0.2}
                chunk-size: 200
                concurrency: 8
                """);
        Path day2 = DATA.day2(dir.resolve("day2.csv"));
        sandbox.faults().latency("omni.onhand.put", 200, 0); // about 40 updates a second: the send lasts two minutes

        try (ProductProcess sync = ProductProcess.start(
                dir, properties(), "sync", "--job", job.toString(), "--snapshot", day2.toString())) {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        assertThat(sync.isAlive())
                                .as("the run ended before status could look at it:\n" + sync.output())
                                .isTrue();
                        return count("select count(*) from planned_update where state = 'APPLIED'") > 0;
                    });
            long executionId = count("select max(job_execution_id) from batch_job_execution");

            String text = status("status");
            assertThat(sync.isAlive()).as("still sending while status looked").isTrue();
            Matcher running = row(text, executionId);
            assertThat(running.group("job")).isEqualTo("live");
            assertThat(running.group("status")).isEqualTo("STARTED (send)");
            assertThat(Long.parseLong(running.group("read"))).isEqualTo((long) DATA.skus() * DATA.locations());
            assertThat(Long.parseLong(running.group("planned"))).isEqualTo(DATA.changedKeys());
            assertThat(Long.parseLong(running.group("applied"))).isPositive().isLessThan(DATA.changedKeys());
            assertThat(running.group("restartable")).isEqualTo("no (running now)");

            JsonNode json = json(status("status", "--format", "json"));
            assertThat(sync.isAlive()).as("still sending while status looked").isTrue();
            JsonNode live = execution(json, executionId);
            assertThat(live.get("status").stringValue()).isEqualTo("STARTED");
            assertThat(live.get("step").stringValue()).isEqualTo("send");
            assertThat(live.get("job").stringValue()).isEqualTo("live");
            assertThat(live.get("endedAt").isNull()).isTrue();
            assertThat(OffsetDateTime.parse(live.get("startedAt").stringValue()))
                    .isBefore(OffsetDateTime.now());
            assertThat(live.get("counts").get("applied").asLong()).isPositive();
            assertThat(live.get("counts").get("pending").asLong()).isPositive();
            assertThat(live.get("counts").get("unknown").asLong())
                    .as("updates in flight are not of unknown outcome")
                    .isZero();
            assertThat(live.get("counts").get("planned").asLong()).isEqualTo(DATA.changedKeys());
            assertThat(live.get("restartable").asBoolean()).isFalse();
            assertThat(live.get("reason").stringValue()).isEqualTo("running now");
            assertThat(json.get("jobs")).singleElement().satisfies(j -> {
                assertThat(j.get("job").stringValue()).isEqualTo("live");
                assertThat(j.get("lastCompleted").isNull())
                        .as("no run of it completed")
                        .isTrue();
            });

            sync.terminate();
            assertThat(sync.waitFor(Duration.ofMinutes(2))).as(sync.output()).isEqualTo(143);
            Map<String, Long> states = states();
            String output = sync.output();
            assertThat(output)
                    .contains(
                            "execution " + executionId + " (run ",
                            " of job 'live': STOPPED (FAILED)",
                            String.format(
                                    Locale.ROOT,
                                    "  updates: %,d planned, %,d applied, %,d rejected by the OMS, %,d unknown, %,d held, %,d pending",
                                    DATA.changedKeys(),
                                    states.getOrDefault("APPLIED", 0L),
                                    states.getOrDefault("REJECTED", 0L),
                                    states.getOrDefault("UNKNOWN", 0L) + states.getOrDefault("IN_FLIGHT", 0L),
                                    states.getOrDefault("HELD", 0L),
                                    states.getOrDefault("PENDING", 0L)),
                            "restart --last-failed --job "
                                    + job.toAbsolutePath().normalize(),
                            "restart --execution " + executionId);
            assertThat(output.indexOf("restart --last-failed --job"))
                    .as("the restart command follows the summary")
                    .isGreaterThan(output.indexOf(" of job 'live': STOPPED"));
            assertThat(states.get("PENDING")).as("stopped partway").isPositive();

            Matcher stopped = row(status("status"), executionId);
            assertThat(stopped.group("status")).isEqualTo("STOPPED (send)");
            assertThat(Long.parseLong(stopped.group("planned"))).isEqualTo(DATA.changedKeys());
            assertThat(Long.parseLong(stopped.group("applied"))).isEqualTo(states.getOrDefault("APPLIED", 0L));
            assertThat(Long.parseLong(stopped.group("omsRejected"))).isEqualTo(states.getOrDefault("REJECTED", 0L));
            assertThat(Long.parseLong(stopped.group("unknown"))).isEqualTo(states.getOrDefault("UNKNOWN", 0L));
            assertThat(Long.parseLong(stopped.group("held"))).isEqualTo(states.getOrDefault("HELD", 0L));
            assertThat(stopped.group("restartable")).isEqualTo("yes");

            JsonNode counts = execution(json(status("status", "--format", "json")), executionId)
                    .get("counts");
            assertThat(counts.get("read").asLong()).isEqualTo((long) DATA.skus() * DATA.locations());
            assertThat(counts.get("staged").asLong()).isEqualTo(count("select count(*) from snapshot_row"));
            assertThat(counts.get("rejected").asLong()).isEqualTo(count("select count(*) from rejected_row"));
            assertThat(counts.get("planned").asLong())
                    .isEqualTo(
                            states.values().stream().mapToLong(Long::longValue).sum());
            assertThat(counts.get("applied").asLong()).isEqualTo(states.getOrDefault("APPLIED", 0L));
            assertThat(counts.get("rejectedByOms").asLong()).isEqualTo(states.getOrDefault("REJECTED", 0L));
            assertThat(counts.get("unknown").asLong()).isEqualTo(states.getOrDefault("UNKNOWN", 0L));
            assertThat(counts.get("inFlight").asLong()).isEqualTo(states.getOrDefault("IN_FLIGHT", 0L));
            assertThat(counts.get("held").asLong()).isEqualTo(states.getOrDefault("HELD", 0L));
            assertThat(counts.get("pending").asLong()).isEqualTo(states.getOrDefault("PENDING", 0L));
            assertThat(counts.get("skipped").asLong()).isEqualTo(states.getOrDefault("SKIPPED", 0L));
        }
    }

    private static final Pattern ROW =
            Pattern.compile("(?<id>\\d+) +(?<job>\\S+) +(?<status>[A-Z]+(?: \\([\\w-]+\\))?) +(?<exit>\\S+) +"
                    + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +(?<read>\\d+) +(?<rejected>\\d+) +(?<planned>\\d+) +(?<applied>\\d+) +"
                    + "(?<omsRejected>\\d+) +(?<unknown>\\d+) +(?<held>\\d+)  (?<restartable>.+)");

    private static Matcher row(String output, long executionId) {
        String line = output.lines()
                .filter(l -> l.startsWith(executionId + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row for execution " + executionId + " in\n" + output));
        Matcher m = ROW.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        return m;
    }

    /** The JSON document in a process's output; any log line before it (the output holds standard error too) is skipped. */
    private static JsonNode json(String output) {
        String document = output.startsWith("{") ? output : output.substring(output.indexOf("\n{") + 1);
        assertThat(document).as(output).startsWith("{");
        return JSON.readTree(document);
    }

    private static JsonNode execution(JsonNode status, long executionId) {
        for (JsonNode e : status.get("executions")) {
            if (e.get("id").asLong() == executionId) {
                return e;
            }
        }
        throw new AssertionError("no execution " + executionId + " in\n" + status);
    }

    /** What {@code status} with {@code args} printed, run as another process. */
    private String status(String... args) {
        try (ProductProcess status = ProductProcess.start(dir, properties(), args)) {
            assertThat(status.waitFor(Duration.ofMinutes(2)))
                    .as(status.output())
                    .isZero();
            return status.output();
        }
    }

    private Map<String, Long> states() {
        Map<String, Long> states = new HashMap<>();
        jdbc.query("select state, count(*) from planned_update where target = 'omni' group by state", rs -> {
            states.put(rs.getString(1), rs.getLong(2));
        });
        return states;
    }

    private static long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }

    private Map<String, String> properties() {
        return ProductSettings.create()
                .database(schema)
                .omni(sandbox)
                .output(dir.resolve("out"))
                .asMap();
    }
}
