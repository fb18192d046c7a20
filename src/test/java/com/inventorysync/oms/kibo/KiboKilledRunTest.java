package com.inventorysync.oms.kibo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.inventorysync.sandbox.RequestRecord;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.ProductProcess;
import com.inventorysync.support.ProductSettings;
import com.inventorysync.support.SyncFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Kibo-only sync runs as a real process and is killed with SIGKILL while it sends; {@code restart
 * --last-failed} completes the run, no request that was recorded as accepted is posted again, and
 * Kibo ends holding exactly the snapshot.
 */
class KiboKilledRunTest {
    static final int SKUS = 200;
    static SandboxServer sandbox;
    static String schema;
    static JdbcTemplate jdbc;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        SandboxSeed.Builder seed = SandboxSeed.builder().kiboJobDelayMillis(20).kiboLocation("Main DC", "WH-00");
        for (int i = 0; i < SKUS; i++) {
            seed.sku(sku(i), null, null);
        }
        sandbox = SandboxServer.start(seed.build());
        schema = PostgresTestDatabase.freshSchema(KiboKilledRunTest.class);
        jdbc = new JdbcTemplate(PostgresTestDatabase.migrate(schema));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    static String sku(int i) {
        return String.format("K-%04d", i);
    }

    @Test
    void aRunKilledWhileSendingIsRestartedWithoutPostingAnAcceptedRequestTwice() {
        StringBuilder csv = new StringBuilder("sku,location,on_hand\n");
        for (int i = 0; i < SKUS; i++) {
            csv.append(sku(i)).append(",WH-00,").append(i % 17).append('\n');
        }
        Path snapshot = SyncFixtures.write(dir.resolve("snapshot.csv"), csv.toString());
        Path job = SyncFixtures.write(dir.resolve("kibo-killed.yml"), """
                name: kibo-killed
                kibo:
                  max-items: 10
                  batch-size: 5
                  locations: {WH-00: "Main DC"}
                """);
        // Slow refreshes, so that the process is killed between two of its 20 requests or during one.
        sandbox.faults().latency("kibo.refresh", 150, 0);

        List<Long> acceptedBeforeKill;
        try (ProductProcess sync = ProductProcess.start(
                dir, properties(), "sync", "--job", job.toString(), "--snapshot", snapshot.toString())) {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        assertThat(sync.isAlive())
                                .as("the run ended before it could be killed:\n" + sync.output())
                                .isTrue();
                        return accepted().size() >= 4;
                    });
            sync.kill();
            acceptedBeforeKill = accepted();
        }
        assertThat(acceptedBeforeKill).hasSizeBetween(4, 19);
        sandbox.faults().clear();

        try (ProductProcess restart = ProductProcess.start(dir, properties(), "restart", "--last-failed")) {
            assertThat(restart.waitFor(Duration.ofMinutes(3)))
                    .as(restart.output())
                    .isZero();
            assertThat(restart.output()).contains("Kibo: 20 refresh request(s): 20 accepted");
        }
        Map<String, Long> acceptedPosts = sandbox.requestLog().stream()
                .filter(r -> r.endpoint().equals("kibo.refresh") && r.status() == 200)
                .collect(Collectors.groupingBy(RequestRecord::requestId, Collectors.counting()));
        for (long id : acceptedBeforeKill) {
            assertThat(acceptedPosts.get("kibo-req-" + id))
                    .as("request %d, accepted before the kill", id)
                    .isEqualTo(1L);
        }
        assertThat(acceptedPosts).hasSize(20);
        for (int i = 0; i < SKUS; i++) {
            assertThat(sandbox.kiboQuantity("Main DC", sku(i))).as(sku(i)).isEqualTo(i % 17);
        }
        assertThat(jdbc.queryForObject("select count(*) from synced_position where target = 'kibo'", Integer.class))
                .isEqualTo(SKUS);
    }

    private static List<Long> accepted() {
        return jdbc.queryForList("select id from kibo_request where state = 'ACCEPTED' order by id", Long.class);
    }

    private Map<String, String> properties() {
        return ProductSettings.create()
                .database(schema)
                .kibo(sandbox)
                .with("inventory-sync.kibo.poll-interval", "50ms")
                .output(dir.resolve("out"))
                .asMap();
    }
}
