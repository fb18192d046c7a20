package com.inventorysync.job;

import static com.inventorysync.support.SyncFixtures.day1;
import static com.inventorysync.support.SyncFixtures.day2;
import static com.inventorysync.support.SyncFixtures.definition;
import static com.inventorysync.support.SyncFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.inventorysync.cli.RestartCommand;
import com.inventorysync.cli.SyncResultText;
import com.inventorysync.sandbox.Mutation;
import com.inventorysync.support.SyncFixtures;
import com.inventorysync.support.SyncTestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The nightly sync end to end: real PostgreSQL, the sandbox OMS over HTTP, real files. */
@SpringBootTest
class SyncJobFunctionalTest {
    @RegisterExtension
    static final SyncTestEnvironment env =
            SyncTestEnvironment.sandbox(SyncFixtures.seed()).omni().newStore().fastRetries();

    @TempDir
    Path dir;

    @Autowired
    SyncLauncher launcher;

    @Autowired
    RestartCommand restartCommand;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        env.registerWith(registry);
    }

    @Test
    void absolutePolicyDay1ThenDay2LeavesTheOmsHoldingTheSnapshotAndDay2SendsOnlyChangedKeys() {
        Path job = definition(dir, "abs", "ABSOLUTE", "KEEP", null);
        SyncLauncher.Result first = launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false);
        assertThat(first.outcome())
                .as(String.join("\n", SyncResultText.lines(first)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertOmsHolds(day1());
        int afterDay1 = env.sandbox().mutationLog().size();
        assertThat(afterDay1).isEqualTo(24);

        SyncLauncher.Result second = launcher.sync(job, snapshot(dir, "day2.csv", day2()), false, false);
        assertThat(second.outcome())
                .as(String.join("\n", SyncResultText.lines(second)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertOmsHolds(day2());
        List<Mutation> day2Mutations = env.sandbox()
                .mutationLog()
                .subList(afterDay1, env.sandbox().mutationLog().size());
        assertThat(day2Mutations)
                .hasSize(5)
                .allSatisfy(m -> assertThat(m.type()).isEqualTo("Absolute"));
        assertThat(summaryOf(second).get("unchanged")).isEqualTo(19L);
        assertThat(summaryOf(second).get("applied")).isEqualTo(5L);
        assertEveryPlannedUpdateAppliedAtMostOnce();
    }

    @Test
    void deltaPolicyDay1SetsAbsoluteBaselinesThenDay2SendsDeltasOfTheChanges() {
        Path job = definition(dir, "delta", "DELTA", "KEEP", "  location-policies: {STORE-01: ABSOLUTE}");
        assertThat(launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false)
                        .outcome())
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(env.sandbox().mutationLog())
                .allSatisfy(m -> assertThat(m.type()).isEqualTo("Absolute"));
        int afterDay1 = env.sandbox().mutationLog().size();

        SyncLauncher.Result second = launcher.sync(job, snapshot(dir, "day2.csv", day2()), false, false);
        assertThat(second.outcome())
                .as(String.join("\n", SyncResultText.lines(second)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertOmsHolds(day2());
        List<Mutation> day2Mutations = env.sandbox()
                .mutationLog()
                .subList(afterDay1, env.sandbox().mutationLog().size());
        assertThat(day2Mutations).hasSize(5);
        Map<String, String> typeByKey = new HashMap<>();
        day2Mutations.forEach(m -> typeByKey.put(m.sku() + "@" + m.location(), m.type() + ":" + m.quantity()));
        assertThat(typeByKey)
                .containsEntry("SKU-A@WH-00", "Delta:-6")
                .containsEntry("SKU-B@WH-01", "Delta:14")
                .containsEntry("SKU-F@WH-00", "Delta:1")
                .containsEntry("SKU-C@STORE-01", "Absolute:0")
                .containsEntry("SKU-H@STORE-01", "Absolute:100");
        // the on-hand read just before each Delta was sent is kept as the evidence for resolving unknown outcomes
        assertThat(jdbc.queryForObject(
                        "select observed_before from planned_update where sku = 'SKU-A' and location = 'WH-00' "
                                + "and quantity_type = 'Delta'",
                        Integer.class))
                .isEqualTo(10);
        assertEveryPlannedUpdateAppliedAtMostOnce();
    }

    @Test
    void missingKeysAreSetToZeroUnderTheZeroPolicyAndKeptUnderKeep() {
        Map<List<String>, Integer> day2 = new java.util.LinkedHashMap<>(day1());
        day2.remove(List.of("SKU-D", "WH-01"));
        Path zero = definition(dir, "zero", "DELTA", "ZERO", null);
        assertThat(launcher.sync(zero, snapshot(dir, "day1.csv", day1()), false, false)
                        .outcome())
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(launcher.sync(zero, snapshot(dir, "day2.csv", day2), false, false)
                        .outcome())
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(env.sandbox().omniOnHand("SKU-D", "WH-01")).isZero();
        Mutation last =
                env.sandbox().mutationLog().get(env.sandbox().mutationLog().size() - 1);
        assertThat(last.type() + ":" + last.quantity()).isEqualTo("Delta:-41");
    }

    @Test
    void badRowsAreRejectedWithReasonsAndCountedWhileGoodRowsSync() throws Exception {
        Path job = definition(dir, "bad", "ABSOLUTE", "KEEP", null);
        String csv = "\uFEFFsku,location,on_hand\n"
                + "SKU-A,WH-00,5\n" // 2 good (after a BOM)
                + "SKU-B,WH-00,-3\n" // 3 negative
                + "SKU-C,WH-00,lots\n" // 4 non-numeric
                + ",WH-00,4\n" // 5 empty SKU
                + "SKU-D,NOWHERE,4\n" // 6 unknown location
                + "SKU-E,OLD-01,4\n" // 7 inactive location
                + "SKU-F,WH-00,6\n" // 8 duplicate key
                + "SKU-F,WH-00,7\n" // 9 duplicate key
                + "\"SKU,COMMA\",WH-01,8\n" // 10 good: quoted comma
                + "SKU-G,WH-00,9,extra\n" // 11 too many columns
                + "\"SKU-H\",\"WH-01\",\"12\"\n"; // 12 good, quoted
        SyncLauncher.Result result = launcher.sync(job, SyncFixtures.write(dir.resolve("bad.csv"), csv), false, false);
        assertThat(result.outcome())
                .as(String.join("\n", SyncResultText.lines(result)))
                .isEqualTo(RunOutcome.COMPLETED);

        assertThat(env.sandbox().omniOnHand("SKU-A", "WH-00")).isEqualTo(5);
        assertThat(env.sandbox().omniOnHand("SKU,COMMA", "WH-01")).isEqualTo(8);
        assertThat(env.sandbox().omniOnHand("SKU-H", "WH-01")).isEqualTo(12);
        assertThat(env.sandbox().omniOnHand("SKU-F", "WH-00")).isNull();

        Map<Long, String> reasons = new HashMap<>();
        jdbc.query("select line_no, reason from rejected_row", rs -> {
            reasons.put(rs.getLong(1), rs.getString(2));
        });
        assertThat(reasons).hasSize(8);
        assertThat(reasons.get(3L)).contains("negative");
        assertThat(reasons.get(4L)).contains("not a whole number");
        assertThat(reasons.get(5L)).contains("sku is empty");
        assertThat(reasons.get(6L)).contains("unknown location 'NOWHERE'");
        assertThat(reasons.get(7L)).contains("unknown location 'OLD-01'");
        assertThat(reasons.get(8L)).contains("duplicate key").contains("line 9");
        assertThat(reasons.get(9L)).contains("duplicate key").contains("line 8");
        assertThat(reasons.get(11L)).contains("4 fields, the header has 3");

        Map<String, Long> summary = summaryOf(result);
        assertThat(summary.get("rows_read")).isEqualTo(11L);
        assertThat(summary.get("rows_staged")).isEqualTo(3L);
        assertThat(summary.get("rows_rejected")).isEqualTo(8L);
        Path rejects = env.output()
                .resolve("bad")
                .resolve(Long.toString(result.executionId()))
                .resolve("rejects.csv");
        List<String> rejectLines = Files.readAllLines(rejects, StandardCharsets.UTF_8);
        assertThat(rejectLines).hasSize(9);
        assertThat(rejectLines.get(1)).contains("\"3\"").contains("SKU-B,WH-00,-3");
    }

    @Test
    void aHostileRejectedRowComesOutInertInTheRejectFile() throws Exception {
        Path job = definition(dir, "hostile", "ABSOLUTE", "KEEP", null);
        String csv = "sku,location,on_hand\n"
                + "SKU-A,WH-00,5\n"
                + "=HYPERLINK(\"http://x\"),WH-00,-1\n"
                + "@SUM(A1),NOWHERE,2\n";
        SyncLauncher.Result result =
                launcher.sync(job, SyncFixtures.write(dir.resolve("hostile.csv"), csv), false, false);
        assertThat(result.outcome())
                .as(String.join("\n", SyncResultText.lines(result)))
                .isEqualTo(RunOutcome.COMPLETED);

        Path rejects = env.output()
                .resolve("hostile")
                .resolve(Long.toString(result.executionId()))
                .resolve("rejects.csv");
        List<String> rejectLines = Files.readAllLines(rejects, StandardCharsets.UTF_8);
        assertThat(rejectLines).hasSize(3);
        // a spreadsheet shows a cell that starts with a single quote as text, never as a formula
        assertThat(rejectLines.get(1))
                .contains("\"'=HYPERLINK(\"\"http://x\"\"),WH-00,-1\"")
                .doesNotContain("\"=HYPERLINK");
        assertThat(rejectLines.get(2)).contains("\"'@SUM(A1),NOWHERE,2\"").doesNotContain("\"@SUM");
    }

    @Test
    void anUnbalancedQuoteRejectsItsLineAloneAndItsKeyIsNotZeroedWhileEveryOtherLineSyncs() throws Exception {
        Path job = definition(dir, "quote", "ABSOLUTE", "ZERO", null);
        assertThat(launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false)
                        .outcome())
                .isEqualTo(RunOutcome.COMPLETED);

        List<String> lines = new java.util.ArrayList<>(
                Files.readAllLines(snapshot(dir, "day2.csv", day2()), StandardCharsets.UTF_8));
        int badLine = lines.indexOf("SKU-D,WH-01,41") + 1;
        assertThat(badLine).isEqualTo(12);
        lines.set(badLine - 1, "\"SKU-D,WH-01,44,");
        Path day2 = SyncFixtures.write(dir.resolve("day2-quote.csv"), String.join("\n", lines) + "\n");

        SyncLauncher.Result result = launcher.sync(job, day2, false, false);
        assertThat(result.outcome())
                .as(String.join("\n", SyncResultText.lines(result)))
                .isEqualTo(RunOutcome.COMPLETED);
        List<Map<String, Object>> rejected =
                jdbc.queryForList("select line_no, reason, sku, location, raw_text from rejected_row");
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.get("line_no")).isEqualTo((long) badLine);
            assertThat((String) r.get("reason")).startsWith("unbalanced quote: field 1");
            assertThat(r.get("sku")).isEqualTo("SKU-D");
            assertThat(r.get("location")).isEqualTo("WH-01");
            assertThat(r.get("raw_text")).isEqualTo("\"SKU-D,WH-01,44,");
        });
        Map<List<String>, Integer> expected = new java.util.LinkedHashMap<>(day2());
        expected.put(List.of("SKU-D", "WH-01"), day1().get(List.of("SKU-D", "WH-01")));
        assertOmsHolds(expected);
        Map<String, Long> summary = summaryOf(result);
        assertThat(summary.get("rows_read")).isEqualTo(24L);
        assertThat(summary.get("rows_staged")).isEqualTo(23L);
        assertThat(summary.get("rows_rejected")).isEqualTo(1L);
        assertThat(jdbc.queryForObject("select count(*) from planned_update where change_kind = 'MISSING'", Long.class))
                .isZero();
        Path rejects = env.output()
                .resolve("quote")
                .resolve(Long.toString(result.executionId()))
                .resolve("rejects.csv");
        assertThat(Files.readAllLines(rejects, StandardCharsets.UTF_8))
                .hasSize(2)
                .last()
                .asString()
                .contains("\"12\"")
                .contains("unbalanced quote");
    }

    @Test
    void aNulInOneSkuRejectsThatRowOnPostgresAndTheRestSyncs() throws Exception {
        Path job = definition(dir, "nul", "ABSOLUTE", "ZERO", null);
        assertThat(launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false)
                        .outcome())
                .isEqualTo(RunOutcome.COMPLETED);

        List<String> lines = new java.util.ArrayList<>(
                Files.readAllLines(snapshot(dir, "day2.csv", day2()), StandardCharsets.UTF_8));
        int badLine = lines.indexOf("SKU-E,WH-00,50") + 1;
        lines.set(badLine - 1, "SKU-\u0000E,WH-00,77");
        Path day2 = SyncFixtures.write(dir.resolve("day2-nul.csv"), String.join("\n", lines) + "\n");

        SyncLauncher.Result result = launcher.sync(job, day2, false, false);
        assertThat(result.outcome())
                .as(String.join("\n", SyncResultText.lines(result)))
                .isEqualTo(RunOutcome.COMPLETED);
        List<Map<String, Object>> rejected =
                jdbc.queryForList("select line_no, field, reason, sku, location, raw_text from rejected_row");
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.get("line_no")).isEqualTo((long) badLine);
            assertThat(r.get("field")).isEqualTo("sku");
            assertThat((String) r.get("reason")).isEqualTo("sku holds the control character U+0000 at position 5");
            assertThat(r.get("raw_text")).isEqualTo("SKU-\\u0000E,WH-00,77");
            assertThat(r.get("sku")).isEqualTo("SKU-E");
        });
        Map<List<String>, Integer> expected = new java.util.LinkedHashMap<>(day2());
        expected.put(List.of("SKU-E", "WH-00"), day1().get(List.of("SKU-E", "WH-00")));
        assertOmsHolds(expected);
        assertThat(summaryOf(result).get("rows_read")).isEqualTo(24L);
        Path rejects = env.output()
                .resolve("nul")
                .resolve(Long.toString(result.executionId()))
                .resolve("rejects.csv");
        assertThat(Files.readString(rejects, StandardCharsets.UTF_8))
                .contains("SKU-\\u0000E,WH-00,77")
                .doesNotContain("\u0000");
    }

    @Test
    void aNanGuardShareIsRefusedAsBadInputNamingTheKeyAndNothingIsSent() {
        Path job = definition(dir, "nan", "ABSOLUTE", "ZERO", null);
        assertThat(launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false)
                        .outcome())
                .isEqualTo(RunOutcome.COMPLETED);
        int before = env.sandbox().mutationLog().size();
        for (String nan : List.of(".nan", "NaN")) {
            Path spoiled = SyncFixtures.write(dir.resolve("nan-" + nan.length() + ".yml"), """
                    name: nan
                    omni: {policy: ABSOLUTE, missing: ZERO}
                    guard: {max-changed-share: 0.5, max-zeroed-share: %s}
                    """.formatted(nan));
            SyncLauncher.Result result = launcher.sync(
                    spoiled,
                    SyncFixtures.write(dir.resolve("header-only.csv"), "sku,location,on_hand\n"),
                    false,
                    false);
            assertThat(result.outcome())
                    .as(String.join("\n", SyncResultText.lines(result)))
                    .isEqualTo(RunOutcome.BAD_INPUT);
            assertThat(String.join("\n", SyncResultText.lines(result)))
                    .contains(spoiled.toString())
                    .contains("guard.max-zeroed-share");
        }
        assertThat(env.sandbox().mutationLog()).hasSize(before);
        assertOmsHolds(day1());
    }

    @Test
    void tooManyBadRowsFailTheRunAsBadInputBeforeAnythingIsSent() {
        Path job = SyncFixtures.write(dir.resolve("strict.yml"), """
                name: strict
                omni: {policy: ABSOLUTE}
                skip-limit: 1
                """);
        SyncLauncher.Result result = launcher.sync(
                job,
                SyncFixtures.write(
                        dir.resolve("s.csv"), "sku,location,on_hand\nSKU-A,WH-00,x\nSKU-B,WH-00,y\nSKU-C,WH-00,1\n"),
                false,
                false);
        assertThat(result.outcome()).isEqualTo(RunOutcome.BAD_INPUT);
        assertThat(String.join("\n", SyncResultText.lines(result)))
                .contains("2 of 3 rows rejected, more than skip-limit 1");
        assertThat(env.sandbox().mutationLog()).isEmpty();
    }

    @Test
    void aSnapshotWithoutTheMappedColumnsIsRefusedAsBadInput() {
        Path job = definition(dir, "cols", "ABSOLUTE", "KEEP", null);
        SyncLauncher.Result result = launcher.sync(
                job, SyncFixtures.write(dir.resolve("c.csv"), "Item,Site,Qty\nSKU-A,WH-00,1\n"), false, false);
        assertThat(result.outcome()).isEqualTo(RunOutcome.BAD_INPUT);
        assertThat(SyncResultText.lines(result).get(0)).contains("no column 'sku'");

        Path mapped = SyncFixtures.write(dir.resolve("mapped.yml"), """
                name: mapped
                source: {type: csv, columns: {sku: Item, location: Site, on_hand: Qty}}
                omni: {policy: ABSOLUTE}
                """);
        assertThat(launcher.sync(mapped, dir.resolve("c.csv"), false, false).outcome())
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(env.sandbox().omniOnHand("SKU-A", "WH-00")).isEqualTo(1);
    }

    @Test
    void theGuardRefusesATruncatedSnapshotAndForcePassesIt() {
        Path job = definition(dir, "guard", "ABSOLUTE", "ZERO", null);
        assertThat(launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false)
                        .outcome())
                .isEqualTo(RunOutcome.COMPLETED);
        int before = env.sandbox().mutationLog().size();
        Map<List<String>, Integer> truncated = new java.util.LinkedHashMap<>();
        day1().entrySet().stream().limit(10).forEach(e -> truncated.put(e.getKey(), e.getValue()));
        Path file = snapshot(dir, "truncated.csv", truncated);

        SyncLauncher.Result refused = launcher.sync(job, file, false, false);
        assertThat(refused.outcome()).isEqualTo(RunOutcome.REFUSED_BY_GUARD);
        assertThat(String.join("\n", SyncResultText.lines(refused)))
                .contains("14 of the 24 positions last synced (58.3%)")
                .contains("max-changed-share 50.0%");
        assertThat(env.sandbox().mutationLog()).hasSize(before);

        SyncLauncher.Result dryRun = launcher.sync(job, file, true, true);
        assertThat(dryRun.outcome()).isEqualTo(RunOutcome.COMPLETED);
        assertThat(dryRun.exitStatus()).isEqualTo(SyncExitCodes.DRY_RUN);
        assertThat(env.output()
                        .resolve("guard")
                        .resolve(Long.toString(dryRun.executionId()))
                        .resolve("plan.csv"))
                .content()
                .hasLineCount(15);
        assertThat(env.sandbox().mutationLog()).hasSize(before);

        SyncLauncher.Result forced = launcher.sync(job, file, false, true);
        assertThat(forced.outcome())
                .as(String.join("\n", SyncResultText.lines(forced)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(env.sandbox().omniOnHand("SKU-H", "STORE-01")).isZero();
    }

    @Test
    void aSnapshotThatAlreadyCompletedIsRefusedNamingTheEarlierExecutionUnlessForced() {
        Path job = definition(dir, "again", "ABSOLUTE", "KEEP", null);
        Path file = snapshot(dir, "day1.csv", day1());
        SyncLauncher.Result first = launcher.sync(job, file, false, false);
        assertThat(first.outcome()).isEqualTo(RunOutcome.COMPLETED);
        SyncLauncher.Result again = launcher.sync(job, file, false, false);
        assertThat(again.outcome()).isEqualTo(RunOutcome.BAD_INPUT);
        assertThat(SyncResultText.lines(again).get(0))
                .contains("already synced")
                .contains("execution " + first.executionId());
        assertThat(again.report())
                .isInstanceOfSatisfying(
                        SyncLauncher.Refused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(SyncLauncher.Refusal.ALREADY_SYNCED));
        SyncLauncher.Result forced = launcher.sync(job, file, false, true);
        assertThat(forced.outcome()).isEqualTo(RunOutcome.COMPLETED);
        assertThat(summaryOf(forced).get("planned")).isZero();
    }

    @Test
    void updatesTheOmsRefusesAreRecordedAsRejectedWithItsMessageAndNeverRetried() {
        Path job = definition(dir, "reject", "ABSOLUTE", "KEEP", null);
        SyncLauncher.Result result = launcher.sync(
                job,
                SyncFixtures.write(
                        dir.resolve("r.csv"),
                        "sku,location,on_hand\nSKU-A,WH-00,5\nNOT-IN-CATALOG,WH-00,3\nSKU-B,WH-00,6\n"),
                false,
                false);
        assertThat(result.outcome())
                .as(String.join("\n", SyncResultText.lines(result)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(
                        jdbc.queryForMap(
                                "select state, vendor_status, vendor_message, attempts from planned_update where sku = 'NOT-IN-CATALOG'"))
                .containsEntry("state", "REJECTED")
                .containsEntry("vendor_status", 404)
                .containsEntry("attempts", 1)
                .extractingByKey("vendor_message")
                .asString()
                .contains("Unknown SKU");
        assertThat(env.sandbox().omniOnHand("SKU-B", "WH-00")).isEqualTo(6);
        assertThat(summaryOf(result).get("rejected_by_oms")).isEqualTo(1L);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(
                                env.sandbox().requestLog().stream().filter(r -> r.status() == 404))
                        .hasSize(1));
    }

    @Test
    void stormsOf503And429AreRetriedToSuccess() {
        Path job = definition(dir, "storm", "DELTA", "KEEP", null);
        env.sandbox().faults().unavailable("omni.onhand.put", 0.3).tooManyRequests("omni.onhand.put", 0.3, 1);
        assertThat(launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false)
                        .outcome())
                .isEqualTo(RunOutcome.COMPLETED);
        SyncLauncher.Result second = launcher.sync(job, snapshot(dir, "day2.csv", day2()), false, false);
        assertThat(second.outcome())
                .as(String.join("\n", SyncResultText.lines(second)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertOmsHolds(day2());
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(env.sandbox().requestLog())
                        .anyMatch(r -> r.status() == 503)
                        .anyMatch(r -> r.status() == 429));
        assertEveryPlannedUpdateAppliedAtMostOnce();
    }

    @Test
    void aRunFailedByAnOutageRestartsAndCompletesWithoutResendingAppliedUpdates() {
        Path job = definition(dir, "outage", "ABSOLUTE", "KEEP", null);
        env.sandbox().faults().latency("omni.onhand.put", 40, 0);
        CompletableFuture<SyncLauncher.Result> run = CompletableFuture.supplyAsync(
                () -> launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> env.sandbox().mutationLog().size() >= 8);
        env.sandbox().faults().unavailable("omni.onhand.put", 1.0);
        SyncLauncher.Result failed = run.join();
        assertThat(failed.outcome())
                .as(String.join("\n", SyncResultText.lines(failed)))
                .isEqualTo(RunOutcome.FAILED);
        int appliedBeforeRestart = env.sandbox().mutationLog().size();
        assertThat(appliedBeforeRestart).isBetween(8, 23);
        // The failed step waited for the requests already out: nothing is left in flight, and what
        // was never sent went back to PENDING untried.
        assertThat(jdbc.queryForList("select state from planned_update where state not in ('APPLIED', 'PENDING')"))
                .isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from planned_update where state = 'APPLIED'", Integer.class))
                .isEqualTo(appliedBeforeRestart);

        env.sandbox().faults().clear();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int exit = restartCommand.run(List.of("--last-failed"), new PrintStream(text, true, StandardCharsets.UTF_8));
        assertThat(exit).as(text.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("restarting execution " + failed.executionId());
        assertOmsHolds(day1());
        assertThat(env.sandbox().mutationLog()).hasSize(24);
        assertEveryPlannedUpdateAppliedAtMostOnce();
    }

    @Test
    void theSendStepEndsOnlyOnceEveryOutcomeIsRecordedWhetherTheLastChunkIsFullOrPartial() {
        Path job = definition(dir, "drain", "ABSOLUTE", "KEEP", null);
        env.sandbox().faults().latency("omni.onhand.put", 30, 0);
        // Day 1: 24 keys in chunks of 5, the last one partial; day 2: 5 changed keys, one full chunk.
        for (Map.Entry<String, Map<List<String>, Integer>> day :
                List.of(Map.entry("day1.csv", day1()), Map.entry("day2.csv", day2()))) {
            SyncLauncher.Result result = launcher.sync(job, snapshot(dir, day.getKey(), day.getValue()), false, false);
            assertThat(result.outcome())
                    .as(String.join("\n", SyncResultText.lines(result)))
                    .isEqualTo(RunOutcome.COMPLETED);
            assertOmsHolds(day.getValue());
            long runId = jdbc.queryForObject("select max(run_id) from planned_update", Long.class);
            assertThat(jdbc.queryForList(
                            "select distinct state from planned_update where run_id = ?", String.class, runId))
                    .containsExactly("APPLIED");
            java.sql.Timestamp sendEnded = jdbc.queryForObject(
                    "select end_time from batch_step_execution " + "where job_execution_id = ? and step_name = 'send'",
                    java.sql.Timestamp.class,
                    result.executionId());
            java.sql.Timestamp lastOutcome = jdbc.queryForObject(
                    "select max(updated_at) from planned_update where run_id = ?", java.sql.Timestamp.class, runId);
            assertThat(lastOutcome).isBeforeOrEqualTo(sendEnded);
        }
        assertEveryPlannedUpdateAppliedAtMostOnce();
    }

    @Test
    void storeCountsAreNotSentWhileNewStoreMastersStoreInventory() {
        Path job = definition(dir, "mastered", "ABSOLUTE", "KEEP", "newstore: {store-mastership: true}");
        SyncLauncher.Result result = launcher.sync(job, snapshot(dir, "day1.csv", day1()), false, false);
        assertThat(result.outcome())
                .as(String.join("\n", SyncResultText.lines(result)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(env.sandbox().omniOnHand("SKU-B", "STORE-01")).isNull();
        assertThat(env.sandbox().omniOnHand("SKU-B", "WH-01")).isEqualTo(21);
        assertThat(env.sandbox().mutationLog())
                .hasSize(16)
                .noneMatch(m -> m.location().equals("STORE-01"));
        assertThat(summaryOf(result).get("skipped_mastership")).isEqualTo(8L);
        assertThat(String.join("\n", SyncResultText.lines(result))).contains("8 skipped (mastered by NewStore)");
    }

    private void assertOmsHolds(Map<List<String>, Integer> expected) {
        expected.forEach((key, count) -> assertThat(env.sandbox().omniOnHand(key.get(0), key.get(1)))
                .as(key.toString())
                .isEqualTo(count));
    }

    /** No planned update reached the OMS twice: every applied mutation names a distinct planned update. */
    private void assertEveryPlannedUpdateAppliedAtMostOnce() {
        Set<String> seen = new HashSet<>();
        for (Mutation m : env.sandbox().mutationLog()) {
            assertThat(m.requestId()).startsWith("pu-");
            assertThat(seen.add(m.requestId()))
                    .as("applied twice: " + m.requestId())
                    .isTrue();
        }
    }

    private Map<String, Long> summaryOf(SyncLauncher.Result result) {
        Map<String, Object> row =
                jdbc.queryForMap("select * from sync_run_summary where job_execution_id = ?", result.executionId());
        Map<String, Long> counts = new HashMap<>();
        row.forEach((k, v) -> {
            if (v instanceof Number n) {
                counts.put(k.toLowerCase(java.util.Locale.ROOT), n.longValue());
            }
        });
        return counts;
    }
}
