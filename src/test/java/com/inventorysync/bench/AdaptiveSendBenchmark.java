package com.inventorysync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.SyncResultText;
import com.inventorysync.job.RunOutcome;
import com.inventorysync.job.SyncLauncher;
import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.GeneratedSnapshots;
import com.inventorysync.support.SyncFixtures;
import com.inventorysync.support.SyncTestEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Adaptive sending against an OMS with a quota of 2,000 requests per second (the sandbox's fixed
 * one-second window, 429 with Retry-After beyond it), at 10 ms and at 100 ms per PUT: the adaptive
 * sender with a ceiling of 256 and no rate-limit, beside the same sender told the quota
 * ({@code rate-limit: 2000}: what this machine delivers at the quota when nothing has to be found)
 * and fixed concurrency 16 (today's default), in one run, after an unmeasured warm-up sync. Each run syncs a first snapshot (every key an update, ABSOLUTE) and is measured on its send
 * step: PUTs applied per second as a share of the quota, and 429s as a share of every Omni request.
 * Targets for the adaptive runs: at least 90% of the quota, 429s under 1%.
 * Run: {@code mvn -Pbench verify -Dtest=AdaptiveSendBenchmark}.
 */
@Tag("benchmark")
@SpringBootTest
class AdaptiveSendBenchmark {
    static final int QUOTA = 2_000;
    static final int LOCATIONS = 4;
    static final int MAX_SKUS = 12_000;

    @RegisterExtension
    static final SyncTestEnvironment env = SyncTestEnvironment.sandbox(
                    SandboxOptions.of(new GeneratedSnapshots(MAX_SKUS, LOCATIONS, 1).seed(null))
                            .withRandomSeed(5))
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

    record Figures(String run, long puts, double seconds, long requests, long throttled) {
        double perSecond() {
            return puts / seconds;
        }

        String line() {
            return String.format(
                    Locale.ROOT,
                    "  %-24s %,7d PUTs in %5.1f s: %,6.0f/s = %5.1f%% of %,d/s; 429s %,5d of %,7d requests = %.2f%%",
                    run,
                    puts,
                    seconds,
                    perSecond(),
                    100 * perSecond() / QUOTA,
                    QUOTA,
                    throttled,
                    requests,
                    100.0 * throttled / requests);
        }
    }

    @Test
    void adaptiveSendingFindsTheQuotaBesideFixedConcurrency16() {
        // Sized for 20-40 s each: 1,600/s at most for fixed 16 @ 10 ms, 160/s @ 100 ms.
        // Unmeasured, so that no row pays the JVM's class loading and compilation of the sending path.
        run("warm-up", true, 10, 500, "");
        List<Figures> figures = new ArrayList<>();
        figures.add(run("adaptive, 10 ms", true, 10, MAX_SKUS, ""));
        figures.add(run("adaptive, 100 ms", true, 100, MAX_SKUS, ""));
        figures.add(run("told the quota, 10 ms", true, 10, MAX_SKUS, ", rate-limit: " + QUOTA));
        figures.add(run("fixed 16, 10 ms", false, 10, 10_000, ""));
        figures.add(run("fixed 16, 100 ms", false, 100, 1_200, ""));
        StringBuilder report = new StringBuilder(String.format(
                Locale.ROOT,
                "%nadaptive sending against a quota of %,d requests/s (ceiling 256, no rate-limit; fixed: concurrency 16):%n",
                QUOTA));
        figures.forEach(f -> report.append(f.line()).append('\n'));
        System.out.print(report);
        assertThat(figures.get(0).puts()).isPositive();
    }

    /** One sync measured on its send step; {@code omniExtra} is added to the job's {@code omni} settings. */
    private Figures run(String name, boolean adaptive, int latencyMillis, int skus, String omniExtra) {
        GeneratedSnapshots data = new GeneratedSnapshots(skus, LOCATIONS, 1);
        SandboxServer sandbox = env.sandbox();
        sandbox.reset();
        SyncFixtures.clearSyncTables(jdbc);
        sandbox.faults().rateLimit("omni", QUOTA).latency("omni.onhand.put", latencyMillis, 0);
        String job = name.replaceAll("[^a-z0-9]+", "-");
        Path definition = SyncFixtures.write(
                dir.resolve(job + ".yml"), """
                name: %s
                omni: {policy: ABSOLUTE, missing: KEEP%s}
                guard: {max-changed-share: 1.0, max-zeroed-share: 1.0}
                chunk-size: 500
                concurrency: %d
                adaptive: %s
                """.formatted(job, omniExtra, adaptive ? 256 : 16, adaptive));
        SyncLauncher.Result result = launcher.sync(definition, data.day1(dir.resolve(job + ".csv")), false, false);
        assertThat(result.outcome())
                .as(String.join("\n", SyncResultText.lines(result)))
                .isEqualTo(RunOutcome.COMPLETED);
        Double seconds = jdbc.queryForObject("""
                select extract(epoch from (s.end_time - s.start_time)) from batch_step_execution s
                where s.step_name = 'send' and s.job_execution_id = ?""", Double.class, result.executionId());
        long requests = 0;
        long throttled = 0;
        for (Map.Entry<String, Map<Integer, Long>> e : sandbox.counters().entrySet()) {
            if (e.getKey().startsWith("omni.")) {
                for (Map.Entry<Integer, Long> byStatus : e.getValue().entrySet()) {
                    requests += byStatus.getValue();
                    throttled += byStatus.getKey() == 429 ? byStatus.getValue() : 0;
                }
            }
        }
        return new Figures(name, (long) skus * LOCATIONS, seconds, requests, throttled);
    }
}
