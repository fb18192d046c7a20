package com.inventorysync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.GeneratedSnapshots;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.ProductProcess;
import com.inventorysync.support.ProductSettings;
import com.inventorysync.support.SyncFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Kibo at scale: a Kibo-only sync of 1,000,000 changed items over 50 locations (20,000 SKUs x 50,
 * every key new to Kibo), as a real process against the in-process sandbox over loopback, on
 * PostgreSQL; once unpartitioned, then with {@code kiboSend} partitioned over 2 partitions, side by
 * side in one run. Prints the requests made, the items per request (min/avg/max, and how many are
 * a multiple of 3,000, Kibo's batch) and the time of each Kibo step and of the whole run, and checks
 * that Kibo ends holding every count. Run: {@code mvn -Pbench verify -Dtest=KiboBenchmark}
 * ({@code -Dbench.skus=N} for fewer SKUs per location).
 */
@Tag("benchmark")
class KiboBenchmark {
    static final int LOCATIONS = 50;
    static final int SKUS = Integer.getInteger("bench.skus", 20_000);
    static final GeneratedSnapshots DATA = new GeneratedSnapshots(SKUS, LOCATIONS, 1);

    static SandboxServer sandbox;
    static String schema;
    static JdbcTemplate jdbc;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        // Kibo's jobs complete as soon as they are queued: the figures are this side's.
        sandbox = SandboxServer.start(SandboxOptions.of(SandboxSeed.builder()
                .acceptUnknownSkus(true)
                .generate(new SandboxSeed.Generate(SKUS, LOCATIONS, null, null, null))
                .kiboJobDelayMillis(0)
                .build()));
        schema = PostgresTestDatabase.freshSchema(KiboBenchmark.class);
        jdbc = new JdbcTemplate(PostgresTestDatabase.migrate(schema));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    record Figures(
            String mode,
            long requests,
            int minItems,
            double avgItems,
            int maxItems,
            long multiplesOf3000,
            Map<String, Double> stepSeconds,
            double runSeconds) {}

    @Test
    void requestsItemsPerRequestAndTimeUnpartitionedAndOnTwoPartitions() {
        Path snapshot = DATA.day1(dir.resolve("snapshot.csv"));
        List<Figures> figures = new ArrayList<>();
        figures.add(run("unpartitioned", snapshot, Map.of()));
        figures.add(run(
                "partitioned, grid 2",
                snapshot,
                Map.of("inventory-sync.partitioning.grid-size", "2", "inventory-sync.partitioning.threads", "2")));

        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "%nKibo: %,d changed items over %d locations (%,d SKUs each), max-items 12000, batch-size 3000:%n",
                (long) SKUS * LOCATIONS,
                LOCATIONS,
                SKUS));
        for (Figures f : figures) {
            out.append(String.format(
                    Locale.ROOT,
                    "  %-20s %d requests; items per request min %,d / avg %,.0f / max %,d; %d of %d a multiple of 3,000;"
                            + " run %.1f s (%s)%n",
                    f.mode(),
                    f.requests(),
                    f.minItems(),
                    f.avgItems(),
                    f.maxItems(),
                    f.multiplesOf3000(),
                    f.requests(),
                    f.runSeconds(),
                    f.stepSeconds().entrySet().stream()
                            .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
                            .collect(Collectors.joining(", "))));
        }
        System.out.print(out);
        assertThat(figures.get(1).requests()).isEqualTo(figures.get(0).requests());
    }

    private Figures run(String mode, Path snapshot, Map<String, String> partitioning) {
        sandbox.reset();
        SyncFixtures.clearSyncTables(jdbc);
        for (String table : List.of("kibo_request_item", "kibo_request", "kibo_partitioning")) {
            jdbc.update("delete from " + table);
        }
        String name = "kibo-bench-" + mode.replaceAll("[^a-z0-9]+", "-");
        Path job = SyncFixtures.write(dir.resolve(name + ".yml"), """
                name: %s
                guard: {max-changed-share: 1.0}
                kibo:
                  locations: {%s}
                """.formatted(
                        name,
                        IntStream.range(0, LOCATIONS)
                                .mapToObj(l -> DATA.location(l) + ": \"" + DATA.location(l) + "\"")
                                .collect(Collectors.joining(", "))));
        ProductSettings settings = ProductSettings.create()
                .database(schema)
                .kibo(sandbox)
                .with("inventory-sync.kibo.poll-interval", "200ms")
                .output(dir.resolve("out"));
        partitioning.forEach(settings::with);
        try (ProductProcess sync = ProductProcess.start(
                dir, settings.asMap(), "sync", "--job", job.toString(), "--snapshot", snapshot.toString())) {
            assertThat(sync.waitFor(Duration.ofMinutes(20))).as(sync.output()).isZero();
        }
        for (int s = 0; s < SKUS; s++) {
            for (int l = 0; l < LOCATIONS; l++) {
                Integer held = sandbox.kiboQuantity(DATA.location(l), DATA.sku(s));
                if (held == null || held != GeneratedSnapshots.DAY1_COUNT) {
                    assertThat(held).as(DATA.sku(s) + "@" + DATA.location(l)).isEqualTo(GeneratedSnapshots.DAY1_COUNT);
                }
            }
        }
        Map<String, Object> sizes = jdbc.queryForMap("""
                select count(*) as requests, min(item_count) as min_items, avg(item_count) as avg_items,
                       max(item_count) as max_items, sum(case when mod(item_count, 3000) = 0 then 1 else 0 end) as full_batches
                from kibo_request where state = 'ACCEPTED'""");
        Long execution = jdbc.queryForObject("select max(job_execution_id) from batch_job_execution", Long.class);
        Map<String, Double> steps = new java.util.LinkedHashMap<>();
        for (String step : List.of("ingest", "kiboPlan", "kiboBuildRequests", "kiboSend", "kiboPoll")) {
            steps.put(
                    step,
                    jdbc.queryForObject(
                            "select extract(epoch from (end_time - start_time)) from batch_step_execution"
                                    + " where job_execution_id = ? and step_name = ?",
                            Double.class,
                            execution,
                            step));
        }
        double run = jdbc.queryForObject(
                "select extract(epoch from (end_time - start_time)) from batch_job_execution where job_execution_id = ?",
                Double.class,
                execution);
        return new Figures(
                mode,
                ((Number) sizes.get("requests")).longValue(),
                ((Number) sizes.get("min_items")).intValue(),
                ((Number) sizes.get("avg_items")).doubleValue(),
                ((Number) sizes.get("max_items")).intValue(),
                ((Number) sizes.get("full_batches")).longValue(),
                steps,
                run);
    }
}
