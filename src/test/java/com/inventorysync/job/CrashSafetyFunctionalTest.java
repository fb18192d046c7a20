package com.inventorysync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.SyncResultText;
import com.inventorysync.oms.omni.OmniClient;
import com.inventorysync.oms.omni.PlannedUpdate;
import com.inventorysync.oms.omni.PlannedUpdateStore;
import com.inventorysync.oms.omni.UnknownOutcomeResolver;
import com.inventorysync.ops.HeldUpdates;
import com.inventorysync.sandbox.Mutation;
import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.support.GeneratedSnapshots;
import com.inventorysync.support.SyncFixtures;
import com.inventorysync.support.SyncTestEnvironment;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Delta is applied exactly once whatever the OMS does to the requests: answers lost after the
 * update was applied, 503s and 429s. Day 1 sets the baselines (Absolute), day 2 sends Deltas.
 */
@SpringBootTest
class CrashSafetyFunctionalTest {
    static final GeneratedSnapshots DATA = new GeneratedSnapshots(150, 4, 3);

    @RegisterExtension
    static final SyncTestEnvironment env = SyncTestEnvironment.sandbox(
                    SandboxOptions.of(DATA.seed(null)).withRandomSeed(42))
            .omni()
            .fastRetries();

    @TempDir
    Path dir;

    @Autowired
    SyncLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    OmniClient omni;

    @Autowired
    PlannedUpdateStore store;

    @Autowired
    HeldUpdates heldUpdates;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        env.registerWith(registry);
    }

    @Test
    void connectionsDroppedAfterTheUpdateWasAppliedNeverCountStockTwice() {
        syncDay1ThenDay2UnderDelta("dropped", faults -> faults.dropAfterApply("omni.onhand.put", 0.05));
        assertThat(env.sandbox().requestLog())
                .as("some answers were lost (status 0: connection closed)")
                .anyMatch(r -> r.status() == 0);
        assertThat(jdbc.queryForObject(
                        "select count(*) from planned_update where vendor_message like '%read back: applied%'",
                        Integer.class))
                .isPositive();
    }

    @Test
    void fivePercent503sAreRetriedAndEveryDeltaAppliedOnce() {
        syncDay1ThenDay2UnderDelta("unavailable", faults -> faults.unavailable("omni.onhand.put", 0.05));
        assertThat(env.sandbox().requestLog()).anyMatch(r -> r.status() == 503);
    }

    @Test
    void fivePercent429sAreRetriedAndEveryDeltaAppliedOnce() {
        syncDay1ThenDay2UnderDelta("throttled", faults -> faults.tooManyRequests("omni.onhand.put", 0.05, 0));
        assertThat(env.sandbox().requestLog()).anyMatch(r -> r.status() == 429);
    }

    @Test
    void readingBackSettlesUnknownDeltasAppliedNotAppliedOrHeld() {
        jdbc.update("insert into synced_position (target, sku, location, quantity, updated_at) values "
                + "('omni', 'SKU-000001', 'LOC-00', 10, current_timestamp), ('omni', 'SKU-000002', 'LOC-00', 10, current_timestamp), "
                + "('omni', 'SKU-000003', 'LOC-00', 10, current_timestamp)");
        env.sandbox().setOnHand("SKU-000001", "LOC-00", 15); // the +5 went through
        env.sandbox().setOnHand("SKU-000002", "LOC-00", 10); // it did not
        env.sandbox().setOnHand("SKU-000003", "LOC-00", 12); // something else moved the count
        for (int i = 1; i <= 3; i++) {
            jdbc.update(
                    "insert into planned_update (run_id, target, sku, location, change_kind, quantity_type, quantity, new_count, "
                            + "previous_count, state, observed_before, updated_at) values (7, 'omni', ?, 'LOC-00', 'CHANGED', 'Delta', 5, 15, 10, "
                            + "'UNKNOWN', 10, current_timestamp)",
                    "SKU-00000" + i);
        }
        List<PlannedUpdate> open = store.withUnknownOutcome(7, "omni");
        UnknownOutcomeResolver.Resolution r = new UnknownOutcomeResolver(omni, store).resolve(open);

        assertThat(r.applied()).isEqualTo(1);
        assertThat(r.held()).isEqualTo(1);
        assertThat(r.toResend()).extracting(PlannedUpdate::sku).containsExactly("SKU-000002");
        assertThat(stateOf("SKU-000001")).isEqualTo("APPLIED");
        assertThat(stateOf("SKU-000002")).isEqualTo("PENDING");
        assertThat(stateOf("SKU-000003")).isEqualTo("HELD");
        assertThat(jdbc.queryForObject(
                        "select vendor_message from planned_update where sku = 'SKU-000003'", String.class))
                .contains("before 10", "expected after 15", "now 12");
        assertThat(jdbc.queryForObject("select quantity from synced_position where sku = 'SKU-000001'", Integer.class))
                .isEqualTo(15);
        assertThat(jdbc.queryForObject("select count(*) from synced_position where sku = 'SKU-000003'", Integer.class))
                .as("a held key loses its baseline, so the next run sends it as Absolute")
                .isZero();
        List<HeldUpdates.Held> held = heldUpdates.ofRun(7);
        assertThat(held).extracting(HeldUpdates.Held::sku).containsExactly("SKU-000003");
        Path csv = dir.resolve("unresolved.csv");
        heldUpdates.writeCsv(held, csv);
        assertThat(csv).content().contains("\"pu-", "\"SKU-000003\",\"LOC-00\",\"5\",\"10\",\"15\"", "now 12");
        assertThat(env.sandbox().mutationLog())
                .as("resolution itself sends nothing")
                .allSatisfy(m -> assertThat(m.endpoint()).isEqualTo("sandbox.onhand.set"));
    }

    /**
     * Every Delta reached the OMS once. An Absolute whose answer was lost may be re-sent and land
     * twice, but the second landing changes nothing: it sets the count it already has.
     */
    private void assertNoKeyChangedTwiceBySameUpdate() {
        Set<String> changedBy = new HashSet<>();
        Set<String> deltas = new HashSet<>();
        for (Mutation m : env.sandbox().mutationLog()) {
            if ("Delta".equals(m.type())) {
                assertThat(deltas.add(m.requestId()))
                        .as("Delta applied twice: " + m.requestId())
                        .isTrue();
            }
            boolean changed = m.before() == null || m.before() != m.after();
            if (changed) {
                assertThat(changedBy.add(m.requestId()))
                        .as("key changed twice by " + m.requestId())
                        .isTrue();
            }
        }
    }

    private String stateOf(String sku) {
        return jdbc.queryForObject("select state from planned_update where sku = ?", String.class, sku);
    }

    private void syncDay1ThenDay2UnderDelta(String name, Consumer<com.inventorysync.sandbox.Faults> faults) {
        Path job = SyncFixtures.write(dir.resolve(name + ".yml"), "name: " + name + "\n" + """
                omni: {policy: DELTA, missing: KEEP}
                guard: {max-changed-share: 1.0, max-zeroed-share: 1.0}
                chunk-size: 50
                concurrency: 8
                """);
        faults.accept(env.sandbox().faults());
        SyncLauncher.Result first = launcher.sync(job, DATA.day1(dir.resolve("day1.csv")), false, false);
        assertThat(first.outcome())
                .as(String.join("\n", SyncResultText.lines(first)))
                .isEqualTo(RunOutcome.COMPLETED);
        int afterDay1 = env.sandbox().mutationLog().size();

        SyncLauncher.Result second = launcher.sync(job, DATA.day2(dir.resolve("day2.csv")), false, false);
        assertThat(second.outcome())
                .as(String.join("\n", SyncResultText.lines(second)))
                .isEqualTo(RunOutcome.COMPLETED);

        for (int s = 0; s < DATA.skus(); s++) {
            for (int l = 0; l < DATA.locations(); l++) {
                assertThat(env.sandbox().omniOnHand(DATA.sku(s), DATA.location(l)))
                        .as(DATA.sku(s) + "@" + DATA.location(l))
                        .isEqualTo(DATA.day2Count(s, l));
            }
        }
        List<Mutation> day2 = env.sandbox()
                .mutationLog()
                .subList(afterDay1, env.sandbox().mutationLog().size());
        assertThat(day2)
                .hasSize(DATA.changedKeys())
                .allSatisfy(m -> assertThat(m.type()).isEqualTo("Delta"));
        assertNoKeyChangedTwiceBySameUpdate();
        assertThat(jdbc.queryForObject("select count(*) from planned_update where state <> 'APPLIED'", Integer.class))
                .isZero();
    }
}
