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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Kibo-only sync with {@code kiboSend} partitioned on the local pool, run as real processes over
 * loopback HTTP against the sandbox, on PostgreSQL: the requests of several locations spread over
 * the partitions (the largest location's requests one by one), a refused request's rest re-posted
 * in its own partition; and a run killed with SIGKILL mid-send, restarted, running again only the
 * partitions that had not completed; and the partitions sent to a worker process over the local
 * RabbitMQ. Each ends with Kibo holding exactly the snapshot.
 */
class KiboPartitionedSendTest {
    /** Snapshot location -> Kibo location name, and how many SKUs each holds: WH-00 is over a third of the items. */
    static final Map<String, String> NAMES =
            Map.of("WH-00", "Main DC", "WH-01", "North", "WH-02", "South", "WH-03", "East");

    static final Map<String, Integer> SKUS_AT = sizes();
    /** Sorts into WH-01's first request, beside K-0000. */
    static final String UNKNOWN_SKU = "K-0000A";

    static final String RABBIT_HOST = System.getenv().getOrDefault("INVENTORY_SYNC_TEST_RABBITMQ_HOST", "127.0.0.1");

    static SandboxServer sandbox;
    static String schema;
    static JdbcTemplate jdbc;

    @TempDir
    static Path dir;

    static Path snapshot;

    @BeforeAll
    static void start() {
        SandboxSeed.Builder seed = SandboxSeed.builder().kiboJobDelayMillis(5);
        NAMES.forEach((location, name) -> seed.kiboLocation(name, location));
        for (int i = 0; i < 100; i++) {
            seed.sku(sku(i), null, null);
        }
        sandbox = SandboxServer.start(seed.build());
        schema = PostgresTestDatabase.freshSchema(KiboPartitionedSendTest.class);
        jdbc = new JdbcTemplate(PostgresTestDatabase.migrate(schema));
        StringBuilder csv = new StringBuilder("sku,location,on_hand\n");
        SKUS_AT.forEach((location, skus) -> {
            for (int i = 0; i < skus; i++) {
                csv.append(sku(i))
                        .append(',')
                        .append(location)
                        .append(',')
                        .append(count(i, location))
                        .append('\n');
            }
        });
        // Kibo does not know it: its request is refused with its index, and the rest go out again.
        csv.append(UNKNOWN_SKU).append(",WH-01,7\n");
        snapshot = SyncFixtures.write(dir.resolve("snapshot.csv"), csv.toString());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void fresh() {
        sandbox.reset();
        sandbox.faults().clear();
        SyncFixtures.clearSyncTables(jdbc);
        jdbc.update("delete from kibo_request_item");
        jdbc.update("delete from kibo_request");
        jdbc.update("delete from kibo_partitioning");
    }

    private static Map<String, Integer> sizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("WH-00", 100);
        sizes.put("WH-01", 30);
        sizes.put("WH-02", 30);
        sizes.put("WH-03", 20);
        return sizes;
    }

    static String sku(int i) {
        return String.format("K-%04d", i);
    }

    static int count(int sku, String location) {
        return (sku * 7 + location.hashCode() & 0xff) % 23;
    }

    @Test
    void theLocationsRequestsAreSpreadOverThePartitionsAndKiboHoldsExactlyTheSnapshot() {
        Path job = definition("kibo-partitions");
        try (ProductProcess sync = ProductProcess.start(
                dir, properties(3, 3), "sync", "--job", job.toString(), "--snapshot", snapshot.toString())) {
            assertThat(sync.waitFor(Duration.ofMinutes(1))).as(sync.output()).isZero();
            // 18 requests of 10 items, and the rest of the refused one re-posted: 19 accepted.
            assertThat(sync.output())
                    .contains("Kibo: 20 refresh request(s): 19 accepted, 1 refused")
                    .contains("kiboSend p0/3:", "kiboSend p1/3:", "kiboSend p2/3:");
        }
        assertKiboHoldsTheSnapshot();

        Map<Integer, Long> itemsByPartition = jdbc
                .queryForList(
                        "select partition_no, sum(item_count) as items from kibo_request where replaces_id is null"
                                + " group by partition_no")
                .stream()
                .collect(Collectors.toMap(
                        r -> ((Number) r.get("partition_no")).intValue(), r -> ((Number) r.get("items")).longValue()));
        assertThat(itemsByPartition).as("181 items, 60 or 61 a partition").hasSize(3);
        assertThat(itemsByPartition.values())
                .allSatisfy(items -> assertThat(items).isBetween(60L, 61L));
        assertThat(partitionsOf("WH-00"))
                .as("WH-00 holds more than a partition's share: its requests are spread")
                .hasSize(3);
        for (String whole : List.of("WH-01", "WH-02", "WH-03")) {
            assertThat(partitionsOf(whole))
                    .as(whole + " is sent by one partition")
                    .hasSize(1);
        }
        assertThat(jdbc.queryForObject("""
                        select count(*) from kibo_request r join kibo_request refused on refused.id = r.replaces_id
                        where r.partition_no = refused.partition_no and r.state = 'ACCEPTED'""", Long.class))
                .as("the refused request's rest is re-posted in its partition")
                .isEqualTo(1);
        assertThat(jdbc.queryForList("select state from planned_update where sku = ?", String.class, UNKNOWN_SKU))
                .containsExactly("REJECTED");
        assertThat(jdbc.queryForList(
                        "select step_name from batch_step_execution where step_name like 'kiboSend%' and status = 'COMPLETED'"
                                + OF_LATEST_RUN + " order by step_name",
                        String.class))
                .containsExactly("kiboSend", "kiboSend-partition:p0", "kiboSend-partition:p1", "kiboSend-partition:p2");
        assertThat(acceptedPostsByRequest().values()).hasSize(19).containsOnly(1L);
    }

    @Test
    void aRunKilledMidSendIsExactAfterARestartThatSendsOnlyThePartitionsNotCompleted() {
        Path job = definition("kibo-partitions-killed");
        // Four partitions, two at a time, each refresh slow: the first two complete while the others still send.
        sandbox.faults().latency("kibo.refresh", 120, 0);
        Map<String, String> local = properties(4, 2);
        List<Long> acceptedBeforeKill;
        List<String> completedBeforeKill;
        try (ProductProcess sync =
                ProductProcess.start(dir, local, "sync", "--job", job.toString(), "--snapshot", snapshot.toString())) {
            await().atMost(Duration.ofSeconds(50))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        assertThat(sync.isAlive())
                                .as("the run ended before it could be killed:\n" + sync.output())
                                .isTrue();
                        return partitions("COMPLETED").size() >= 1
                                && !partitions("STARTED").isEmpty();
                    });
            sync.kill();
            acceptedBeforeKill = jdbc.queryForList("select id from kibo_request where state = 'ACCEPTED'", Long.class);
            completedBeforeKill = partitions("COMPLETED");
        }
        assertThat(jdbc.queryForObject(
                        "select count(*) from kibo_request where state in ('PENDING', 'POSTED')", Long.class))
                .as("killed mid-send")
                .isPositive();
        sandbox.faults().clear();

        try (ProductProcess restart = ProductProcess.start(dir, local, "restart", "--last-failed")) {
            assertThat(restart.waitFor(Duration.ofMinutes(1)))
                    .as(restart.output())
                    .isZero();
            assertThat(restart.output()).contains("Kibo: 20 refresh request(s): 19 accepted, 1 refused");
        }
        assertKiboHoldsTheSnapshot();
        for (String done : completedBeforeKill) {
            assertThat(jdbc.queryForObject(
                            "select count(*) from batch_step_execution where step_name = ?" + OF_LATEST_RUN,
                            Long.class,
                            done))
                    .as(done + " completed before the kill and is not run again")
                    .isEqualTo(1);
        }
        assertThat(partitions("COMPLETED")).hasSize(4);
        Map<String, Long> acceptedPosts = acceptedPostsByRequest();
        for (long id : acceptedBeforeKill) {
            assertThat(acceptedPosts.get("kibo-req-" + id))
                    .as("request %d, accepted before the kill", id)
                    .isEqualTo(1L);
        }
        assertThat(acceptedPosts).hasSize(19);
    }

    /** The step executions of the latest run (job instance): the schema keeps every test's. */
    private static final String OF_LATEST_RUN =
            " and job_execution_id in (select job_execution_id from batch_job_execution"
                    + " where job_instance_id = (select max(job_instance_id) from batch_job_instance))";

    @Test
    void aManagerAndAWorkerProcessOverRabbitMqSendThePartitionsExactly() {
        Path job = definition("kibo-remote-partitions");
        String queue = "inventory-sync.partitions.kibo-test-" + UUID.randomUUID();
        Map<String, String> remote = new HashMap<>(properties(2, 1));
        remote.putAll(Map.of(
                "inventory-sync.partitioning.mode", "remote",
                "inventory-sync.partitioning.queue", queue,
                "inventory-sync.partitioning.heartbeat-interval", "300ms",
                "inventory-sync.partitioning.poll-interval", "200ms",
                "spring.rabbitmq.host", RABBIT_HOST));
        try (ProductProcess worker = ProductProcess.start(dir, remote, "worker")) {
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                assertThat(worker.isAlive()).as(worker.output()).isTrue();
                return worker.output().contains("takes partitions from queue");
            });
            try (ProductProcess manager = ProductProcess.start(
                    dir, remote, "sync", "--job", job.toString(), "--snapshot", snapshot.toString())) {
                assertThat(manager.waitFor(Duration.ofMinutes(1)))
                        .as(manager.output())
                        .isZero();
                assertThat(manager.output()).contains("Kibo: 20 refresh request(s): 19 accepted, 1 refused");
            }
            assertThat(worker.output()).contains("kiboSend p0/2:", "kiboSend p1/2:");
        } finally {
            CachingConnectionFactory rabbit = new CachingConnectionFactory(RABBIT_HOST);
            try {
                new RabbitAdmin(rabbit).deleteQueue(queue);
            } finally {
                rabbit.destroy();
            }
        }
        assertKiboHoldsTheSnapshot();
        assertThat(partitions("COMPLETED")).hasSize(2);
        assertThat(acceptedPostsByRequest().values()).hasSize(19).containsOnly(1L);
    }

    private static List<String> partitionsOf(String location) {
        return jdbc.queryForList(
                "select distinct partition_no from kibo_request where location = ?", String.class, location);
    }

    private static List<String> partitions(String status) {
        return jdbc.queryForList(
                "select step_name from batch_step_execution where step_name like 'kiboSend-partition:%' and status = ?"
                        + OF_LATEST_RUN,
                String.class,
                status);
    }

    private static Map<String, Long> acceptedPostsByRequest() {
        return sandbox.requestLog().stream()
                .filter(r -> r.endpoint().equals("kibo.refresh") && r.status() == 200)
                .collect(Collectors.groupingBy(RequestRecord::requestId, Collectors.counting()));
    }

    private static void assertKiboHoldsTheSnapshot() {
        SKUS_AT.forEach((location, skus) -> {
            for (int i = 0; i < skus; i++) {
                assertThat(sandbox.kiboQuantity(NAMES.get(location), sku(i)))
                        .as(sku(i) + "@" + location)
                        .isEqualTo(count(i, location));
            }
            assertThat(sandbox.kiboQuantity(NAMES.get(location), sku(skus)))
                    .as("no more than the snapshot at " + location)
                    .isNull();
        });
        assertThat(jdbc.queryForObject("select count(*) from synced_position where target = 'kibo'", Integer.class))
                .isEqualTo(180);
    }

    private static Path definition(String name) {
        return SyncFixtures.write(dir.resolve(name + ".yml"), """
                name: %s
                kibo:
                  max-items: 10
                  batch-size: 5
                  locations: {WH-00: "Main DC", WH-01: "North", WH-02: "South", WH-03: "East"}
                """.formatted(name));
    }

    private static Map<String, String> properties(int grid, int threads) {
        return ProductSettings.create()
                .database(schema)
                .kibo(sandbox)
                .with("inventory-sync.kibo.poll-interval", "50ms")
                .with("inventory-sync.partitioning.grid-size", String.valueOf(grid))
                .with("inventory-sync.partitioning.threads", String.valueOf(threads))
                .output(dir.resolve("out"))
                .asMap();
    }
}
