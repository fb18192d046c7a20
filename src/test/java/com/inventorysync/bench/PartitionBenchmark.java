package com.inventorysync.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.ProductProcess;
import com.inventorysync.support.ProductSettings;
import com.inventorysync.support.SyncFixtures;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One snapshot (1,000,000 rows by default: 100,000 SKUs x 10 locations, 5% changed, ABSOLUTE)
 * synced three ways, one after the other in the same run, each as a real process with
 * {@code -Xmx512m} on PostgreSQL against the sandbox (10 ms per PUT, job concurrency 16):
 * unpartitioned; partitioned on a local pool (grid 2); and by a manager with two worker processes
 * over RabbitMQ (grid 2). Prints each step's time and the ratios to the unpartitioned run. On a
 * 2-core machine no speed-up is expected: the remote figure is the overhead of remote partitioning.
 * Run: {@code mvn -Pbench verify -Dtest=PartitionBenchmark} ({@code -Dbench.skus=...} for another size).
 */
@Tag("benchmark")
class PartitionBenchmark {
    static final int SKUS = Integer.getInteger("bench.skus", 100_000);
    static final int LOCATIONS = 10;
    static final int LATENCY_MS = 10;
    static final SandboxSeed.Generate GENERATED = new SandboxSeed.Generate(SKUS, LOCATIONS, null, null, null);
    static final String RABBIT_HOST = System.getenv().getOrDefault("INVENTORY_SYNC_TEST_RABBITMQ_HOST", "127.0.0.1");
    static final List<String> JVM = List.of("-Xmx512m");

    static SandboxServer sandbox = SandboxServer.start(SandboxOptions.of(SandboxSeed.builder()
                    .acceptUnknownSkus(true)
                    .generate(GENERATED)
                    .build())
            .withLogLimit(1000));

    @TempDir
    static Path dir;

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    record Figures(long ingestMs, long planMs, long sendMs, long totalMs, long applied) {
        long ingestPlanMs() {
            return ingestMs + planMs;
        }
    }

    @Test
    void unpartitionedLocalAndRemoteSideBySide() throws Exception {
        String schema = PostgresTestDatabase.freshSchema(PartitionBenchmark.class);
        JdbcTemplate jdbc = new JdbcTemplate(PostgresTestDatabase.migrate(schema));
        Path snapshot = snapshot();
        long changes = (long) SKUS * LOCATIONS / 20;
        String queue = "inventory-sync.partitions.bench-" + UUID.randomUUID();
        Map<String, String> base = ProductSettings.create()
                .database(schema)
                .omni(sandbox)
                .output(dir.resolve("out"))
                .with("spring.rabbitmq.host", RABBIT_HOST)
                .with("inventory-sync.partitioning.queue", queue)
                .asMap();
        Map<String, Figures> figures = new LinkedHashMap<>();
        try {
            figures.put("unpartitioned", sync(jdbc, base, "single", Map.of(), snapshot, changes));
            figures.put(
                    "local, grid 2",
                    sync(jdbc, base, "local", Map.of("inventory-sync.partitioning.grid-size", "2"), snapshot, changes));
            Map<String, String> remote =
                    Map.of("inventory-sync.partitioning.mode", "remote", "inventory-sync.partitioning.grid-size", "2");
            List<ProductProcess> workers = new ArrayList<>();
            try {
                Map<String, String> workerSettings = new HashMap<>(base);
                workerSettings.putAll(remote);
                for (int i = 0; i < 2; i++) {
                    workers.add(ProductProcess.start(dir, JVM, workerSettings, "worker"));
                }
                for (ProductProcess worker : workers) {
                    await().atMost(Duration.ofMinutes(3)).until(() -> {
                        assertThat(worker.isAlive()).as(worker.output()).isTrue();
                        return worker.output().contains("takes partitions from queue");
                    });
                }
                figures.put("remote, 2 workers", sync(jdbc, base, "remote", remote, snapshot, changes));
            } finally {
                workers.forEach(ProductProcess::close);
            }
        } finally {
            CachingConnectionFactory rabbit = new CachingConnectionFactory(RABBIT_HOST);
            new RabbitAdmin(rabbit).deleteQueue(queue);
            rabbit.destroy();
        }

        Figures single = figures.get("unpartitioned");
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "== PartitionBenchmark: %,d rows, %,d changed (5%%), ABSOLUTE; sandbox %d ms per PUT, concurrency 16;"
                        + " each run a process with -Xmx512m%n",
                (long) SKUS * LOCATIONS,
                changes,
                LATENCY_MS);
        System.out.printf(
                Locale.ROOT,
                "%-18s %12s %10s %10s %10s %12s %14s%n",
                "mode",
                "ingest ms",
                "plan ms",
                "send ms",
                "sends/s",
                "process ms",
                "vs unpartitioned");
        figures.forEach((mode, f) -> System.out.printf(
                Locale.ROOT,
                "%-18s %,12d %,10d %,10d %,10.0f %,12d   ingest+plan %.2fx, send %.2fx, process %.2fx%n",
                mode,
                f.ingestMs(),
                f.planMs(),
                f.sendMs(),
                f.applied() * 1000.0 / f.sendMs(),
                f.totalMs(),
                (double) f.ingestPlanMs() / single.ingestPlanMs(),
                (double) f.sendMs() / single.sendMs(),
                (double) f.totalMs() / single.totalMs()));
        System.out.printf(
                Locale.ROOT,
                "machine load %.1f (1-min load average on %d cores)%n%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    /** Yesterday's positions synced and in the OMS, then one sync of today's snapshot; its steps' times. */
    private Figures sync(
            JdbcTemplate jdbc,
            Map<String, String> base,
            String name,
            Map<String, String> partitioning,
            Path snapshot,
            long changes) {
        sandbox.reset();
        sandbox.faults().latency("omni.onhand.put", LATENCY_MS, 0);
        SyncFixtures.clearSyncTables(jdbc);
        jdbc.update("""
                insert into synced_position (target, sku, location, quantity, updated_at)
                select 'omni', 'SKU-' || lpad(s::text, 6, '0'), 'LOC-' || lpad(l::text, 2, '0'), (s * 7 + l * 13) % 500, now()
                from generate_series(0, ?) s, generate_series(0, ?) l""", SKUS - 1, LOCATIONS - 1);
        jdbc.execute("vacuum analyze synced_position");
        Path job = SyncFixtures.write(dir.resolve(name + ".yml"), """
                name: bench-%s
                omni: {policy: ABSOLUTE, missing: KEEP}
                chunk-size: 500
                concurrency: 16
                """.formatted(name));
        Map<String, String> settings = new HashMap<>(base);
        settings.putAll(partitioning);
        long started = System.nanoTime();
        try (ProductProcess sync = ProductProcess.start(
                dir, JVM, settings, "sync", "--job", job.toString(), "--snapshot", snapshot.toString())) {
            assertThat(sync.waitFor(Duration.ofMinutes(20))).as(sync.output()).isZero();
        }
        long totalMs = (System.nanoTime() - started) / 1_000_000;
        Map<String, Long> steps = new HashMap<>();
        jdbc.query(
                "select step_name, start_time, end_time from batch_step_execution where job_execution_id ="
                        + " (select max(job_execution_id) from batch_job_execution)",
                rs -> {
                    steps.put(
                            rs.getString(1),
                            rs.getTimestamp(3).getTime() - rs.getTimestamp(2).getTime());
                });
        long applied = jdbc.queryForObject("select count(*) from planned_update where state = 'APPLIED'", Long.class);
        assertThat(applied).isEqualTo(changes);
        return new Figures(
                steps.get("ingest") + steps.get("finish-ingest"),
                steps.get("plan"),
                steps.get("send"),
                totalMs,
                applied);
    }

    private static Path snapshot() throws Exception {
        Path snapshot = dir.resolve("snapshot.csv");
        try (BufferedWriter out = Files.newBufferedWriter(snapshot, StandardCharsets.UTF_8)) {
            out.write("sku,location,on_hand\n");
            for (int s = 0; s < SKUS; s++) {
                for (int l = 0; l < LOCATIONS; l++) {
                    boolean changed = (s * LOCATIONS + l) % 20 == 0;
                    out.write(GENERATED.sku(s) + "," + GENERATED.location(l) + ","
                            + ((s * 7 + l * 13) % 500 + (changed ? 1 + s % 5 : 0)) + "\n");
                }
            }
        }
        return snapshot;
    }
}
