package com.inventorysync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.cli.SyncResultText;
import com.inventorysync.job.RunOutcome;
import com.inventorysync.job.SyncLauncher;
import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.SyncFixtures;
import java.io.BufferedWriter;
import java.io.Reader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The nightly sync at scale: a 1,000,000-row snapshot (100,000 SKUs x 10 locations; {@code
 * -Dbench.skus=N} for N x 10 rows), 5% changed against the positions last synced. Prints, side by
 * side: ingest+plan rows/s against the machine's floor (PostgreSQL COPY of the same file plus one
 * join computing the same changes), sends/s against concurrency/latency with the sandbox answering
 * every PUT after 10 ms, and peak heap. {@code -Dbench.send=false} stops at the plan (a dry run),
 * for the large snapshots whose sends would take most of the run; {@code -Dbench.grid-size=N} runs
 * the job with {@code inventory-sync.partitioning.grid-size=N}; {@code -Dbench.warmup=true} first
 * runs an unmeasured dry run of a tenth of the snapshot in the same JVM, so that the measured run
 * finds the ingest's code compiled (without it, the measured run pays the JIT's compilation, a cost
 * that does not grow with the rows). Run: {@code mvn -Pbench verify -Dtest=SyncBenchmark}.
 */
@Tag("benchmark")
@SpringBootTest
class SyncBenchmark {
    static final int SKUS = Integer.getInteger("bench.skus", 100_000);
    static final boolean SEND = Boolean.parseBoolean(System.getProperty("bench.send", "true"));
    /** Unset: the job runs with the product's default (single-threaded); the property is only passed when set. */
    static final Integer GRID_SIZE = Integer.getInteger("bench.grid-size");

    static final boolean WARMUP = Boolean.getBoolean("bench.warmup");

    static final int LOCATIONS = 10;
    static final int LATENCY_MS = 10;
    static final int CONCURRENCY = 16;
    static final SandboxSeed.Generate GENERATED = new SandboxSeed.Generate(SKUS, LOCATIONS, null, null, null);
    /**
     * A dry run sends nothing: the sandbox then holds the locations alone, so that the heap figures are
     * the product's rather than a catalog of every position in the benchmark's own JVM.
     */
    static SandboxServer sandbox = SandboxServer.start(SandboxOptions.of(SandboxSeed.builder()
                    .acceptUnknownSkus(true)
                    .generate(SEND ? GENERATED : new SandboxSeed.Generate(1, LOCATIONS, null, null, null))
                    .build())
            .withLogLimit(1000));

    static String schema;

    @TempDir
    static Path dir;

    @Autowired
    SyncLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    com.inventorysync.ops.SyncMetrics metrics;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        schema = PostgresTestDatabase.register(registry, SyncBenchmark.class);
        registry.add("inventory-sync.omni.base-url", sandbox::omniBaseUrl);
        registry.add(
                "inventory-sync.omni.subscription-key",
                () -> sandbox.credentials().omniSubscriptionKey());
        registry.add("inventory-sync.sync.output-dir", () -> dir.resolve("out").toString());
        registry.add("logging.level.com.inventorysync", () -> "WARN");
        if (GRID_SIZE != null) {
            registry.add("inventory-sync.partitioning.grid-size", () -> GRID_SIZE);
        }
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        // The next run would otherwise share the machine with autovacuum working through this one's tables.
        PostgresTestDatabase.drop(schema);
    }

    static int previous(int s, int l) {
        return (s * 7 + l * 13) % 500;
    }

    static boolean changed(int s, int l) {
        return (s * LOCATIONS + l) % 20 == 0;
    }

    @Test
    void snapshotWithFivePercentChanged() throws Exception {
        // Yesterday: every position synced. Today's file: the same counts, 5% changed.
        jdbc.update("""
                insert into synced_position (target, sku, location, quantity, updated_at)
                select 'omni', 'SKU-' || lpad(s::text, greatest(6, length(s::text)), '0'), 'LOC-' || lpad(l::text, 2, '0'), (s * 7 + l * 13) % 500, now()
                from generate_series(0, ?) s, generate_series(0, ?) l""", SKUS - 1, LOCATIONS - 1);
        // Vacuumed now, not by autovacuum during the measured runs (a million rows inserted is its cue).
        jdbc.execute("vacuum analyze synced_position");
        Path snapshot = writeSnapshot(dir.resolve("snapshot.csv"), SKUS);
        long rows = (long) SKUS * LOCATIONS;
        long expectedChanges = rows / 20;

        // The floor: COPY of the same file and one join computing the same changes.
        long floorMs = floor(snapshot, expectedChanges);

        Path job = SyncFixtures.write(dir.resolve("bench.yml"), """
                name: bench
                omni: {policy: ABSOLUTE, missing: KEEP}
                chunk-size: 500
                concurrency: %d
                """.formatted(CONCURRENCY));
        sandbox.faults().latency("omni.onhand.put", LATENCY_MS, 0);
        if (WARMUP) {
            Path warmup = writeSnapshot(dir.resolve("warmup.csv"), Math.max(1, SKUS / 10));
            SyncLauncher.Result warm = launcher.sync(job, warmup, true, false);
            assertThat(warm.outcome()).isEqualTo(RunOutcome.COMPLETED);
            Files.delete(warmup);
        }
        HeapWatch heap = HeapWatch.start();
        SyncLauncher.Result result = launcher.sync(job, snapshot, !SEND, false);
        HeapWatch.Figures peak = heap.stop();
        assertThat(result.outcome())
                .as(String.join("\n", SyncResultText.lines(result)))
                .isEqualTo(RunOutcome.COMPLETED);

        Map<String, Long> steps = new HashMap<>();
        jdbc.query(
                "select step_name, start_time, end_time from batch_step_execution where job_execution_id = ?",
                rs -> {
                    steps.put(
                            rs.getString(1),
                            rs.getTimestamp(3).getTime() - rs.getTimestamp(2).getTime());
                },
                result.executionId());
        long ingestPlanMs = steps.get("ingest") + steps.get("finish-ingest") + steps.get("plan");
        Files.delete(snapshot);
        long planned = jdbc.queryForObject(
                "select count(*) from planned_update where run_id = (select job_instance_id from batch_job_execution where job_execution_id = ?)",
                Long.class,
                result.executionId());
        assertThat(planned).isEqualTo(expectedChanges);
        System.out.println();
        System.out.println("== SyncBenchmark: " + String.format(Locale.ROOT, "%,d", rows) + "-row snapshot, "
                + String.format(Locale.ROOT, "%,d", expectedChanges) + " changed (5%), ABSOLUTE, chunk 500, grid size "
                + (GRID_SIZE == null ? "1 (default, single-threaded)" : GRID_SIZE)
                + (SEND ? "" : ", dry run (no sends)")
                + (WARMUP ? ", after an unmeasured warm-up run" : ", the JVM's first ingest (cold)"));
        double floorRate = rows * 1000.0 / floorMs;
        double ingestRate = rows * 1000.0 / ingestPlanMs;
        System.out.printf(
                Locale.ROOT,
                "ingest+plan      %,10.0f rows/s  (%,6d ms: ingest %,d + duplicates/rejects %,d + plan %,d)%n",
                ingestRate,
                ingestPlanMs,
                steps.get("ingest"),
                steps.get("finish-ingest"),
                steps.get("plan"));
        System.out.printf(
                Locale.ROOT,
                "floor COPY+join  %,10.0f rows/s  (%,6d ms)   ratio ours/floor = %.2fx (target <= 1.5x)%n",
                floorRate,
                floorMs,
                (double) ingestPlanMs / floorMs);
        if (SEND) {
            printSends(steps.get("send"));
        }
        System.out.printf(
                Locale.ROOT,
                "machine load     %.1f (1-min load average on %d cores)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(
                Locale.ROOT,
                "heap             peak used %,d MB (sum of pool peaks), peak live after GC %,d MB, max heap %,d MB (target < 512 MB)%n",
                peak.peakUsedMb(),
                peak.peakLiveMb(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.println();
    }

    private void printSends(long sendMs) {
        long applied = jdbc.queryForObject("select count(*) from planned_update where state = 'APPLIED'", Long.class);
        assertThat(applied).isEqualTo((long) SKUS * LOCATIONS / 20);
        assertThat(sandbox.omniOnHand(GENERATED.sku(0), GENERATED.location(0))).isEqualTo(previous(0, 0) + 1);

        double sendRate = applied * 1000.0 / sendMs;
        double idealSendRate = CONCURRENCY * 1000.0 / LATENCY_MS;
        System.out.printf(
                Locale.ROOT, "sends            %,10.0f /s      (%,d PUTs in %,d ms)%n", sendRate, applied, sendMs);
        System.out.printf(
                Locale.ROOT,
                "ideal %d/%dms    %,10.0f /s      ratio = %.0f%% (target >= 80%%)%n",
                CONCURRENCY,
                LATENCY_MS,
                idealSendRate,
                100 * sendRate / idealSendRate);
        StringBuilder phases = new StringBuilder();
        for (String phase : new String[] {"observe", "in-flight", "send", "record"}) {
            var timer = metrics.registry()
                    .find("inventorysync.omni.send.phase")
                    .tag("phase", phase)
                    .timer();
            phases.append(String.format(
                    Locale.ROOT,
                    " %s %,.0f ms",
                    phase,
                    timer == null ? 0 : timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)));
        }
        var groups = metrics.registry()
                .find("inventorysync.omni.send.outcomes-per-commit")
                .summary();
        if (groups != null) {
            phases.append(String.format(
                    Locale.ROOT, "; %,d outcome commits, %.1f outcomes each", groups.count(), groups.mean()));
        }
        System.out.println("send step phases (writer thread; 'record' overlaps the PUTs in flight):" + phases);
        var put = metrics.registry().find("inventorysync.omni.put").timer();
        if (put != null && put.count() > 0) {
            double meanPutMs = put.mean(java.util.concurrent.TimeUnit.MILLISECONDS);
            double pipelineIdeal = CONCURRENCY * 1000.0 / meanPutMs;
            System.out.printf(
                    Locale.ROOT,
                    "PUT as measured  %,10.1f ms mean (sandbox adds %d ms) -> concurrency/measured latency %,.0f /s; sends reach %.0f%% of it%n",
                    meanPutMs,
                    LATENCY_MS,
                    pipelineIdeal,
                    100 * sendRate / pipelineIdeal);
        }
    }

    /** Today's file for the first {@code skus} SKUs: the last-synced counts, 5% of them changed. */
    private static Path writeSnapshot(Path snapshot, int skus) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(snapshot, StandardCharsets.UTF_8)) {
            out.write("sku,location,on_hand\n");
            for (int s = 0; s < skus; s++) {
                for (int l = 0; l < LOCATIONS; l++) {
                    int count = previous(s, l) + (changed(s, l) ? 1 + s % 5 : 0);
                    out.write(GENERATED.sku(s) + "," + GENERATED.location(l) + "," + count + "\n");
                }
            }
        }
        return snapshot;
    }

    /** COPY FROM STDIN (csv, header) of the file into an unlogged table, then one join writing the changed keys. */
    private long floor(Path snapshot, long expectedChanges) throws Exception {
        try (Connection c = PostgresTestDatabase.connect(schema);
                Statement st = c.createStatement()) {
            st.execute("create unlogged table floor_stage (sku varchar(100), location varchar(100), on_hand integer)");
            long start = System.nanoTime();
            try (Reader in = Files.newBufferedReader(snapshot, StandardCharsets.UTF_8)) {
                c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn("COPY floor_stage FROM STDIN (FORMAT csv, HEADER)", in);
            }
            st.execute("analyze floor_stage");
            int changes = st.executeUpdate("""
                    create unlogged table floor_changes as
                    select f.sku, f.location, f.on_hand, p.quantity from floor_stage f
                    join synced_position p on p.target = 'omni' and p.sku = f.sku and p.location = f.location
                    where p.quantity <> f.on_hand""");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(changes).isEqualTo((int) expectedChanges);
            st.execute("drop table floor_stage");
            st.execute("drop table floor_changes");
            return ms;
        }
    }

    /** Peak heap while the job runs: the pools' peak usage, and the largest heap left after any collection. */
    static final class HeapWatch {
        record Figures(long peakUsedMb, long peakLiveMb) {}

        private final AtomicLong peakLive = new AtomicLong();
        private final javax.management.NotificationListener listener = (notification, handback) -> {
            if (notification.getUserData() instanceof CompositeData data) {
                var info = com.sun.management.GarbageCollectionNotificationInfo.from(data);
                long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(e -> isHeap(e.getKey()))
                        .mapToLong(e -> e.getValue().getUsed())
                        .sum();
                peakLive.accumulateAndGet(used, Math::max);
            }
        };

        static boolean isHeap(String pool) {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                    .anyMatch(p -> p.getName().equals(pool) && p.getType() == MemoryType.HEAP);
        }

        static HeapWatch start() {
            System.gc();
            HeapWatch watch = new HeapWatch();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(watch.listener, null, null);
            }
            return watch;
        }

        Figures stop() throws Exception {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).removeNotificationListener(listener);
            }
            long peakUsed = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed())
                    .sum();
            return new Figures(peakUsed >> 20, peakLive.get() >> 20);
        }
    }
}
