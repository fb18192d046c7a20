package com.inventorysync.job;

import com.inventorysync.cli.ExitCode;
import com.inventorysync.ingest.BadSnapshotException;
import com.inventorysync.ingest.SnapshotHeader;
import com.inventorysync.ingest.shipedge.ShipEdgeClient;
import com.inventorysync.ingest.shipedge.ShipEdgeStockExport;
import com.inventorysync.jobdef.JobDefinition;
import com.inventorysync.jobdef.JobDefinition.SourceType;
import com.inventorysync.jobdef.JobDefinitionException;
import com.inventorysync.jobdef.JobDefinitionLoader;
import com.inventorysync.ops.AbandonedRunRecovery;
import com.inventorysync.ops.JobRunLock;
import com.inventorysync.ops.RunSummaries;
import com.inventorysync.target.VendorHttpException;
import com.inventorysync.target.kibo.KiboReport;
import com.inventorysync.target.kibo.KiboSteps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Starts and restarts sync runs and says what came of them. A restart is a launch with the
 * failed execution's own parameters: Spring Batch then continues that job instance from its
 * first unfinished step.
 */
@Component
public class SyncLauncher {

    /** What a launch came to: the process exit code and a few human lines. */
    public record Result(int exitCode, Long executionId, String exitStatus, List<String> lines) {
        static Result refused(int exitCode, String... lines) {
            return new Result(exitCode, null, null, List.of(lines));
        }
    }

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final SyncJobConfiguration configuration;
    private final ObjectProvider<SyncJobConfiguration.SyncJobBeans> beans;
    private final RunSummaries summaries;
    private final SyncProperties properties;
    private final JdbcTemplate jdbc;
    private final KiboReport kiboReport;
    private final JobRunLock runLock;
    private final AbandonedRunRecovery recovery;
    private final ObjectProvider<ReconcileLauncher> reconcile;
    private final ObjectProvider<ShipEdgeClient> shipEdge;

    private static final DateTimeFormatter PULL_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'");

    public SyncLauncher(JobOperator jobOperator, JobRepository jobRepository, SyncJobConfiguration configuration,
                        ObjectProvider<SyncJobConfiguration.SyncJobBeans> beans, RunSummaries summaries,
                        SyncProperties properties, JdbcTemplate jdbc, JobRunLock runLock, AbandonedRunRecovery recovery,
                        ObjectProvider<ReconcileLauncher> reconcile, KiboReport kiboReport, ObjectProvider<ShipEdgeClient> shipEdge) {
        this.kiboReport = kiboReport;
        this.shipEdge = shipEdge;
        this.runLock = runLock;
        this.recovery = recovery;
        this.reconcile = reconcile;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.configuration = configuration;
        this.beans = beans;
        this.summaries = summaries;
        this.properties = properties;
        this.jdbc = jdbc;
    }

    public Result sync(Path definitionFile, Path snapshot, boolean dryRun, boolean force) {
        return sync(definitionFile, snapshot, dryRun, force, null);
    }

    /**
     * @param snapshot        the CSV to sync; null for a job whose source is ShipEdge, whose stock is then
     *                        pulled into {@code <output-dir>/<job>/shipedge/stock-<time>.csv} first
     * @param kiboFullRefresh Kibo locations (snapshot names, separated by commas, or {@code *}) to refresh
     *                        in full, every key changed or not; null for none
     */
    public Result sync(Path definitionFile, Path snapshot, boolean dryRun, boolean force, String kiboFullRefresh) {
        JobDefinition definition;
        String sha256 = null;
        try {
            definition = load(definitionFile);
            if (snapshot == null && definition.source().type() != SourceType.SHIPEDGE) {
                return Result.refused(ExitCode.BAD_INPUT, "sync: --snapshot <csv> is required: job '" + definition.name()
                        + "' reads CSV snapshots (source.type csv)");
            }
            if (snapshot != null) {
                sha256 = checkedSnapshot(definition, snapshot);
            }
        } catch (JobDefinitionException | BadSnapshotException e) {
            return Result.refused(ExitCode.BAD_INPUT, "sync: " + e.getMessage());
        }
        String kiboProblem = kiboFullRefresh == null ? null : KiboSteps.fullRefreshProblem(kiboFullRefresh, definition.kibo());
        if (kiboProblem != null) {
            return Result.refused(ExitCode.BAD_INPUT, "sync: --kibo-full-refresh: " + kiboProblem);
        }
        try (JobRunLock.Held lock = runLock.tryAcquire(definition.name()).orElse(null)) {
            if (lock == null) {
                return refusedWhileRunning("sync", definition.name());
            }
            List<String> pulledLines = new ArrayList<>();
            if (snapshot == null) {
                ShipEdgeStockExport.Pulled pulled;
                try {
                    pulled = pull(definition);
                    sha256 = checkedSnapshot(definition, pulled.file());
                } catch (JobDefinitionException | BadSnapshotException e) {
                    return Result.refused(ExitCode.BAD_INPUT, "sync: " + e.getMessage());
                } catch (VendorHttpException e) {
                    return Result.refused(e.isClientError() ? ExitCode.BAD_INPUT : ExitCode.FAILED,
                            "sync: ShipEdge refused the stock request: " + e.getMessage());
                } catch (RuntimeException e) {
                    return Result.refused(ExitCode.FAILED, "sync: the ShipEdge stock could not be pulled: " + e.getMessage());
                }
                snapshot = pulled.file();
                pulledLines.add("pulled " + pulled.items() + " stock records from ShipEdge (" + pulled.pages()
                        + (pulled.pages() == 1 ? " page" : " pages") + ") into " + snapshot);
            }
            recoverOrphans(lock);
            if (!force && !dryRun) {
                JobInstance earlier = jobRepository.getJobInstance(SyncJobParameters.JOB_NAME,
                        SyncJobParameters.identifying(definition.name(), sha256));
                if (earlier != null) {
                    JobExecution last = jobRepository.getLastJobExecution(earlier);
                    if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
                        if (!pulledLines.isEmpty()) {
                            // A pull that found the same stock as a completed run: nothing changed, nothing to do.
                            deleteQuietly(snapshot);
                            pulledLines.add("ShipEdge's stock is unchanged since execution " + last.getId() + " (" + last.getEndTime()
                                    + "): nothing to sync");
                            return new Result(ExitCode.COMPLETED, null, null, pulledLines);
                        }
                        return Result.refused(ExitCode.BAD_INPUT, "sync: this snapshot (sha256 " + sha256.substring(0, 12)
                                + "...) was already synced for job '" + definition.name() + "' by execution " + last.getId()
                                + " (" + last.getEndTime() + "); nothing to do. Use --force to sync it again.");
                    }
                    if (last != null && last.isRunning()) {
                        return Result.refused(ExitCode.BAD_INPUT, "sync: execution " + last.getId() + " of this snapshot is still running (status "
                                + last.getStatus() + ")");
                    }
                }
            }
            JobParameters parameters = SyncJobParameters.of(definition.name(), definitionFile, snapshot, dryRun, force);
            if (kiboFullRefresh != null) {
                parameters = new JobParametersBuilder(parameters).addString(KiboSteps.FULL_REFRESH_PARAMETER, kiboFullRefresh, false)
                        .toJobParameters();
            }
            Result result = launch("sync", definition, parameters);
            pulledLines.addAll(result.lines());
            return new Result(result.exitCode(), result.executionId(), result.exitStatus(), pulledLines);
        }
    }

    /** The snapshot's SHA-256, once it is known to be a readable file with the columns the job maps. */
    private static String checkedSnapshot(JobDefinition definition, Path snapshot) {
        if (!Files.isRegularFile(snapshot)) {
            throw new BadSnapshotException(snapshot + ": no such snapshot file");
        }
        SnapshotHeader.read(snapshot, definition.source().columns());
        return SyncJobParameters.sha256(snapshot);
    }

    private ShipEdgeStockExport.Pulled pull(JobDefinition definition) {
        ShipEdgeClient client;
        try {
            client = shipEdge.getObject();
        } catch (BeansException e) {
            Throwable cause = e.getMostSpecificCause();
            throw new JobDefinitionException(cause.getMessage() != null ? cause.getMessage() : e.getMessage());
        }
        String stamp = PULL_STAMP.format(ZonedDateTime.now(ZoneOffset.UTC));
        Path folder = properties.outputDir().resolve(definition.name()).resolve("shipedge");
        Path file = folder.resolve("stock-" + stamp + ".csv");
        for (int n = 2; Files.exists(file); n++) {
            file = folder.resolve("stock-" + stamp + "-" + n + ".csv");
        }
        return new ShipEdgeStockExport(client).pull(file);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // an unchanged pull left behind is only a duplicate of a synced snapshot
        }
    }

    public Result restart(long executionId) {
        JobExecution found = jobRepository.getJobExecution(executionId);
        if (found == null || !SyncJobParameters.JOB_NAME.equals(found.getJobInstance().getJobName())) {
            return Result.refused(ExitCode.BAD_INPUT, "restart: there is no sync execution " + executionId);
        }
        String jobName = found.getJobParameters().getString(SyncJobParameters.DEFINITION_NAME);
        try (JobRunLock.Held lock = runLock.tryAcquire(jobName).orElse(null)) {
            if (lock == null) {
                return refusedWhileRunning("restart", jobName);
            }
            if (!recoverOrphans(lock).isEmpty()) {
                found = jobRepository.getJobExecution(executionId);
            }
            return restartUnderLock(found);
        }
    }

    private Result restartUnderLock(JobExecution failed) {
        long executionId = failed.getId();
        JobExecution last = jobRepository.getLastJobExecution(failed.getJobInstance());
        if (last != null && last.getId() != executionId) {
            return Result.refused(ExitCode.BAD_INPUT, "restart: execution " + executionId + " was already restarted as execution "
                    + last.getId() + " (" + last.getStatus() + ")" + (last.getStatus() == BatchStatus.FAILED ? "; restart that one" : ""));
        }
        if (failed.getStatus() == BatchStatus.COMPLETED) {
            return Result.refused(ExitCode.BAD_INPUT, "restart: execution " + executionId + " already completed; nothing to restart");
        }
        if (failed.isRunning()) {
            return Result.refused(ExitCode.BAD_INPUT, "restart: execution " + executionId + " is " + failed.getStatus()
                    + " (still running, or its process died without recording it)");
        }
        JobParameters parameters = failed.getJobParameters();
        String name = parameters.getString(SyncJobParameters.DEFINITION_NAME);
        Long newer = jdbc.query("""
                select max(e.job_execution_id) from batch_job_execution e
                join batch_job_execution_params p on p.job_execution_id = e.job_execution_id
                where p.parameter_name = ? and p.parameter_value = ? and e.status = 'COMPLETED' and e.job_execution_id > ?
                  and e.job_instance_id <> ?""",
                rs -> rs.next() ? (Long) rs.getObject(1, Long.class) : null,
                SyncJobParameters.DEFINITION_NAME, name, executionId, failed.getJobInstanceId());
        if (newer != null) {
            return Result.refused(ExitCode.BAD_INPUT, "restart: a later run of job '" + name + "' (execution " + newer
                    + ") already completed; restarting this older snapshot would send older counts over newer ones");
        }
        JobDefinition definition;
        try {
            definition = load(Path.of(parameters.getString(SyncJobParameters.DEFINITION_FILE)));
        } catch (JobDefinitionException e) {
            return Result.refused(ExitCode.BAD_INPUT, "restart: " + e.getMessage());
        }
        return launch("restart of execution " + executionId, definition, parameters);
    }

    /**
     * Marks executions of this job that a dead process left running as FAILED. The caller holds
     * the job's run lock, which no live run of it could let go of.
     */
    private List<JobExecution> recoverOrphans(JobRunLock.Held lock) {
        return recovery.recoverOrphans(lock, SyncJobParameters.JOB_NAME,
                e -> lock.jobName().equals(e.getJobParameters().getString(SyncJobParameters.DEFINITION_NAME)));
    }

    private static Result refusedWhileRunning(String command, String jobName) {
        return Result.refused(ExitCode.BAD_INPUT, command + ": job '" + jobName + "' is being run by another process right now;"
                + " only one sync or restart of a job runs at a time. Wait for it to finish (see: status).");
    }

    /**
     * The most recent execution that failed, or that a dead process left running, and has not
     * been restarted since.
     */
    public Long lastFailedExecution() {
        return jdbc.query("""
                select max(e.job_execution_id) from batch_job_execution e
                join batch_job_instance i on i.job_instance_id = e.job_instance_id
                where i.job_name = ? and e.status in ('FAILED', 'STOPPED', 'STARTING', 'STARTED', 'STOPPING', 'UNKNOWN')
                  and not exists (select 1 from batch_job_execution later
                                  where later.job_instance_id = e.job_instance_id and later.job_execution_id > e.job_execution_id)""",
                rs -> rs.next() ? (Long) rs.getObject(1, Long.class) : null, SyncJobParameters.JOB_NAME);
    }

    private JobDefinition load(Path definitionFile) {
        JobDefinition definition = JobDefinitionLoader.load(definitionFile);
        if (definition.omni() == null && definition.kibo() == null) {
            throw new JobDefinitionException(definitionFile + ": the sync needs an 'omni' section (policy, missing), a 'kibo' section, or both");
        }
        return definition;
    }

    private Result launch(String what, JobDefinition definition, JobParameters parameters) {
        Job job = configuration.syncJob(definition, beans.getObject());
        JobExecution execution;
        try {
            execution = jobOperator.start(job, parameters);
        } catch (JobExecutionAlreadyRunningException e) {
            return Result.refused(ExitCode.BAD_INPUT, what + ": a run of this snapshot is already running: " + e.getMessage());
        } catch (JobInstanceAlreadyCompleteException e) {
            return Result.refused(ExitCode.BAD_INPUT, what + ": this run already completed: " + e.getMessage());
        } catch (Exception e) {
            return Result.refused(ExitCode.FAILED, what + ": could not be started: " + e.getMessage());
        }
        return describe(execution);
    }

    public Result describe(JobExecution execution) {
        String exit = execution.getExitStatus().getExitCode();
        int code = SyncExitCodes.processExitCode(exit, execution.getStatus() == BatchStatus.COMPLETED);
        List<String> lines = new ArrayList<>();
        summaries.find(execution.getId()).ifPresentOrElse(s -> lines.addAll(s.toText().lines().toList()),
                () -> lines.add("execution " + execution.getId() + ": " + execution.getStatus() + " (" + exit + ")"));
        Path out = SyncRun.outputDir(properties.outputDir(), execution.getJobParameters().getString(SyncJobParameters.DEFINITION_NAME),
                execution.getId());
        lines.addAll(kiboReport.lines(execution.getJobInstanceId()).stream().map(l -> "  " + l).toList());
        lines.add("  rejects: " + out.resolve("rejects.csv"));
        if (SyncExitCodes.DRY_RUN.equals(exit)) {
            lines.add("  plan (dry run, nothing sent): " + out.resolve("plan.csv"));
        }
        lines.add("  summary: " + out.resolve("summary.txt"));
        if (code == ExitCode.COMPLETED) {
            // reconcile: {after-sync: true}: its lines follow, and its exit code (4: over the alert threshold) becomes the run's
            var reconciled = reconcile.getObject().afterSync(execution.getId());
            if (reconciled.isPresent()) {
                lines.addAll(reconciled.get().lines());
                code = reconciled.get().exitCode();
            }
        }
        switch (code) {
            case ExitCode.FAILED -> lines.add("  the run can be restarted: restart --execution " + execution.getId() + " (or restart --last-failed)");
            case ExitCode.REFUSED_BY_GUARD -> lines.add("  refused by the guard: nothing was sent; if the snapshot is right, sync again with --force");
            default -> {
            }
        }
        return new Result(code, execution.getId(), exit, lines);
    }
}
