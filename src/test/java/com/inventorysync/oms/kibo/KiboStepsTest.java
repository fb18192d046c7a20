package com.inventorysync.oms.kibo;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.jobdef.JobDefinition.KiboBasePath;
import com.inventorysync.jobdef.JobDefinition.KiboTarget;
import com.inventorysync.sandbox.Mutation;
import com.inventorysync.sandbox.RequestRecord;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.support.SyncTestEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.core.listener.StepListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The Kibo steps against PostgreSQL and the sandbox over HTTP. Each job here stages a snapshot
 * (what the sync job's ingest does) and then runs the Kibo steps as the sync job does.
 */
@SpringBootTest
// Close the context after the class: a cached context keeps its connection pool open for the whole build.
@DirtiesContext
class KiboStepsTest {
    static final int CATALOG = 21_000;

    @RegisterExtension
    static final SyncTestEnvironment env = SyncTestEnvironment.sandbox(seed())
            .kibo()
            .with("inventory-sync.kibo.poll-interval", "20ms")
            .with("inventory-sync.http.max-attempts", "3")
            .with("inventory-sync.http.initial-backoff", "5ms")
            .with("inventory-sync.http.max-backoff", "20ms");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        env.registerWith(registry);
    }

    static SandboxSeed seed() {
        SandboxSeed.Builder seed = SandboxSeed.builder()
                .kiboJobDelayMillis(20)
                .kiboLocation("Main DC", "WH-00")
                .kiboLocation("Store One", "ST-01")
                .kiboLocation("Store Two", "ST-02");
        for (int i = 0; i < CATALOG; i++) {
            seed.sku(sku(i), upc(i), "PN-" + i);
        }
        return seed.build();
    }

    @Autowired
    KiboSteps steps;

    @Autowired
    KiboClients clients;

    @Autowired
    KiboReport report;

    @Autowired
    JobRepository jobRepository;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    JdbcTemplate jdbc;

    KiboTarget kibo = new KiboTarget(
            KiboBasePath.INVENTORY_SPECIFIC,
            "sku",
            12_000,
            3_000,
            Map.of("WH-00", "Main DC", "ST-01", "Store One", "ST-02", "Store Two"));
    final Function<StepExecution, KiboTarget> target = step -> kibo;

    @BeforeEach
    void cleanSlate() {
        clients.reset();
    }

    static String sku(int i) {
        return String.format("K-%05d", i);
    }

    static String upc(int i) {
        return String.format("9%011d", i);
    }

    record Row(String sku, String location, int onHand, String upc) {
        Row(String sku, String location, int onHand) {
            this(sku, location, onHand, null);
        }
    }

    @Test
    void twentyOneThousandChangedItemsAtOneLocationGoOutAsTwelveThousandThenNineThousand() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 21_000; i++) {
            rows.add(new Row(sku(i), "WH-00", i % 50));
        }
        JobExecution run = run(rows, Map.of());
        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);

        List<RequestRecord> refreshes = accepted("kibo.refresh");
        assertThat(refreshes).hasSize(2);
        assertThat(refreshes).allMatch(r -> r.path().equals("/kibo/inv/api/v5/inventory/refresh"));
        Map<String, Long> itemsPerRequest = env.sandbox().mutationLog().stream()
                .collect(Collectors.groupingBy(Mutation::requestId, Collectors.counting()));
        assertThat(refreshes.stream()
                        .map(r -> itemsPerRequest.get(r.requestId()))
                        .toList())
                .containsExactly(12_000L, 9_000L);
        assertThat(sizes(runId(run))).containsExactly(12_000, 9_000);

        for (int i = 0; i < 21_000; i += 997) {
            assertThat(env.sandbox().kiboQuantity("Main DC", sku(i))).isEqualTo(i % 50);
        }
        assertThat(jdbc.queryForObject("select count(*) from synced_position where target = 'kibo'", Integer.class))
                .isEqualTo(21_000);
    }

    @Test
    void severalLocationsEndExactlyAsTheSnapshotAndTheNextRunSendsOnlyWhatChanged() {
        List<Row> day1 = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            day1.add(new Row(sku(i), "WH-00", 100 + i));
            day1.add(new Row(sku(i), "ST-01", i));
            day1.add(new Row(sku(i), "ST-02", 2 * i));
            day1.add(new Row(sku(i), "OTHER", 5)); // not mapped to Kibo: never sent
        }
        JobExecution first = run(day1, Map.of());
        assertThat(first.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(accepted("kibo.refresh")).hasSize(3);
        for (int i = 0; i < 30; i++) {
            assertThat(env.sandbox().kiboQuantity("Main DC", sku(i))).isEqualTo(100 + i);
            assertThat(env.sandbox().kiboQuantity("Store One", sku(i))).isEqualTo(i);
            assertThat(env.sandbox().kiboQuantity("Store Two", sku(i))).isEqualTo(2 * i);
        }

        List<Row> day2 = new ArrayList<>(day1);
        day2.set(0, new Row(sku(0), "WH-00", 7));
        day2.set(5, new Row(sku(1), "ST-01", 0));
        int before = env.sandbox().mutationLog().size();
        JobExecution second = run(day2, Map.of());
        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        List<Mutation> sent = env.sandbox()
                .mutationLog()
                .subList(before, env.sandbox().mutationLog().size());
        assertThat(sent)
                .extracting(Mutation::sku, Mutation::after)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(sku(0), 7), org.assertj.core.groups.Tuple.tuple(sku(1), 0));
        assertThat(env.sandbox().kiboQuantity("Main DC", sku(0))).isEqualTo(7);
        assertThat(env.sandbox().kiboQuantity("Store One", sku(1))).isZero();
        assertThat(sizes(runId(second))).containsExactly(1, 1);
    }

    @Test
    void aFullRefreshSendsEveryKeyOfTheLocationChangedOrNot() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(new Row(sku(i), "WH-00", i));
            rows.add(new Row(sku(i), "ST-01", i));
        }
        assertThat(run(rows, Map.of()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        JobExecution refresh = run(rows, Map.of(KiboSteps.FULL_REFRESH_PARAMETER, "WH-00"));
        assertThat(refresh.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(sizes(runId(refresh))).containsExactly(40);
        assertThat(jdbc.queryForList(
                        "select distinct location from kibo_request where run_id = ?", String.class, runId(refresh)))
                .containsExactly("WH-00");
    }

    @Test
    void aRefusalNamingTwoItemsRejectsThemWithTheVendorsReasonsAndTheRestIsApplied() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(new Row(i == 3 ? "NOT-IN-KIBO-1" : i == 7 ? "NOT-IN-KIBO-2" : sku(i), "WH-00", 10 + i));
        }
        JobExecution run = run(rows, Map.of());
        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        long runId = runId(run);

        List<KiboRequestStore.RequestRow> requests = requests(runId);
        assertThat(requests)
                .extracting(KiboRequestStore.RequestRow::state, KiboRequestStore.RequestRow::itemCount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("REFUSED", 10),
                        org.assertj.core.groups.Tuple.tuple("ACCEPTED", 8));
        assertThat(requests.get(1).replacesId()).isEqualTo(requests.get(0).id());
        assertThat(jdbc.queryForList(
                        "select pu.sku from kibo_request_item ri join planned_update pu on pu.id = ri.planned_update_id "
                                + "where ri.request_id = ? and ri.rejected_reason is not null order by ri.item_index",
                        String.class,
                        requests.get(0).id()))
                .containsExactly("NOT-IN-KIBO-1", "NOT-IN-KIBO-2");
        assertThat(jdbc.queryForList(
                        "select sku || ': ' || vendor_message from planned_update where run_id = ? and target = 'kibo' "
                                + "and state = 'REJECTED' order by sku",
                        String.class,
                        runId))
                .containsExactly(
                        "NOT-IN-KIBO-1: unknown item (sku NOT-IN-KIBO-1)",
                        "NOT-IN-KIBO-2: unknown item (sku NOT-IN-KIBO-2)");
        for (int i = 0; i < 10; i++) {
            if (i != 3 && i != 7) {
                assertThat(env.sandbox().kiboQuantity("Main DC", sku(i))).isEqualTo(10 + i);
            }
        }
        assertThat(jdbc.queryForObject("select count(*) from synced_position where target = 'kibo'", Integer.class))
                .isEqualTo(8);
        assertThat(report.lines(runId))
                .anyMatch(l -> l.contains("REFUSED"))
                .anyMatch(l -> l.contains("re-posts the rest of request"));
    }

    @Test
    void anItemTheContractWouldRefuseIsRejectedBeforeSendingAndTheOthersGo() {
        kibo = new KiboTarget(KiboBasePath.V5, "upc", 12_000, 3_000, Map.of("ST-01", "Store One"));
        List<Row> rows = List.of(
                new Row(sku(1), "ST-01", 4, upc(1)),
                new Row(sku(2), "ST-01", 5, null),
                new Row(sku(3), "ST-01", 6, upc(3)));
        JobExecution run = run(rows, Map.of());
        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(accepted("kibo.refresh"))
                .singleElement()
                .satisfies(r -> assertThat(r.path()).isEqualTo("/kibo/api/v5/inventory/refresh"));
        assertThat(sizes(runId(run))).containsExactly(2);
        assertThat(jdbc.queryForObject(
                        "select vendor_message from planned_update where run_id = ? and target = 'kibo' and state = 'REJECTED'",
                        String.class,
                        runId(run)))
                .isEqualTo("not sent: upc is empty (the job sends items by upc)");
        assertThat(env.sandbox().kiboQuantity("Store One", sku(1))).isEqualTo(4);
        assertThat(env.sandbox().kiboQuantity("Store One", sku(3))).isEqualTo(6);
    }

    @Test
    void tokensThatExpireMidRunAreRenewedOnceAndTheRunCompletes() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(new Row(sku(i), "WH-00", i + 1));
        }
        kibo = new KiboTarget(KiboBasePath.INVENTORY_SPECIFIC, "sku", 5, 5, Map.of("WH-00", "Main DC"));
        AtomicInteger written = new AtomicInteger();
        ItemWriteListener<Object> expireAfterSecondRequest = new ItemWriteListener<>() {
            @Override
            public void afterWrite(Chunk<?> items) {
                if (written.incrementAndGet() == 2) {
                    env.sandbox().faults().expireTokensNow();
                }
            }
        };
        JobExecution run = run(rows, Map.of(), expireAfterSecondRequest);
        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        List<RequestRecord> log = env.sandbox().requestLog();
        List<String> kiboCalls = log.stream()
                .filter(r -> r.endpoint().startsWith("kibo."))
                .map(r -> r.endpoint() + " " + r.status())
                .toList();
        assertThat(kiboCalls.subList(0, 8))
                .containsExactly(
                        "kibo.token 200",
                        "kibo.refresh 200",
                        "kibo.refresh 200",
                        "kibo.refresh 401",
                        "kibo.token 200",
                        "kibo.refresh 200",
                        "kibo.refresh 200",
                        "kibo.queue.get 200");
        assertThat(accepted("kibo.refresh")).hasSize(4);
        for (int i = 0; i < 20; i++) {
            assertThat(env.sandbox().kiboQuantity("Main DC", sku(i))).isEqualTo(i + 1);
        }
    }

    @Test
    void aRunFailedMidSendRestartsWithoutPostingAnAcceptedRequestTwice() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(new Row(sku(i), "WH-00", 3 * i));
        }
        kibo = new KiboTarget(KiboBasePath.INVENTORY_SPECIFIC, "sku", 10, 5, Map.of("WH-00", "Main DC"));
        AtomicInteger written = new AtomicInteger();
        ItemWriteListener<Object> outageAfterTwoRequests = new ItemWriteListener<>() {
            @Override
            public void afterWrite(Chunk<?> items) {
                if (written.incrementAndGet() == 2) {
                    env.sandbox().faults().unavailable("kibo.refresh", 1.0);
                }
            }
        };
        JobExecution failed = run(rows, Map.of(), outageAfterTwoRequests);
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        long runId = runId(failed);
        assertThat(requests(runId))
                .extracting(KiboRequestStore.RequestRow::state)
                .containsExactly("ACCEPTED", "ACCEPTED", "POSTED", "PENDING", "PENDING");

        env.sandbox().faults().clear();
        JobExecution restarted = restart(failed);
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(runId(restarted)).isEqualTo(runId);

        List<KiboRequestStore.RequestRow> requests = requests(runId);
        assertThat(requests)
                .hasSize(5)
                .allMatch(r -> r.state().equals("ACCEPTED") && "COMPLETED".equals(r.queueStatus()));
        Map<String, Long> postsAccepted = accepted("kibo.refresh").stream()
                .collect(Collectors.groupingBy(RequestRecord::requestId, Collectors.counting()));
        assertThat(postsAccepted)
                .hasSize(5)
                .allSatisfy(
                        (requestId, posts) -> assertThat(posts).as(requestId).isEqualTo(1L));
        Map<String, Long> applied = env.sandbox().mutationLog().stream()
                .collect(Collectors.groupingBy(Mutation::requestId, Collectors.counting()));
        assertThat(applied.values()).containsOnly(10L);
        assertThat(requests.get(2).attempts()).isEqualTo(2);
        for (int i = 0; i < 50; i++) {
            assertThat(env.sandbox().kiboQuantity("Main DC", sku(i))).isEqualTo(3 * i);
        }
    }

    @Test
    void aRequestWhoseAcceptanceWasNotCommittedIsPostedAgainOnRestartAndKiboEndsTheSame() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(new Row(sku(i), "WH-00", 7 * i));
        }
        kibo = new KiboTarget(KiboBasePath.INVENTORY_SPECIFIC, "sku", 10, 10, Map.of("WH-00", "Main DC"));
        AtomicInteger written = new AtomicInteger();
        // The process "dies" after Kibo answered 200 for the second request but before that answer was committed.
        ItemWriteListener<Object> crashBeforeSecondCommit = new ItemWriteListener<>() {
            @Override
            public void afterWrite(Chunk<?> items) {
                if (written.incrementAndGet() == 2) {
                    throw new IllegalStateException("simulated crash before the commit");
                }
            }
        };
        JobExecution failed = run(rows, Map.of(), crashBeforeSecondCommit);
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        long runId = runId(failed);
        assertThat(requests(runId))
                .extracting(KiboRequestStore.RequestRow::state)
                .containsExactly("ACCEPTED", "POSTED", "PENDING");

        JobExecution restarted = restart(failed);
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        List<KiboRequestStore.RequestRow> requests = requests(runId);
        assertThat(requests).allMatch(r -> r.state().equals("ACCEPTED") && "COMPLETED".equals(r.queueStatus()));
        Map<String, Long> posts = accepted("kibo.refresh").stream()
                .collect(Collectors.groupingBy(RequestRecord::requestId, Collectors.counting()));
        assertThat(posts)
                .containsEntry("kibo-req-" + requests.get(0).id(), 1L)
                .containsEntry("kibo-req-" + requests.get(1).id(), 2L)
                .containsEntry("kibo-req-" + requests.get(2).id(), 1L);
        assertThat(requests.get(1).attempts()).isEqualTo(2);
        for (int i = 0; i < 30; i++) {
            assertThat(env.sandbox().kiboQuantity("Main DC", sku(i))).isEqualTo(7 * i);
        }
    }

    @Test
    void thePollReportsEveryJobOfTheRun() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            rows.add(new Row(sku(i), "WH-00", i));
            rows.add(new Row(sku(i), "ST-02", i));
        }
        kibo = new KiboTarget(
                KiboBasePath.INVENTORY_SPECIFIC, "sku", 10, 10, Map.of("WH-00", "Main DC", "ST-02", "Store Two"));
        JobExecution run = run(rows, Map.of());
        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        List<KiboRequestStore.RequestRow> requests = requests(runId(run));
        assertThat(requests)
                .hasSize(6)
                .allMatch(r -> "COMPLETED".equals(r.queueStatus()) && r.processedCount() == r.itemCount());
        List<String> lines = report.lines(runId(run));
        for (KiboRequestStore.RequestRow r : requests) {
            assertThat(lines).anyMatch(l -> l.contains("job " + r.jobId() + " COMPLETED"));
            assertThat(env.sandbox().kiboJobStatus(r.jobId())).isEqualTo("COMPLETED");
        }
        assertThat(lines.get(0)).contains("6 refresh request(s): 6 accepted").contains("APPLIED=50");
    }

    // ---- helpers ----------------------------------------------------------------------------

    private JobExecution run(List<Row> rows, Map<String, String> parameters, StepListener... sendListeners) {
        SimpleJobBuilder job = new JobBuilder("kiboSteps", jobRepository).start(stage(rows));
        job.next(steps.planStep(target))
                .next(steps.buildStep(target))
                .next(steps.sendStep(target, sendListeners))
                .next(steps.pollStep(target));
        JobParametersBuilder p =
                new JobParametersBuilder().addString("test", UUID.randomUUID().toString());
        parameters.forEach(p::addString);
        lastJob = job.build();
        try {
            return jobOperator.start(lastJob, p.toJobParameters());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Job lastJob;

    /** What {@code restart} does: the same job instance, started again, continues from its failed step. */
    private JobExecution restart(JobExecution failed) {
        try {
            return jobOperator.start(lastJob, failed.getJobParameters());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Step stage(List<Row> rows) {
        return new StepBuilder("stage", jobRepository)
                .tasklet(
                        (contribution, chunk) -> {
                            long runId = KiboSteps.runId(contribution.getStepExecution());
                            List<Object[]> args = new ArrayList<>();
                            for (int i = 0; i < rows.size(); i++) {
                                Row r = rows.get(i);
                                args.add(new Object[] {runId, i + 2L, r.sku(), r.location(), r.onHand(), r.upc()});
                            }
                            jdbc.batchUpdate(
                                    "insert into snapshot_row (run_id, line_no, sku, location, on_hand, upc) values (?, ?, ?, ?, ?, ?)",
                                    args);
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
    }

    private static long runId(JobExecution execution) {
        return execution.getJobInstance().getInstanceId();
    }

    private List<RequestRecord> accepted(String endpoint) {
        return env.sandbox().requestLog().stream()
                .filter(r -> r.endpoint().equals(endpoint) && r.status() == 200)
                .toList();
    }

    private List<KiboRequestStore.RequestRow> requests(long runId) {
        return new KiboRequestStore(jdbc).requests(runId);
    }

    private List<Integer> sizes(long runId) {
        return requests(runId).stream()
                .filter(r -> r.state().equals("ACCEPTED"))
                .map(KiboRequestStore.RequestRow::itemCount)
                .toList();
    }
}
