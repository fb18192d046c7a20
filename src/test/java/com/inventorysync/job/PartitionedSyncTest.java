package com.inventorysync.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.inventorysync.sandbox.SandboxOptions;
import com.inventorysync.sandbox.SandboxServer;
import com.inventorysync.support.GeneratedSnapshots;
import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.ProductProcess;
import com.inventorysync.support.ProductSettings;
import com.inventorysync.support.SyncFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Partitioned plan and send, run as real processes over loopback HTTP against the sandbox, on
 * PostgreSQL: on a local pool, killed with SIGKILL mid-send and restarted; and by a manager with
 * two worker processes over the local RabbitMQ, one of them killed mid-partition. Every run ends
 * with the OMS holding exactly the snapshot, no key changed twice by one planned update.
 */
class PartitionedSyncTest {
    /** 100,000 keys over 4 locations; every 21st changes on day 2 (4,762 Deltas, spread over the locations). */
    static final GeneratedSnapshots DATA = new GeneratedSnapshots(25_000, 4, 21);

    static final String RABBIT_HOST = System.getenv().getOrDefault("INVENTORY_SYNC_TEST_RABBITMQ_HOST", "127.0.0.1");

    static SandboxServer sandbox = SandboxServer.start(SandboxOptions.of(DATA.seed(GeneratedSnapshots.DAY1_COUNT)));
    static String schema;
    static JdbcTemplate jdbc;

    @TempDir
    static Path dir;

    static Path day2;
    String queue;

    @BeforeAll
    static void migrate() {
        schema = PostgresTestDatabase.freshSchema(PartitionedSyncTest.class);
        jdbc = new JdbcTemplate(PostgresTestDatabase.migrate(schema));
        day2 = DATA.day2(dir.resolve("day2.csv"));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void day1AlreadySynced() {
        sandbox.reset();
        sandbox.faults().clear();
        SyncFixtures.clearSyncTables(jdbc);
        DATA.day1Synced(jdbc);
        queue = "inventory-sync.partitions.test-" + UUID.randomUUID();
    }

    @AfterEach
    void deleteQueue() {
        CachingConnectionFactory rabbit = new CachingConnectionFactory(RABBIT_HOST);
        try {
            new RabbitAdmin(rabbit).deleteQueue(queue);
        } finally {
            rabbit.destroy();
        }
    }

    @Test
    void aLocalPartitionedRunKilledMidSendIsExactAfterARestartThatRunsOnlyTheUnfinishedPartitions() {
        Path job = definition("local-partitions");
        sandbox.faults().latency("omni.onhand.put", 4, 2);
        // Four partitions, two at a time: the first two complete while the last two are still sending.
        Map<String, String> local = properties(
                Map.of("inventory-sync.partitioning.grid-size", "4", "inventory-sync.partitioning.threads", "2"));
        try (ProductProcess sync =
                ProductProcess.start(dir, local, "sync", "--job", job.toString(), "--snapshot", day2.toString())) {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> {
                        assertThat(sync.isAlive())
                                .as("the run ended before it could be killed:\n" + sync.output())
                                .isTrue();
                        return partitions("COMPLETED") >= 1 && partitions("STARTED") >= 1;
                    });
            sync.kill();
        }
        assertThat(jdbc.queryForList(
                        "select distinct partition_no from planned_update order by partition_no", Integer.class))
                .as("each location is a partition of its own")
                .containsExactly(0, 1, 2, 3);
        List<String> completedBeforeKill = partitionNames("COMPLETED");
        assertThat(jdbc.queryForObject("select count(*) from plan_change", Long.class))
                .as("the plan's comparison, kept while the run is unfinished")
                .isEqualTo(jdbc.queryForObject("select count(*) from planned_update", Long.class));
        try (ProductProcess status = ProductProcess.start(dir, local, "status", "--last", "1")) {
            assertThat(status.waitFor(Duration.ofMinutes(1)))
                    .as(status.output())
                    .isZero();
            assertThat(status.output())
                    .as("the manager step, not one of its partitions")
                    .contains("STARTED (send)")
                    .doesNotContain("send-partition");
        }

        try (ProductProcess restart = ProductProcess.start(dir, local, "restart", "--last-failed")) {
            int exit = restart.waitFor(Duration.ofMinutes(3));
            assertThat(exit).as(restart.output()).isZero();
        }
        DATA.assertOmsHoldsDay2(sandbox);
        DATA.assertEachChangeAppliedOnce(sandbox);
        for (String done : completedBeforeKill) {
            assertThat(jdbc.queryForObject(
                            "select count(*) from batch_step_execution where step_name = ?" + OF_LATEST_RUN,
                            Long.class,
                            done))
                    .as(done + " completed before the kill and is not run again")
                    .isEqualTo(1);
        }
        assertThat(jdbc.queryForObject("select count(*) from planned_update where state <> 'APPLIED'", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from plan_change", Long.class))
                .as("the comparison is let go once the run completed")
                .isZero();
    }

    @Test
    void aManagerAndTwoWorkersSyncExactlyAndAWorkerKilledMidPartitionIsRecoveredByARestart() {
        Path job = definition("remote-partitions");
        sandbox.faults().latency("omni.onhand.put", 4, 2);
        Map<String, String> remote = properties(Map.of(
                "inventory-sync.partitioning.mode", "remote",
                "inventory-sync.partitioning.grid-size", "4",
                "inventory-sync.partitioning.queue", queue,
                "inventory-sync.partitioning.heartbeat-interval", "300ms",
                "inventory-sync.partitioning.worker-timeout", "3s",
                "inventory-sync.partitioning.poll-interval", "300ms",
                "spring.rabbitmq.host", RABBIT_HOST));
        try (ProductProcess first = ProductProcess.start(dir, remote, "worker");
                ProductProcess second = ProductProcess.start(dir, remote, "worker")) {
            awaitListening(first);
            awaitListening(second);
            try (ProductProcess manager =
                    ProductProcess.start(dir, remote, "sync", "--job", job.toString(), "--snapshot", day2.toString())) {
                int before = sandbox.mutationLog().size();
                await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> {
                            assertThat(manager.isAlive())
                                    .as("the run ended before a worker could be killed:\n" + manager.output())
                                    .isTrue();
                            return partitions("STARTED") >= 2
                                    && sandbox.mutationLog().size() - before >= 500;
                        });
                first.kill();
                int exit = manager.waitFor(Duration.ofMinutes(3));
                assertThat(exit).as(manager.output()).isEqualTo(1);
                assertThat(manager.output()).contains("has not been heard from");
            }
            assertThat(jdbc.queryForList("select distinct worker from partition_worker", String.class))
                    .as("both workers ran partitions")
                    .hasSize(2);

            try (ProductProcess restart = ProductProcess.start(dir, remote, "restart", "--last-failed")) {
                int exit = restart.waitFor(Duration.ofMinutes(3));
                assertThat(exit).as(restart.output()).isZero();
            }
            assertThat(second.isAlive()).as(second.output()).isTrue();
        }
        DATA.assertOmsHoldsDay2(sandbox);
        DATA.assertEachChangeAppliedOnce(sandbox);
        assertThat(jdbc.queryForObject("select count(*) from planned_update where state <> 'APPLIED'", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject(
                        "select count(*) from batch_step_execution where step_name like 'send-partition:%'"
                                + " and status = 'COMPLETED'" + OF_LATEST_RUN,
                        Long.class))
                .as("every partition completed once")
                .isEqualTo(4);
    }

    @Test
    void aWorkerAskedToEndStopsItsPartitionAtAChunkBoundaryAndARestartCompletesTheRun() {
        Path job = definition("worker-terminated");
        sandbox.faults().latency("omni.onhand.put", 4, 2);
        Map<String, String> remote = properties(Map.of(
                "inventory-sync.partitioning.mode", "remote",
                "inventory-sync.partitioning.grid-size", "2",
                "inventory-sync.partitioning.queue", queue,
                "inventory-sync.partitioning.poll-interval", "300ms",
                "spring.rabbitmq.host", RABBIT_HOST));
        try (ProductProcess manager =
                ProductProcess.start(dir, remote, "sync", "--job", job.toString(), "--snapshot", day2.toString())) {
            try (ProductProcess worker = ProductProcess.start(dir, remote, "worker")) {
                awaitListening(worker);
                int before = sandbox.mutationLog().size();
                await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> partitions("STARTED") >= 1
                                && sandbox.mutationLog().size() - before >= 300);
                worker.terminate();
                assertThat(worker.waitFor(Duration.ofMinutes(1)))
                        .as("SIGTERM's exit: " + worker.output())
                        .isEqualTo(143);
                assertThat(worker.output()).contains("is asked to end: stopping send-partition:p");
                assertThat(worker.output().split("runs send-partition:p", -1))
                        .as("it started no other partition once asked to end: " + worker.output())
                        .hasSize(2);
            }
            assertThat(partitions("STOPPED")).as("the partition it ran").isEqualTo(1);
            assertThat(jdbc.queryForObject(
                            "select count(*) from planned_update where state in ('IN_FLIGHT', 'UNKNOWN')", Long.class))
                    .as("its sends were answered and recorded before it ended")
                    .isZero();
            // The partition it had not started went back to the queue: the next worker runs it.
            try (ProductProcess next = ProductProcess.start(dir, remote, "worker")) {
                awaitListening(next);
                assertThat(manager.waitFor(Duration.ofMinutes(2)))
                        .as(manager.output())
                        .isNotZero();
                try (ProductProcess restart = ProductProcess.start(dir, remote, "restart", "--last-failed")) {
                    assertThat(restart.waitFor(Duration.ofMinutes(3)))
                            .as(restart.output())
                            .isZero();
                }
            }
        }
        DATA.assertOmsHoldsDay2(sandbox);
        DATA.assertEachChangeAppliedOnce(sandbox);
    }

    private void awaitListening(ProductProcess worker) {
        await().atMost(Duration.ofMinutes(1)).until(() -> {
            assertThat(worker.isAlive()).as(worker.output()).isTrue();
            return worker.output().contains("takes partitions from queue");
        });
    }

    private Path definition(String name) {
        return SyncFixtures.write(dir.resolve(name + ".yml"), """
                name: %s
                omni: {policy: DELTA, missing: KEEP}
                guard: {max-changed-share: 0.5, max-zeroed-share: 0.2}
                chunk-size: 200
                concurrency: 8
                """.formatted(name));
    }

    private Map<String, String> properties(Map<String, String> partitioning) {
        ProductSettings settings =
                ProductSettings.create().database(schema).omni(sandbox).output(dir.resolve("out"));
        partitioning.forEach(settings::with);
        return settings.asMap();
    }

    /** The step executions of the latest run (job instance). */
    private static final String OF_LATEST_RUN =
            " and job_execution_id in (select job_execution_id from batch_job_execution"
                    + " where job_instance_id = (select max(job_instance_id) from batch_job_instance))";

    private long partitions(String status) {
        return jdbc.queryForObject(
                "select count(*) from batch_step_execution where step_name like 'send-partition:%' and status = ?"
                        + OF_LATEST_RUN,
                Long.class,
                status);
    }

    private List<String> partitionNames(String status) {
        return jdbc.queryForList(
                "select step_name from batch_step_execution where step_name like 'send-partition:%' and status = ?"
                        + OF_LATEST_RUN,
                String.class,
                status);
    }
}
