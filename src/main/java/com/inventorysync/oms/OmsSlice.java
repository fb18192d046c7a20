package com.inventorysync.oms;

import com.inventorysync.jobdef.JobDefinition;
import java.util.List;
import java.util.Optional;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;

/**
 * What an OMS brings to the nightly sync: the steps that plan its updates (after ingest, before the
 * guard), its say in the guard, the plan a dry run writes, the steps that send what was planned and
 * settle or poll the outcomes, and the lines it adds to a run's summary. The sync job composes the
 * slices a job file configures; a further OMS is a package of its own implementing this.
 */
public interface OmsSlice {

    /** Short name, also the {@code target} of its rows in the product's tables. */
    String target();

    /** Whether the job file has a section for this OMS. */
    boolean configuredIn(JobDefinition definition);

    /** Steps run after ingest and before the guard. */
    List<Step> planSteps(JobDefinition definition);

    /** Why the guard refuses this slice's plan for the run, if it does. */
    Optional<String> guardRefusal(StepExecution step, OmsRun run);

    /** A dry run's plan, written next to the run's other files. */
    void writeDryRunPlan(OmsRun run);

    /** Steps run once the guard passed: sending and settling. */
    List<Step> sendSteps(JobDefinition definition);

    /** Lines this slice adds to the summary of a run (none when it has nothing to say). */
    List<String> summaryLines(long runId);
}
