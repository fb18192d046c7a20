package com.inventorysync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.SyncResultText;
import com.inventorysync.sandbox.Mutation;
import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.support.GeneratedSnapshots;
import com.inventorysync.support.SyncFixtures;
import com.inventorysync.support.SyncTestEnvironment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The delivery rules against an OMS that misbehaves on every on-hand PUT: it applies late (after
 * the client gave up), answers a 2xx that is not the contract's 204, a 502 page, refuses the
 * account (401, 403) or every item (404). Day 1 sets the baselines, day 2 sends Deltas; each case
 * ends, after at most the one documented recovery command, with the OMS holding exactly day 2 and
 * no key changed twice by one planned update.
 */
@SpringBootTest
class DeliveryProtocolTest {
    /** 160 keys, every 2nd changed on day 2: 80 Deltas. */
    static final GeneratedSnapshots DATA = new GeneratedSnapshots(40, 4, 2);

    /**
     * The client gives up after 500 ms; the slow OMS applies after 1.5 s; an unknown outcome is
     * read back 2.5 s after the request: the apply has landed by then.
     */
    @RegisterExtension
    static final SyncTestEnvironment env = SyncTestEnvironment.sandbox(
                    SandboxOptions.of(DATA.seed(null)).withRandomSeed(7))
            .omni()
            .fastRetries()
            .with("inventory-sync.http.request-timeout", "500ms")
            .with("inventory-sync.http.settle-time", "2500ms");

    static final String HTML = "<html><body><h1>Maintenance</h1>We will be back soon.</body></html>";

    @TempDir
    Path dir;

    @Autowired
    SyncLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        env.registerWith(registry);
    }

    @Test
    void aDeltaTheOmsAppliesAfterTheClientGaveUpIsReadBackOnceSettledAndNeverSentTwice() {
        Path job = job("late", "");
        syncDay1(job);
        env.sandbox().faults().latency("omni.onhand.put", 1500, 0);

        SyncLauncher.Result day2 = launcher.sync(job, DATA.day2(dir.resolve("day2.csv")), false, false);

        assertThat(day2.outcome())
                .as(String.join("\n", SyncResultText.lines(day2)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertThat(env.sandbox().requestLog())
                .as("the client gave up on the slow requests")
                .anyMatch(r -> r.status() == 0 || r.status() == 204);
        assertThat(jdbc.queryForObject(
                        "select count(*) from planned_update where vendor_message like '%read back: applied%'",
                        Integer.class))
                .as("the late applies were found by reading back")
                .isPositive();
        assertExactlyDay2();
    }

    @Test
    void a200PageInsteadOf204IsNeverCountedAppliedAndOneRestartFinishesTheRun() {
        Path job = job("html-200", "");
        syncDay1(job);
        env.sandbox().faults().answer("omni.onhand.put", 1.0, 200, "text/html", HTML, false);

        SyncLauncher.Result day2 = launcher.sync(job, DATA.day2(dir.resolve("day2.csv")), false, false);

        assertThat(day2.outcome())
                .as(String.join("\n", SyncResultText.lines(day2)))
                .isEqualTo(RunOutcome.FAILED);
        assertThat(appliedCount()).as("a 200 page is not the contract's 204").isZero();
        assertThat(jdbc.queryForObject(
                        "select count(*) from synced_position where run_id = ?", Long.class, day2RunId()))
                .as("no baseline moved")
                .isZero();

        restartOnceTheOmsRecovers(day2);
    }

    @Test
    void a502PageOnEveryPutFailsTheRunAndOneRestartSendsWhatWasNotApplied() {
        Path job = job("bad-gateway", "");
        syncDay1(job);
        env.sandbox().faults().answer("omni.onhand.put", 1.0, 502, "text/html", HTML, false);

        SyncLauncher.Result day2 = launcher.sync(job, DATA.day2(dir.resolve("day2.csv")), false, false);
        assertThat(day2.outcome())
                .as(String.join("\n", SyncResultText.lines(day2)))
                .isEqualTo(RunOutcome.FAILED);
        assertThat(appliedCount()).isZero();

        restartOnceTheOmsRecovers(day2);
    }

    @Test
    void aQuotaRefusalStopsSendingAtOnceAndTheRunIsRestartedLater() {
        Path job = job("quota", "");
        syncDay1(job);
        int requestsBefore = env.sandbox().requestLog().size();
        env.sandbox()
                .faults()
                .answer(
                        "omni.onhand.put",
                        1.0,
                        403,
                        "application/json",
                        "{\"statusCode\": 403, \"message\": \"Out of call volume quota. Quota will be replenished in 02:11:00.\"}",
                        false);

        SyncLauncher.Result day2 = launcher.sync(job, DATA.day2(dir.resolve("day2.csv")), false, false);

        assertThat(day2.outcome())
                .as(String.join("\n", SyncResultText.lines(day2)))
                .isEqualTo(RunOutcome.FAILED);
        assertThat(String.join("\n", SyncResultText.lines(day2))).contains("403", "Out of call volume quota");
        long puts = env
                .sandbox()
                .requestLog()
                .subList(requestsBefore, env.sandbox().requestLog().size())
                .stream()
                .filter(r -> "omni.onhand.put".equals(r.endpoint()))
                .count();
        assertThat(puts)
                .as("sending stopped at the first refusal: only the requests already out were sent")
                .isLessThanOrEqualTo(8);
        assertThat(jdbc.queryForObject(
                        "select count(*) from planned_update where run_id = ? and state = 'REJECTED'",
                        Long.class,
                        day2RunId()))
                .as("an account refusal rejects no item")
                .isZero();

        restartOnceTheOmsRecovers(day2);
    }

    @Test
    void refusedCredentialsExitTwoAndTheSameSyncContinuesOnceTheyAreFixed() {
        Path job = job("credentials", "");
        syncDay1(job);
        env.sandbox()
                .faults()
                .answer(
                        "omni.onhand.put",
                        1.0,
                        401,
                        "application/json",
                        "{\"statusCode\": 401, \"message\": \"Access denied due to invalid subscription key.\"}",
                        false);

        Path day2File = DATA.day2(dir.resolve("day2.csv"));
        SyncLauncher.Result day2 = launcher.sync(job, day2File, false, false);
        assertThat(day2.outcome())
                .as(String.join("\n", SyncResultText.lines(day2)))
                .isEqualTo(RunOutcome.BAD_INPUT);
        assertThat(String.join("\n", SyncResultText.lines(day2)))
                .contains("refused the credentials", "inventory-sync.omni.subscription-key");

        env.sandbox().faults().clear();
        SyncLauncher.Result again = launcher.sync(job, day2File, false, false);
        assertThat(again.outcome())
                .as("the snapshot did not count as synced: the run continues\n"
                        + String.join("\n", SyncResultText.lines(again)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertExactlyDay2();
    }

    @Test
    void credentialsRefusedOnTheFirstCallExitTwoBeforeAnythingIsRead() {
        Path job = job("wrong-key", "");
        env.sandbox()
                .faults()
                .answer(
                        "omni.locations.get",
                        1.0,
                        401,
                        "application/json",
                        "{\"statusCode\": 401, \"message\": \"Access denied due to invalid subscription key.\"}",
                        false);

        SyncLauncher.Result day1 = launcher.sync(job, DATA.day1(dir.resolve("day1.csv")), false, false);

        assertThat(day1.outcome())
                .as(String.join("\n", SyncResultText.lines(day1)))
                .isEqualTo(RunOutcome.BAD_INPUT);
        assertThat(String.join("\n", SyncResultText.lines(day1))).contains("refused the credentials");
        assertThat(env.sandbox().mutationLog()).isEmpty();
    }

    @Test
    void anOmsThatRejectsEveryItemTripsTheRejectedShareGuardInsteadOfCompleting() {
        Path job = job("not-found", "");
        syncDay1(job);
        env.sandbox()
                .faults()
                .answer("omni.onhand.put", 1.0, 404, "application/json", "{\"Message\": \"SKU not found\"}", false);

        Path day2File = DATA.day2(dir.resolve("day2.csv"));
        SyncLauncher.Result day2 = launcher.sync(job, day2File, false, false);

        assertThat(day2.outcome())
                .as(String.join("\n", SyncResultText.lines(day2)))
                .isEqualTo(RunOutcome.FAILED);
        assertThat(String.join("\n", SyncResultText.lines(day2))).contains("guard.max-rejected-share");
        long rejected = jdbc.queryForObject(
                "select count(*) from planned_update where run_id = ? and state = 'REJECTED'", Long.class, day2RunId());
        assertThat(rejected).as("stopped soon after the guard's sample").isLessThan(DATA.changedKeys());
        SyncLauncher.Result again = launcher.sync(job, day2File, false, false);
        assertThat(String.join("\n", SyncResultText.lines(again)))
                .as("the snapshot does not count as synced")
                .doesNotContain("already synced");
    }

    /** The documented recovery: the OMS behaves again, one restart, and the OMS holds exactly day 2. */
    private void restartOnceTheOmsRecovers(SyncLauncher.Result failed) {
        env.sandbox().faults().clear();
        SyncLauncher.Result restart = launcher.restart(failed.executionId());
        assertThat(restart.outcome())
                .as(String.join("\n", SyncResultText.lines(restart)))
                .isEqualTo(RunOutcome.COMPLETED);
        assertExactlyDay2();
    }

    private Path job(String name, String extra) {
        return SyncFixtures.write(dir.resolve(name + ".yml"), "name: " + name + "\n" + """
                omni: {policy: DELTA, missing: KEEP}
                guard: {max-changed-share: 1.0, max-zeroed-share: 1.0}
                chunk-size: 20
                concurrency: 8
                """ + extra);
    }

    private void syncDay1(Path job) {
        SyncLauncher.Result day1 = launcher.sync(job, DATA.day1(dir.resolve("day1.csv")), false, false);
        assertThat(day1.outcome())
                .as(String.join("\n", SyncResultText.lines(day1)))
                .isEqualTo(RunOutcome.COMPLETED);
        mutationsAfterDay1 = env.sandbox().mutationLog().size();
    }

    private int mutationsAfterDay1;

    private long appliedCount() {
        return jdbc.queryForObject(
                "select count(*) from planned_update where run_id = ? and state = 'APPLIED'", Long.class, day2RunId());
    }

    private long day2RunId() {
        return jdbc.queryForObject("select max(run_id) from planned_update", Long.class);
    }

    private void assertExactlyDay2() {
        for (int s = 0; s < DATA.skus(); s++) {
            for (int l = 0; l < DATA.locations(); l++) {
                assertThat(env.sandbox().omniOnHand(DATA.sku(s), DATA.location(l)))
                        .as(DATA.sku(s) + "@" + DATA.location(l))
                        .isEqualTo(DATA.day2Count(s, l));
            }
        }
        List<Mutation> day2 = env.sandbox()
                .mutationLog()
                .subList(mutationsAfterDay1, env.sandbox().mutationLog().size());
        Map<String, Integer> applies = new HashMap<>();
        Set<String> changedBy = new HashSet<>();
        for (Mutation m : day2) {
            applies.merge(m.requestId(), 1, Integer::sum);
            if (m.before() == null || m.before() != m.after()) {
                assertThat(changedBy.add(m.requestId()))
                        .as("key changed twice by " + m.requestId())
                        .isTrue();
            }
        }
        assertThat(applies)
                .as("every Delta applied exactly once")
                .hasSize(DATA.changedKeys())
                .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        assertThat(jdbc.queryForObject(
                        "select count(*) from planned_update where run_id = ? and state <> 'APPLIED'",
                        Long.class,
                        day2RunId()))
                .isZero();
    }
}
