package com.inventorysync.oms.kibo;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.jobdef.JobDefinition.KiboBasePath;
import com.inventorysync.jobdef.JobDefinition.KiboTarget;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.support.SyncTestEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/** Kibo's queue is slower than the poll timeout: the run completes and says which jobs are still open. */
@SpringBootTest
// Close the context after the class: a cached context keeps its connection pool open for the whole build.
@DirtiesContext
class KiboPollTimeoutTest {
    @RegisterExtension
    static final SyncTestEnvironment env = SyncTestEnvironment.sandbox(SandboxSeed.builder()
                    .kiboJobDelayMillis(600_000)
                    .kiboLocation("Main DC", "WH-00")
                    .sku("K-1", null, null)
                    .sku("K-2", null, null)
                    .sku("K-3", null, null)
                    .build())
            .kibo()
            .with("inventory-sync.kibo.poll-interval", "50ms")
            .with("inventory-sync.kibo.poll-timeout", "400ms");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        env.registerWith(registry);
    }

    @Autowired
    KiboSteps steps;

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

    @Test
    void jobsStillQueuedAtTheTimeoutAreReportedAndMoveNoSyncedPosition() throws Exception {
        KiboTarget kibo = new KiboTarget(KiboBasePath.INVENTORY_SPECIFIC, "sku", 2, 1, Map.of("WH-00", "Main DC"));
        Function<StepExecution, KiboTarget> target = step -> kibo;
        var stage = new StepBuilder("stage", jobRepository)
                .tasklet(
                        (contribution, chunk) -> {
                            long runId = KiboSteps.runId(contribution.getStepExecution());
                            List<Object[]> rows = new ArrayList<>();
                            for (int i = 1; i <= 3; i++) {
                                rows.add(new Object[] {runId, i + 1L, "K-" + i, "WH-00", 10 * i});
                            }
                            jdbc.batchUpdate(
                                    "insert into snapshot_row (run_id, line_no, sku, location, on_hand) values (?, ?, ?, ?, ?)",
                                    rows);
                            return RepeatStatus.FINISHED;
                        },
                        transactionManager)
                .build();
        var job = new JobBuilder("kiboPollTimeout", jobRepository)
                .start(stage)
                .next(steps.planStep(target))
                .next(steps.buildStep(target))
                .next(steps.sendStep(target))
                .next(steps.pollStep(target))
                .build();

        JobExecution run = jobOperator.start(
                job, new JobParametersBuilder().addString("test", "timeout").toJobParameters());

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        StepExecution poll = run.getStepExecutions().stream()
                .filter(s -> s.getStepName().equals("kiboPoll"))
                .findFirst()
                .orElseThrow();
        assertThat(poll.getExitStatus().getExitDescription()).startsWith("Kibo jobs still open after");
        assertThat(poll.getExecutionContext().getInt("kibo.poll.open")).isEqualTo(2);
        long runId = run.getJobInstance().getInstanceId();
        List<String> lines = report.lines(runId);
        assertThat(lines.get(0)).contains("2 refresh request(s): 2 accepted").contains("QUEUED=3");
        assertThat(lines.subList(1, 3)).allMatch(l -> l.matches(".*ACCEPTED, job \\d+ (QUEUED|PROCESSING).*"));
        assertThat(jdbc.queryForObject("select count(*) from synced_position where target = 'kibo'", Integer.class))
                .isZero();
        assertThat(env.sandbox().kiboQuantity("Main DC", "K-1")).isNull();
    }
}
