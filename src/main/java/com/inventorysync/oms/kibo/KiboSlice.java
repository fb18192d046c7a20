package com.inventorysync.oms.kibo;

import com.inventorysync.jobdef.JobDefinition;
import com.inventorysync.jobdef.JobDefinition.KiboTarget;
import com.inventorysync.oms.OmsRun;
import com.inventorysync.oms.OmsSlice;
import com.inventorysync.oms.PlanFile;
import com.inventorysync.oms.PlanGuard;
import com.inventorysync.ops.ProgressProperties;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Kibo's part of the nightly sync ({@link KiboSteps}):
 * <pre>
 * kiboOptionalFields -> kiboPlan -> (guard) -> kiboBuildRequests -> kiboSend -> kiboPoll
 * </pre>
 * Its plan is guarded like Omni's, unless the operator asked for a full refresh (every key, on purpose).
 */
@Component
public class KiboSlice implements OmsSlice {
    private final KiboSteps steps;
    private final KiboReport report;
    private final OmsRun run;
    private final JdbcTemplate jdbc;
    private final Function<StepExecution, KiboTarget> kibo;
    private final KiboRequestStore store;
    private final ProgressProperties progress;

    public KiboSlice(
            KiboSteps steps,
            KiboReport report,
            OmsRun run,
            JdbcTemplate jdbc,
            KiboRequestStore store,
            ProgressProperties progress) {
        this.steps = steps;
        this.report = report;
        this.run = run;
        this.jdbc = jdbc;
        this.store = store;
        this.progress = progress;
        this.kibo = step -> run.definition().kibo();
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
        return List.of(
                steps.buildStep(kibo),
                steps.sendStep(kibo, KiboProgress.posts(store, progress.interval())),
                steps.pollStep(kibo, KiboProgress.jobs(store, progress.interval())));
    }

    @Override
    public List<String> summaryLines(long runId) {
        return report.lines(runId);
    }
}
