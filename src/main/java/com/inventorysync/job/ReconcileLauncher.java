package com.inventorysync.job;

import com.inventorysync.config.RunSettingsCheck;
import com.inventorysync.jobdef.JobDefinition;
import com.inventorysync.jobdef.JobDefinitionException;
import com.inventorysync.jobdef.JobDefinitionLoader;
import com.inventorysync.ops.FailureMessage;
import com.inventorysync.reconcile.DiscrepancyClass;
import com.inventorysync.reconcile.ReconcileOutputs;
import com.inventorysync.reconcile.ReconcileRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Starts the reconcile job, on its own ({@code reconcile --job}) or as the last step of a nightly
 * sync whose job definition says {@code reconcile: {after-sync: true}}, and says what it found:
 * within the alert threshold, over it, or failed.
 */
@Component
public class ReconcileLauncher {
    /** Job parameter of a reconciliation run as a sync's last step: the sync's execution id. */
    public static final String AFTER_SYNC_EXECUTION = "reconcile.after-sync-execution";

    /**
     * What a reconciliation came to.
     *
     * @param executionId null when refused before an execution started
     * @param problem     why it was refused, or the first failure of a failed execution; null when it completed
     * @param findings    what a completed execution found; null otherwise
     */
    public record Result(
            RunOutcome outcome,
            String jobName,
            Long executionId,
            BatchStatus status,
            String problem,
            Findings findings) {
        static Result refused(RunOutcome outcome, String jobName, String problem) {
            return new Result(outcome, jobName, null, null, problem, null);
        }
    }

    /**
     * The discrepancies a completed reconciliation found, per class, against the job's thresholds.
     *
     * @param unknownMembers pool members that are not active OMS locations (counted as 0), separated by commas; empty if none
     */
    public record Findings(
            Map<DiscrepancyClass, Long> counts,
            Map<DiscrepancyClass, Long> units,
            long total,
            int tolerance,
            int alertThreshold,
            Duration took,
            String unknownMembers,
            Path htmlReport,
            Path csvReport) {
        public boolean overThreshold() {
            return total > alertThreshold;
        }
    }

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job reconcileJob;
    private final ReconcileRepository repository;
    private final RunSettingsCheck settingsCheck;

    public ReconcileLauncher(
            JobOperator jobOperator,
            JobRepository jobRepository,
            @Qualifier("reconcileJob") Job reconcileJob,
            ReconcileRepository repository,
            RunSettingsCheck settingsCheck) {
        this.settingsCheck = settingsCheck;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.reconcileJob = reconcileJob;
        this.repository = repository;
    }

    /**
     * @param skus   comma-separated SKUs to restrict the run to, or null for every SKU
     * @param output the output folder, or null for {@code inventory-sync.reconcile.output-dir}
     */
    public Result run(Path jobFile, String skus, String output) {
        JobDefinition job;
        try {
            job = JobDefinitionLoader.load(jobFile);
        } catch (JobDefinitionException e) {
            return Result.refused(RunOutcome.BAD_INPUT, null, e.getMessage());
        }
        String missingSettings = settingsCheck.reconcileProblem(job);
        if (missingSettings != null) {
            return Result.refused(RunOutcome.BAD_INPUT, job.name(), missingSettings);
        }
        JobParametersBuilder parameters = new JobParametersBuilder()
                .addString(
                        ReconcileJobConfiguration.JOB_FILE,
                        jobFile.toAbsolutePath().normalize().toString())
                .addString(ReconcileJobConfiguration.RUN_AT, Instant.now().toString());
        if (skus != null) {
            parameters.addString(ReconcileJobConfiguration.SKUS, skus, false);
        }
        if (output != null) {
            parameters.addString(ReconcileJobConfiguration.OUTPUT_DIR, output, false);
        }
        JobExecution execution;
        try {
            execution = jobOperator.start(reconcileJob, parameters.toJobParameters());
        } catch (Exception e) {
            return Result.refused(RunOutcome.FAILED, job.name(), "could not start: " + e.getMessage());
        }
        return describe(job, execution);
    }

    /**
     * The nightly sync's optional last step: runs the reconcile job for the sync's job definition
     * file as a job of its own (its own execution, reports and database rows).
     */
    public Step afterSyncStep() {
        return new StepBuilder("reconcileAfterSync", jobRepository)
                .job(reconcileJob)
                .operator(jobOperator)
                .parametersExtractor((job, stepExecution) -> new JobParametersBuilder()
                        .addString(
                                ReconcileJobConfiguration.JOB_FILE,
                                stepExecution.getJobParameters().getString(SyncJobParameters.DEFINITION_FILE))
                        .addString(
                                ReconcileJobConfiguration.RUN_AT, Instant.now().toString())
                        .addLong(AFTER_SYNC_EXECUTION, stepExecution.getJobExecutionId(), false)
                        .toJobParameters())
                .build();
    }

    /** What the reconciliation run as the last step of sync execution {@code sync} found, if one ran. */
    public Optional<Result> afterSync(JobExecution sync) {
        JobExecution execution = reconciliationAfter(sync);
        if (execution == null) {
            return Optional.empty();
        }
        try {
            JobDefinition job = JobDefinitionLoader.load(
                    Path.of(execution.getJobParameters().getString(ReconcileJobConfiguration.JOB_FILE)));
            return Optional.of(describe(job, execution));
        } catch (JobDefinitionException e) {
            return Optional.of(new Result(
                    RunOutcome.BAD_INPUT, null, execution.getId(), execution.getStatus(), e.getMessage(), null));
        }
    }

    private static final int PAGE = 20;

    /**
     * The newest reconcile execution started by sync execution {@code sync}. Reconcile runs are
     * read newest first; those created before the sync started cannot be its last step, so the
     * search stops there.
     */
    private JobExecution reconciliationAfter(JobExecution sync) {
        LocalDateTime syncStart = sync.getStartTime() != null ? sync.getStartTime() : sync.getCreateTime();
        for (int start = 0; ; start += PAGE) {
            List<JobInstance> page = jobRepository.getJobInstances(ReconcileJobConfiguration.JOB_NAME, start, PAGE);
            for (JobInstance instance : page) {
                List<JobExecution> executions = jobRepository.getJobExecutions(instance);
                for (JobExecution e : executions) {
                    Long after = e.getJobParameters().getLong(AFTER_SYNC_EXECUTION);
                    if (after != null && after == sync.getId()) {
                        return e;
                    }
                }
                boolean olderThanSync = executions.stream()
                        .allMatch(e -> syncStart != null
                                && e.getCreateTime() != null
                                && e.getCreateTime().isBefore(syncStart));
                if (olderThanSync) {
                    return null;
                }
            }
            if (page.size() < PAGE) {
                return null;
            }
        }
    }

    public Result describe(JobDefinition job, JobExecution execution) {
        long id = execution.getId();
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            String cause = execution.getAllFailureExceptions().stream()
                    .findFirst()
                    .map(FailureMessage::of)
                    .orElse(null);
            return new Result(RunOutcome.FAILED, job.name(), id, execution.getStatus(), cause, null);
        }
        Map<DiscrepancyClass, Long> counts = repository.countsByClass(id);
        Map<DiscrepancyClass, Long> units = repository.unitsByClass(id);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        Duration took = execution.getStartTime() != null && execution.getEndTime() != null
                ? Duration.between(execution.getStartTime(), execution.getEndTime())
                : Duration.ZERO;
        String folder = execution.getExecutionContext().getString("reconcile.reports", "");
        Findings findings = new Findings(
                counts,
                units,
                total,
                job.reconcile().tolerance(),
                job.reconcile().alertThreshold(),
                took,
                execution.getExecutionContext().getString("reconcile.unknownMembers", ""),
                Path.of(folder, ReconcileOutputs.HTML),
                Path.of(folder, ReconcileOutputs.CSV));
        return new Result(
                findings.overThreshold() ? RunOutcome.DISCREPANCIES_OVER_THRESHOLD : RunOutcome.COMPLETED,
                job.name(),
                id,
                execution.getStatus(),
                null,
                findings);
    }
}
