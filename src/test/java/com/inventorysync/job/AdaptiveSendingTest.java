package com.inventorysync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.SyncResultText;
import com.inventorysync.sandbox.Mutation;
import com.inventorysync.sandbox.RequestRecord;
import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.support.GeneratedSnapshots;
import com.inventorysync.support.SyncFixtures;
import com.inventorysync.support.SyncTestEnvironment;
import java.nio.file.Path;
import java.time.Duration;
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
 * Adaptive sending against an OMS with a per-second quota it does not tell: the job's concurrency is a
 * ceiling, the sender finds the quota from the OMS's 429s and keeps under it; a job's {@code rate-limit}
 * keeps it under a number the operator knows. Real HTTP to the sandbox's Omni (its fixed one-second
 * window answers 429 with Retry-After), PostgreSQL.
 */
@SpringBootTest
class AdaptiveSendingTest {
    /** 2,400 keys: 2,400 updates on day 1, 2,400 Deltas on day 2 (12 s at the quota: long enough for more than the first cuts). */
    static final GeneratedSnapshots DATA = new GeneratedSnapshots(600, 4, 1);

    @RegisterExtension
    static final SyncTestEnvironment env = SyncTestEnvironment.sandbox(
                    SandboxOptions.of(DATA.seed(null)).withRandomSeed(3))
            .omni();

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
    void aQuotaTheJobIsNotToldOfIsFoundWithFew429sAndEveryDeltaAppliedOnce() {
        env.sandbox().faults().rateLimit("omni", 400).latency("omni.onhand.put", 20, 0);
        Path job = job("adaptive", "DELTA", "", 64);

        sync(job, DATA.day1(dir.resolve("day1.csv")));
        int mutationsAfterDay1 = env.sandbox().mutationLog().size();
        sync(job, DATA.day2(dir.resolve("day2.csv")));

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
        Set<String> changedBy = new HashSet<>();
        for (Mutation m : day2) {
            assertThat(changedBy.add(m.requestId()))
                    .as("key changed twice by " + m.requestId())
                    .isTrue();
        }
        assertThat(changedBy).as("every Delta applied once").hasSize(DATA.changedKeys());
        long requests = omniAnswers(null);
        long throttled = omniAnswers(429);
        assertThat(throttled)
                .as("the quota was met (%d 429s of %d requests)", throttled, requests)
                .isPositive();
        assertThat((double) throttled / requests)
                .as("429s of %d requests", requests)
                .isLessThan(0.02);
    }

    @Test
    void aRateLimitInTheJobKeepsTheRunUnderIt() {
        env.sandbox().faults().rateLimit("omni", 220);
        Path job = job("capped", "ABSOLUTE", "rate-limit: 200", 64);
        int before = env.sandbox().requestLog().size();

        sync(job, DATA.day1(dir.resolve("day1.csv")));

        assertThat(omniAnswers(429)).as("never over the OMS's 220/s").isZero();
        List<RequestRecord> puts =
                env
                        .sandbox()
                        .requestLog()
                        .subList(before, env.sandbox().requestLog().size())
                        .stream()
                        .filter(r -> "omni.onhand.put".equals(r.endpoint()))
                        .toList();
        assertThat(puts).hasSize(DATA.skus() * DATA.locations());
        Duration took =
                Duration.between(puts.get(0).at(), puts.get(puts.size() - 1).at());
        assertThat((puts.size() - 1) / (took.toNanos() / 1e9))
                .as("PUTs per second")
                .isLessThanOrEqualTo(202.0);
    }

    private void sync(Path job, Path snapshot) {
        SyncLauncher.Result result = launcher.sync(job, snapshot, false, false);
        assertThat(result.outcome())
                .as(String.join("\n", SyncResultText.lines(result)))
                .isEqualTo(RunOutcome.COMPLETED);
    }

    /** Omni's answers the sandbox counted, of one status or (null) all. */
    private long omniAnswers(Integer status) {
        return env.sandbox().counters().entrySet().stream()
                .filter(e -> e.getKey().startsWith("omni."))
                .flatMap(e -> e.getValue().entrySet().stream())
                .filter(e -> status == null || e.getKey().equals(status))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    private Path job(String name, String policy, String omniExtra, int concurrency) {
        return SyncFixtures.write(dir.resolve(name + ".yml"), """
                name: %s
                omni: {policy: %s, missing: KEEP%s}
                guard: {max-changed-share: 1.0, max-zeroed-share: 1.0}
                chunk-size: 200
                concurrency: %d
                """.formatted(
                        name, policy, omniExtra.isEmpty() ? "" : ", " + omniExtra, concurrency));
    }
}
