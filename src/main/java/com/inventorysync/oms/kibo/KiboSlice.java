package com.inventorysync.oms.kibo;

import com.inventorysync.jobdef.JobDefinition;
import com.inventorysync.jobdef.JobDefinition.KiboTarget;
import com.inventorysync.oms.OmsRun;
import com.inventorysync.oms.OmsSlice;
import com.inventorysync.oms.PlanFile;
import com.inventorysync.oms.PlanGuard;
import com.inventorysync.ops.ProgressProperties;
import com.inventorysync.partition.PartitionWorkerSteps;
import com.inventorysync.partition.PartitionedSteps;
import com.inventorysync.partition.WorkerStep;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Kibo's part of the nightly sync ({@link KiboSteps}):
 * <pre>
 * kiboOptionalFields -> kiboPlan -> (guard) -> kiboBuildRequests -> kiboSend -> kiboPoll
 * </pre>
 * Its plan is guarded like Omni's, unless the operator asked for a full refresh (every key, on purpose).
 *
 * <p>With partitioning on ({@code inventory-sync.partitioning.*}), {@code kiboSend} is a manager
 * step whose partitions ({@code kiboSend-partition:p<n>}) each post the requests of their share of
 * the Kibo locations ({@link KiboSendPartitions}), on this process's pool or on remote workers.
 * Plan and build stay one step each (a few statements, and requests built whole per location, so
 * that partitioning never adds a tail request); poll stays one step (a few reads per round for the
 * whole run's jobs, which Kibo works through one at a time anyway).
 */
@Component
public class KiboSlice implements OmsSlice, PartitionWorkerSteps {
    private final KiboSteps steps;
    private final KiboReport report;
    private final OmsRun run;
    private final JdbcTemplate jdbc;
    private final Function<StepExecution, KiboTarget> kibo;
    private final KiboRequestStore store;
    private final ProgressProperties progress;
    private final PartitionedSteps partitioned;
    private final KiboSendPartitions sendPartitions;
    private final WorkerStep sendPartition;

    public KiboSlice(
            KiboSteps steps,
            KiboReport report,
            OmsRun run,
            JdbcTemplate jdbc,
            KiboRequestStore store,
            ProgressProperties progress,
            PartitionedSteps partitioned,
            PlatformTransactionManager transactionManager) {
        this.steps = steps;
        this.report = report;
        this.run = run;
        this.jdbc = jdbc;
        this.store = store;
        this.progress = progress;
        this.kibo = step -> run.definition().kibo();
        this.partitioned = partitioned;
        this.sendPartitions = new KiboSendPartitions(jdbc, transactionManager);
        this.sendPartition = new WorkerStep(KiboSteps.SEND_PARTITION, () -> sendStep(KiboSteps.SEND_PARTITION));
    }

    @Override
    public List<WorkerStep> workerSteps() {
        return List.of(sendPartition);
    }

    @Override
    public String target() {
        return KiboRequestStore.TARGET;
    }

    @Override
    public boolean configuredIn(JobDefinition definition) {
        return definition.kibo() != null;
    }

    @Override
    public List<Step> planSteps(JobDefinition definition) {
        return List.of(
                steps.optionalFieldsStep(
                        kibo,
                        step -> new KiboSteps.Snapshot(
                                run.snapshot(), run.definition().source().columns())),
                steps.planStep(kibo));
    }

    @Override
    public Optional<String> guardRefusal(StepExecution step, OmsRun run) {
        if (!KiboSteps.fullRefresh(step, run.definition().kibo()).isEmpty()) {
            return Optional.empty();
        }
        PlanGuard.Verdict verdict = new PlanGuard(jdbc)
                .check(run.runId(), target(), run.definition().guard());
        return verdict.refused() ? Optional.of("Kibo: " + verdict.refusal()) : Optional.empty();
    }

    @Override
    public void writeDryRunPlan(OmsRun run) {
        new PlanFile(jdbc).write(run.runId(), target(), run.outputDir().resolve("plan-kibo.csv"));
    }

    @Override
    public List<Step> sendSteps(JobDefinition definition) {
        Step send = partitioned.settings().partitioned()
                ? partitioned.partitioned(
                        KiboSteps.SEND, sendPartition, grid -> sendPartitions.assignOnce(run.runId(), grid), false)
                : sendStep(KiboSteps.SEND);
        return List.of(
                steps.buildStep(kibo), send, steps.pollStep(kibo, KiboProgress.jobs(store, progress.interval())));
    }

    /** The whole send, or one partition's (a new step, with its own progress, for each partition execution). */
    private Step sendStep(String name) {
        return steps.sendStep(name, kibo, KiboProgress.posts(store, progress.interval()));
    }

    @Override
    public List<String> summaryLines(long runId) {
        return report.lines(runId);
    }
}
