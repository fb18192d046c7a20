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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Starts the reconcile job, on its own ({@code reconcile --job}) or as the last step of a nightly
 * sync whose job definition says {@code reconcile: {after-sync: true}}, and says what it found in
 * a few human lines with the exit code: 0 within the alert threshold, 4 over it, 1 failed.
 */
@Component
public class ReconcileLauncher {
    /** Job parameter of a reconciliation run as a sync's last step: the sync's execution id. */
    public static final String AFTER_SYNC_EXECUTION = "reconcile.after-sync-execution";

    /** What a run came to. */
    public record Result(RunOutcome outcome, Long executionId, List<String> lines) {
    }

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job reconcileJob;
    private final ReconcileRepository repository;
    private final JdbcTemplate jdbc;
    private final RunSettingsCheck settingsCheck;

    public ReconcileLauncher(JobOperator jobOperator, JobRepository jobRepository, @Qualifier("reconcileJob") Job reconcileJob,
                             ReconcileRepository repository, JdbcTemplate jdbc, RunSettingsCheck settingsCheck) {
        this.settingsCheck = settingsCheck;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.reconcileJob = reconcileJob;
        this.repository = repository;
        this.jdbc = jdbc;
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
            return new Result(RunOutcome.BAD_INPUT, null, List.of("reconcile: " + e.getMessage()));
        }
        String missingSettings = settingsCheck.reconcileProblem(job);
        if (missingSettings != null) {
            return new Result(RunOutcome.BAD_INPUT, null, List.of("reconcile: " + missingSettings));
        }
        JobParametersBuilder parameters = new JobParametersBuilder()
                .addString(ReconcileJobConfiguration.JOB_FILE, jobFile.toAbsolutePath().normalize().toString())
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
            return new Result(RunOutcome.FAILED, null, List.of("reconcile " + job.name() + ": could not start: " + e.getMessage()));
        }
        return describe(job, execution);
    }

    /**
     * The nightly sync's optional last step: runs the reconcile job for the sync's job definition
     * file as a job of its own (its own execution, reports and database rows).
     */
    public Step afterSyncStep() {
        return new StepBuilder("reconcileAfterSync", jobRepository).job(reconcileJob).operator(jobOperator)
                .parametersExtractor((job, stepExecution) -> new JobParametersBuilder()
                        .addString(ReconcileJobConfiguration.JOB_FILE,
                                stepExecution.getJobParameters().getString(SyncJobParameters.DEFINITION_FILE))
                        .addString(ReconcileJobConfiguration.RUN_AT, Instant.now().toString())
                        .addLong(AFTER_SYNC_EXECUTION, stepExecution.getJobExecutionId(), false)
                        .toJobParameters())
                .build();
    }

    /** What the reconciliation run as the last step of sync execution {@code syncExecutionId} found, if one ran. */
    public Optional<Result> afterSync(long syncExecutionId) {
        List<Long> ids = jdbc.queryForList("select p.job_execution_id from batch_job_execution_params p"
                + " where p.parameter_name = ? and p.parameter_value = ? order by p.job_execution_id desc",
                Long.class, AFTER_SYNC_EXECUTION, Long.toString(syncExecutionId));
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        JobExecution execution = jobRepository.getJobExecution(ids.get(0));
        if (execution == null) {
            return Optional.empty();
        }
        try {
            JobDefinition job = JobDefinitionLoader.load(Path.of(execution.getJobParameters().getString(ReconcileJobConfiguration.JOB_FILE)));
            return Optional.of(describe(job, execution));
        } catch (JobDefinitionException e) {
            return Optional.of(new Result(RunOutcome.BAD_INPUT, execution.getId(), List.of("reconcile: " + e.getMessage())));
        }
    }

    public Result describe(JobDefinition job, JobExecution execution) {
        long id = execution.getId();
        List<String> lines = new ArrayList<>();
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            lines.add("reconcile " + job.name() + ": execution " + id + " " + execution.getStatus());
            execution.getAllFailureExceptions().stream().findFirst().ifPresent(e -> lines.add("  cause: " + FailureMessage.of(e)));
            lines.add("  a reconciliation changes nothing in the OMS: run it again once the cause is fixed");
            return new Result(RunOutcome.FAILED, id, lines);
        }
        Map<DiscrepancyClass, Long> counts = repository.countsByClass(id);
        Map<DiscrepancyClass, Long> units = repository.unitsByClass(id);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        boolean over = total > job.reconcile().alertThreshold();
        Duration took = execution.getStartTime() != null && execution.getEndTime() != null
                ? Duration.between(execution.getStartTime(), execution.getEndTime()) : Duration.ZERO;
        lines.add(String.format(Locale.ROOT, "reconcile %s: execution %d completed in %.1f s", job.name(), id, took.toMillis() / 1000.0));
        lines.add(String.format(Locale.ROOT, "  %d discrepancies above tolerance %d: %s alert threshold %d", total,
                job.reconcile().tolerance(), over ? "OVER the" : "within the", job.reconcile().alertThreshold()));
        for (DiscrepancyClass c : DiscrepancyClass.values()) {
            if (counts.getOrDefault(c, 0L) > 0) {
                lines.add(String.format(Locale.ROOT, "    %-26s %6d  (%d units, %s)", c.label(), counts.get(c),
                        units.getOrDefault(c, 0L), c.impact().label()));
            }
        }
        String unknown = execution.getExecutionContext().getString("reconcile.unknownMembers", "");
        if (!unknown.isEmpty()) {
            lines.add("  pool members that are not active OMS locations (counted as 0): " + unknown);
        }
        String folder = execution.getExecutionContext().getString("reconcile.reports", "");
        lines.add("  reports: " + Path.of(folder, ReconcileOutputs.HTML) + " and " + Path.of(folder, ReconcileOutputs.CSV));
        return new Result(over ? RunOutcome.DISCREPANCIES_OVER_THRESHOLD : RunOutcome.COMPLETED, id, lines);
    }
}
