package com.inventorysync.oms.kibo;

import static com.inventorysync.support.SyncFixtures.day1;
import static com.inventorysync.support.SyncFixtures.day2;
import static com.inventorysync.support.SyncFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.ExitCode;
import com.inventorysync.cli.RestartCommand;
import com.inventorysync.cli.StatusCommand;
import com.inventorysync.cli.SyncResultText;
import com.inventorysync.job.RunOutcome;
import com.inventorysync.job.SyncLauncher;
import com.inventorysync.sandbox.Mutation;
import com.inventorysync.sandbox.RequestRecord;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.support.SyncFixtures;
import com.inventorysync.support.SyncTestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sync job with a kibo section, end to end: CSV snapshot, PostgreSQL, the sandbox's Omni and Kibo over HTTP. */
@SpringBootTest
// Close the context after the class: a cached context keeps its connection pool open for the whole build.
@DirtiesContext
class KiboSyncJobTest {
    static final Map<String, String> KIBO_NAMES = Map.of("WH-00", "Main DC", "WH-01", "Second DC");

    @RegisterExtension
    static final SyncTestEnvironment env = SyncTestEnvironment.sandbox(seed())
            .omni()
            .kibo()
            .with("inventory-sync.kibo.poll-interval", "20ms")
            .with("inventory-sync.http.max-attempts", "3")
            .with("inventory-sync.http.initial-backoff", "5ms")
            .with("inventory-sync.http.max-backoff", "40ms")
            .clearing("kibo_request_item", "kibo_request");

    @TempDir
    Path dir;

    @Autowired
    SyncLauncher launcher;

    @Autowired
    RestartCommand restartCommand;

    @Autowired
    StatusCommand statusCommand;

    @Autowired
    KiboClients kiboClients;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        env.registerWith(registry);
    }

    static SandboxSeed seed() {
        SandboxSeed.Builder seed = SandboxSeed.builder()
                .kiboJobDelayMillis(20)
                .location("WH-00", "Warehouse")
                .location("WH-01", "Warehouse")
                .location("STORE-01", "Store")
                .kiboLocation("Main DC", "WH-00")
                .kiboLocation("Second DC", "WH-01");
        for (int i = 0; i < SyncFixtures.SKUS.size(); i++) {
            seed.sku(SyncFixtures.SKUS.get(i), "0840000000" + i, "PN-" + i);
        }
        return seed.build();
    }

    @BeforeEach
    void cleanSlate() {
        kiboClients.reset();
    }

    private Path definition(String name, boolean withOmni, String kiboExtra) {
        return SyncFixtures.write(dir.resolve(name + ".yml"), """
                name: %s
                source: {type: csv}
                %s
                kibo:
                  identifier: sku
                  locations: {WH-00: "Main DC", WH-01: "Second DC"}
                %s
                guard: {max-changed-share: 0.5, max-zeroed-share: 0.2}
                skip-limit: 100
                chunk-size: 5
                """.formatted(
                        name, withOmni ? "omni: {policy: ABSOLUTE, missing: KEEP}" : "", kiboExtra));
    }

    @Test
    void aKiboRateLimitPacesTheRequestsUnderTheVendorsQuota() {
        env.sandbox().faults().rateLimit("kibo", 6);
        Path job = definition("kibo-paced", false, "  max-items: 4\n  batch-size: 4\n  rate-limit: 4");

        SyncLauncher.Result result = launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false);

        assertThat(result.outcome())
                .as(String.join("\n", SyncResultText.lines(result)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(env.sandbox().requestLog().stream().filter(r -> "kibo.refresh".equals(r.endpoint())))
                .as("16 items, 4 per request")
                .hasSize(4);
        assertThat(env.sandbox().requestLog())
                .as("4 requests a second (the token's beside them) never meet a quota of 6")
                .noneMatch(r -> r.status() == 429);
        assertThat(kiboClients.limiter().rate()).isEqualTo(4.0);
    }

    @Test
    void aKiboOnlyJobSyncsTheMappedLocationsAndTheNextDayOnlyWhatChanged() throws IOException {
        Path job = definition("kibo-only", false, "");
        SyncLauncher.Result first = launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false);
        assertThat(first.outcome())
                .as(String.join("\n", SyncResultText.lines(first)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertKiboHolds(day1());
        // STORE-01 is not a Kibo location of this job: its rows are rejected at ingest, and Omni is never called
        assertThat(env.sandbox().requestLog()).noneMatch(r -> r.endpoint().startsWith("omni."));
        assertThat(SyncResultText.lines(first)).anyMatch(l -> l.contains("rows: 24 read = 16 staged + 8 rejected"));
        assertThat(SyncResultText.lines(first)).anyMatch(l -> l.contains("Kibo: 2 refresh request(s): 2 accepted"));
        assertThat(SyncResultText.lines(first))
                .anyMatch(
                        l -> l.matches(".*request \\d+: WH-00 -> Main DC #1, 8 items, ACCEPTED, job \\d+ COMPLETED.*"));
        Path summary = env.output()
                .resolve("kibo-only")
                .resolve(String.valueOf(first.executionId()))
                .resolve("summary.txt");
        assertThat(Files.readString(summary)).contains("Kibo: 2 refresh request(s)");
        int afterDay1 = env.sandbox().mutationLog().size();

        SyncLauncher.Result second = launcher.sync(job, snapshot(dir, "day2.csv", day2()), false, false);
        assertThat(second.outcome())
                .as(String.join("\n", SyncResultText.lines(second)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertKiboHolds(day2());
        List<Mutation> day2Mutations = env.sandbox()
                .mutationLog()
                .subList(afterDay1, env.sandbox().mutationLog().size());
        assertThat(day2Mutations)
                .extracting(m -> m.sku() + "@" + m.location() + "=" + m.after())
                .containsExactlyInAnyOrder("SKU-A@Main DC=4", "SKU-F@Main DC=61", "SKU-B@Second DC=35");

        ByteArrayOutputStream status = new ByteArrayOutputStream();
        assertThat(statusCommand.run(List.of(), new PrintStream(status, true, StandardCharsets.UTF_8)))
                .isZero();
        String statusText = status.toString(StandardCharsets.UTF_8);
        List<Long> jobIds = jdbc.queryForList("select job_id from kibo_request", Long.class);
        assertThat(jobIds).hasSize(4);
        jobIds.forEach(id -> assertThat(statusText).contains("job " + id + " COMPLETED"));
    }

    @Test
    void theSnapshotsOptionalKiboFieldsAreSentAndABadOneRejectsOnlyItsItem() {
        Path job = definition("fields", false, "");
        Path csv = SyncFixtures.write(dir.resolve("fields.csv"), """
                sku,location,on_hand,safety_stock,bin_id,inventory_locator,retail_price,attributes
                SKU-A,WH-00,5,2,3,A-01,19.99,red|large
                SKU-B,WH-00,6,,0,,,
                SKU-C,WH-01,7,1,,,,
                """);
        SyncLauncher.Result run = launcher.sync(job, csv, false, false);
        assertThat(run.outcome())
                .as(String.join("\n", SyncResultText.lines(run)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(env.sandbox().kiboQuantity("Main DC", "SKU-A")).isEqualTo(5);
        assertThat(env.sandbox().kiboQuantity("Second DC", "SKU-C")).isEqualTo(7);
        assertThat(env.sandbox().kiboQuantity("Main DC", "SKU-B")).isNull();
        assertThat(jdbc.queryForObject(
                        "select vendor_message from planned_update where target = 'kibo' and sku = 'SKU-B'",
                        String.class))
                .isEqualTo("not sent: bin_id must be >= 1, was 0");
        assertThat(
                        jdbc.queryForMap(
                                "select ri.safety_stock, ri.bin_id, ri.inventory_locator, ri.retail_price, ri.attributes "
                                        + "from kibo_request_item ri join planned_update pu on pu.id = ri.planned_update_id where pu.sku = 'SKU-A'"))
                .containsEntry("safety_stock", "2")
                .containsEntry("bin_id", "3")
                .containsEntry("inventory_locator", "A-01")
                .containsEntry("retail_price", "19.99")
                .containsEntry("attributes", "red|large");
        assertThat(jdbc.queryForObject("select count(*) from kibo_snapshot_field", Integer.class))
                .isZero();
        assertThat(SyncResultText.lines(run)).anyMatch(l -> l.contains("REJECTED=1"));
    }

    @Test
    void aNulInAnOptionalKiboFieldRejectsOnlyItsRowAndTheOthersAreSent() {
        Path job = definition("control", false, "");
        Path csv = SyncFixtures.write(
                dir.resolve("control.csv"),
                "sku,location,on_hand,inventory_locator\nSKU-A,WH-00,5,A-01\nSKU-B,WH-00,6,B-\u000001\nSKU-C,WH-01,7,\n");
        SyncLauncher.Result run = launcher.sync(job, csv, false, false);
        assertThat(run.outcome())
                .as(String.join("\n", SyncResultText.lines(run)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(env.sandbox().kiboQuantity("Main DC", "SKU-A")).isEqualTo(5);
        assertThat(env.sandbox().kiboQuantity("Second DC", "SKU-C")).isEqualTo(7);
        assertThat(env.sandbox().kiboQuantity("Main DC", "SKU-B")).isNull();
        assertThat(jdbc.queryForMap("select line_no, field, reason from rejected_row where sku = 'SKU-B'"))
                .containsEntry("line_no", 3L)
                .containsEntry("field", "inventory_locator")
                .containsEntry("reason", "inventory_locator holds the control character U+0000 at position 3");
    }

    @Test
    void aJobWithBothTargetsSyncsOmniThenKibo() {
        Path job = definition("both", true, "");
        SyncLauncher.Result run = launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false);
        assertThat(run.outcome())
                .as(String.join("\n", SyncResultText.lines(run)))
                .isEqualTo(RunOutcome.COMPLETED);
        day1().forEach((key, count) -> assertThat(env.sandbox().omniOnHand(key.get(0), key.get(1)))
                .as(key.toString())
                .isEqualTo(count));
        assertKiboHolds(day1());
        List<RequestRecord> log = env.sandbox().requestLog();
        int lastOmniPut = lastIndexOf(log, "omni.onhand.put");
        int firstRefresh = log.stream().map(RequestRecord::endpoint).toList().indexOf("kibo.refresh");
        assertThat(firstRefresh).isGreaterThan(lastOmniPut);
    }

    @Test
    void aFullRefreshOnDemandResendsEveryKeyOfTheNamedLocation() {
        Path job = definition("refresh", false, "");
        assertThat(launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false)
                        .outcome())
                .isEqualTo(RunOutcome.COMPLETED);
        SyncLauncher.Result unknown = launcher.sync(job, snapshot(dir, "day1b.csv", day1()), false, true, "WH-99");
        assertThat(unknown.outcome()).isEqualTo(RunOutcome.BAD_INPUT);
        assertThat(SyncResultText.lines(unknown)).anyMatch(l -> l.contains("not a kibo location of this job: [WH-99]"));

        int before = env.sandbox().mutationLog().size();
        SyncLauncher.Result refresh = launcher.sync(job, snapshot(dir, "day1c.csv", day1()), false, true, "WH-00");
        assertThat(refresh.outcome())
                .as(String.join("\n", SyncResultText.lines(refresh)))
                .isEqualTo(RunOutcome.COMPLETED);
        List<Mutation> sent = env.sandbox()
                .mutationLog()
                .subList(before, env.sandbox().mutationLog().size());
        assertThat(sent).hasSize(8).allMatch(m -> m.location().equals("Main DC"));
    }

    @Test
    void aKiboOutageFailsTheRunAndRestartSendsKiboWithoutResendingOmniOrAnyAcceptedRequest() {
        Path job = definition("outage", true, "  max-items: 4\n  batch-size: 2");
        env.sandbox().faults().unavailable("kibo.refresh", 1.0);
        SyncLauncher.Result failed = launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false);
        assertThat(failed.outcome())
                .as(String.join("\n", SyncResultText.lines(failed)))
                .isEqualTo(RunOutcome.FAILED);
        day1().forEach((key, count) ->
                assertThat(env.sandbox().omniOnHand(key.get(0), key.get(1))).isEqualTo(count));
        int omniPuts = (int) env.sandbox().requestLog().stream()
                .filter(r -> r.endpoint().equals("omni.onhand.put") && r.status() == 204)
                .count();

        env.sandbox().faults().clear();
        ByteArrayOutputStream restartOut = new ByteArrayOutputStream();
        int code = restartCommand.run(
                List.of("--execution", String.valueOf(failed.executionId())),
                new PrintStream(restartOut, true, StandardCharsets.UTF_8));
        assertThat(code).as(restartOut.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCode.COMPLETED);
        assertKiboHolds(day1());
        assertThat(env.sandbox().requestLog().stream()
                        .filter(r -> r.endpoint().equals("omni.onhand.put") && r.status() == 204)
                        .count())
                .isEqualTo(omniPuts);
        Map<String, Long> acceptedPosts = env.sandbox().requestLog().stream()
                .filter(r -> r.endpoint().equals("kibo.refresh") && r.status() == 200)
                .collect(Collectors.groupingBy(RequestRecord::requestId, Collectors.counting()));
        assertThat(acceptedPosts)
                .hasSize(4)
                .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
    }

    @Test
    void aKiboJobThatFailsOrCompletesWithErrorsMovesNothingAndTheNextRunSendsItsItemsAgain() {
        Path job = definition("kibo-job-failures", false, "");
        env.sandbox().failNextKiboJobs(1); // the run's first job: Main DC's
        SyncLauncher.Result first = launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false);
        assertThat(first.outcome())
                .as(String.join("\n", SyncResultText.lines(first)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(SyncResultText.lines(first))
                .anyMatch(l -> l.matches(".*WH-00 -> Main DC #1, 8 items, ACCEPTED, job \\d+ FAILED.*"));
        SyncFixtures.SKUS.forEach(
                sku -> assertThat(env.sandbox().kiboQuantity("Main DC", sku)).isNull());
        assertThat(env.sandbox().kiboQuantity("Second DC", "SKU-B")).isEqualTo(21);
        assertThat(jdbc.queryForList(
                        "select distinct state || ': ' || vendor_message from planned_update "
                                + "where target = 'kibo' and location = 'WH-00'",
                        String.class))
                .singleElement()
                .asString()
                .matches("NOT_APPLIED: Kibo job \\d+ ended FAILED");
        assertThat(jdbc.queryForObject(
                        "select count(*) from synced_position where target = 'kibo' and location = 'WH-00'",
                        Long.class))
                .isZero();

        // Day 2: Main DC's eight keys go out again (none was synced), and that job completes with 2 errors.
        env.sandbox().nextKiboJobWithErrors(2);
        SyncLauncher.Result second = launcher.sync(job, snapshot(dir, "day2.csv", day2()), false, false);
        assertThat(second.outcome())
                .as(String.join("\n", SyncResultText.lines(second)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(SyncResultText.lines(second))
                .anyMatch(l -> l.matches(
                        ".*WH-00 -> Main DC #1, 8 items, ACCEPTED, job \\d+ COMPLETED \\(8 processed, 2 errors\\).*"));
        assertThat(jdbc.queryForList(
                        "select distinct state from planned_update p where target = 'kibo' and location = 'WH-00' "
                                + "and run_id = (select max(run_id) from planned_update)",
                        String.class))
                .containsExactly("NOT_APPLIED");

        // Kibo cannot say which items erred, so the next run sends all eight again, and Kibo ends holding day 2.
        SyncLauncher.Result third = launcher.sync(job, snapshot(dir, "day2-again.csv", day2()), false, true);
        assertThat(third.outcome())
                .as(String.join("\n", SyncResultText.lines(third)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(SyncResultText.lines(third))
                .anyMatch(l -> l.matches(
                        ".*WH-00 -> Main DC #1, 8 items, ACCEPTED, job \\d+ COMPLETED \\(8 processed, 0 errors\\).*"));
        assertKiboHolds(day2());
    }

    private void assertKiboHolds(Map<List<String>, Integer> counts) {
        counts.forEach((key, count) -> {
            String name = KIBO_NAMES.get(key.get(1));
            if (name != null) {
                assertThat(env.sandbox().kiboQuantity(name, key.get(0)))
                        .as(key.toString())
                        .isEqualTo(count);
            }
        });
    }

    private static int lastIndexOf(List<RequestRecord> log, String endpoint) {
        for (int i = log.size() - 1; i >= 0; i--) {
            if (log.get(i).endpoint().equals(endpoint)) {
                return i;
            }
        }
        return -1;
    }
}
