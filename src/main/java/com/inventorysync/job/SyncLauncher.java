package com.inventorysync.job;

import com.inventorysync.config.InventorySyncProperties;
import com.inventorysync.config.RunSettingsCheck;
import com.inventorysync.http.AdaptiveLimiter;
import com.inventorysync.http.VendorHttpException;
import com.inventorysync.ingest.BadSnapshotException;
import com.inventorysync.ingest.SnapshotHeader;
import com.inventorysync.ingest.shipedge.ShipEdgeClient;
import com.inventorysync.ingest.shipedge.ShipEdgeStockExport;
import com.inventorysync.jobdef.JobDefinition;
import com.inventorysync.jobdef.JobDefinition.SourceType;
import com.inventorysync.jobdef.JobDefinitionException;
import com.inventorysync.jobdef.JobDefinitionLoader;
import com.inventorysync.oms.kibo.KiboReport;
import com.inventorysync.oms.kibo.KiboSteps;
import com.inventorysync.ops.AbandonedRunRecovery;
import com.inventorysync.ops.JobRunLock;
import com.inventorysync.ops.OmsTarget;
import com.inventorysync.ops.ProgressProperties;
import com.inventorysync.ops.RunSummaries;
import com.inventorysync.ops.RunSummary;
import com.inventorysync.partition.PartitionedSteps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
import org.springframework.stereotype.Component;

/**
 * Starts and restarts sync runs and says what came of them. A restart is a launch with the
 * failed execution's own parameters: Spring Batch then continues that job instance from its
 * first unfinished step.
 */
@Component
public class SyncLauncher {

    /**
     * What a sync or restart came to.
     *
     * @param restartOf the execution a restart was asked to continue; null for a sync
     * @param pulled    the ShipEdge stock pulled as this run's snapshot; null when the snapshot was a file
     * @param report    what happened: a run, a refusal, unchanged stock, or a choice to make
     */
    public record Result(RunOutcome outcome, RestartOf restartOf, ShipEdgeStockExport.Pulled pulled, Report report) {
        static Result refused(RunOutcome outcome, String command, Refusal reason, String message) {
            return new Result(outcome, null, null, new Refused(command, reason, message));
        }

        Result restarting(RestartOf restartOf) {
            return new Result(outcome, restartOf, pulled, report);
        }

        Result pulled(ShipEdgeStockExport.Pulled pulled) {
            return new Result(outcome, restartOf, pulled, report);
        }

        /** The execution that ran; null when none did. */
        public Long executionId() {
            return report instanceof Ran ran ? ran.executionId() : null;
        }

        /** The exit status the execution ended with; null when none ran. */
        public String exitStatus() {
            return report instanceof Ran ran ? ran.exitStatus() : null;
        }
    }

    /** A restart of {@code executionId}, a run of job {@code jobName}. */
    public record RestartOf(long executionId, String jobName) {}

    /** What a sync or restart did or why it did not. */
    public sealed interface Report permits Ran, Refused, Busy, StockUnchanged, RestartChoice {}

    /**
     * An execution ran.
     *
     * @param definitionFile the job definition it ran, as an absolute path
     * @param summary    its counts; null when it ended before the summary was written
     * @param kiboReport Kibo's report of the run, the lines its summary.txt has; empty when it had nothing to do with Kibo
     * @param plan       the dry run's plan.csv; null for a run that sent
     * @param reconciled the reconciliation run as its last step, if one ran
     */
    public record Ran(
            long executionId,
            long runId,
            String jobName,
            Path definitionFile,
            BatchStatus status,
            String exitStatus,
            RunSummary summary,
            List<String> kiboReport,
            Path rejects,
            Path plan,
            Path summaryFile,
            RunOutcome outcome,
            ReconcileLauncher.Result reconciled)
            implements Report {}

    /** Why a sync or restart did not run. */
    public enum Refusal {
        /** The command line asked for something the job cannot do. */
        USAGE,
        /** The job definition or the snapshot is unreadable or wrong. */
        BAD_INPUT,
        SHIPEDGE_REFUSED,
        SHIPEDGE_UNREACHABLE,
        /** The snapshot completed in an earlier run: {@code --force} syncs it again. */
        ALREADY_SYNCED,
        STILL_RUNNING,
        NO_SUCH_EXECUTION,
        /** Completed, restarted already, abandoned, or older than a run that completed. */
        NOT_RESTARTABLE,
        NOTHING_TO_RESTART,
        NOT_STARTED
    }

    /** Refused before an execution ran (or continued): why, and the particulars an operator needs. */
    public record Refused(String command, Refusal reason, String message) implements Report {}

    /** Refused because another process runs job {@code jobName}, or writes to an OMS it writes to ({@code oms} not null). */
    public record Busy(String command, String jobName, OmsTarget oms, String holderJob) implements Report {}

    /** The ShipEdge stock pulled is the one execution {@code executionId} already synced. */
    public record StockUnchanged(long executionId, LocalDateTime endedAt) implements Report {}

    /** {@code restart --last-failed} without {@code --job} while several jobs have a restartable execution. */
    public record RestartChoice(List<Restartable> candidates) implements Report {}

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final SyncJobConfiguration configuration;
    private final ObjectProvider<SyncJobConfiguration.SyncJobBeans> beans;
    private final RunSummaries summaries;
    private final SyncProperties properties;
    private final KiboReport kiboReport;
    private final JobRunLock runLock;
    private final AbandonedRunRecovery recovery;
    private final ObjectProvider<ReconcileLauncher> reconcile;
    private final ObjectProvider<ShipEdgeClient> shipEdge;
    private final InventorySyncProperties vendors;
    private final RunSettingsCheck settingsCheck;
    private final ProgressProperties progress;
    private final PartitionedSteps partitioned;

    private static final DateTimeFormatter PULL_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'");

    public SyncLauncher(
            JobOperator jobOperator,
            JobRepository jobRepository,
            SyncJobConfiguration configuration,
            ObjectProvider<SyncJobConfiguration.SyncJobBeans> beans,
            RunSummaries summaries,
            SyncProperties properties,
            JobRunLock runLock,
            AbandonedRunRecovery recovery,
            ObjectProvider<ReconcileLauncher> reconcile,
            KiboReport kiboReport,
            ObjectProvider<ShipEdgeClient> shipEdge,
            InventorySyncProperties vendors,
            RunSettingsCheck settingsCheck,
            ProgressProperties progress,
            PartitionedSteps partitioned) {
        this.partitioned = partitioned;
        this.vendors = vendors;
        this.progress = progress;
        this.settingsCheck = settingsCheck;
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
                return Result.refused(
                        RunOutcome.BAD_INPUT,
                        "sync",
                        Refusal.USAGE,
                        "--snapshot <csv> is required: job '" + definition.name()
                                + "' reads CSV snapshots (source.type csv)");
            }
            if (snapshot != null) {
                sha256 = checkedSnapshot(definition, snapshot);
            }
        } catch (JobDefinitionException | BadSnapshotException e) {
            return Result.refused(RunOutcome.BAD_INPUT, "sync", Refusal.BAD_INPUT, e.getMessage());
        }
        String kiboProblem =
                kiboFullRefresh == null ? null : KiboSteps.fullRefreshProblem(kiboFullRefresh, definition.kibo());
        if (kiboProblem != null) {
            return Result.refused(RunOutcome.BAD_INPUT, "sync", Refusal.USAGE, "--kibo-full-refresh: " + kiboProblem);
        }
        JobRunLock.Attempt attempt = runLock.tryAcquire(definition.name(), writesTo(definition, dryRun));
        if (attempt instanceof JobRunLock.Busy busy) {
            return refusedWhileBusy("sync", definition.name(), busy);
        }
        try (JobRunLock.Held lock = (JobRunLock.Held) attempt) {
            ShipEdgeStockExport.Pulled pulled = null;
            if (snapshot == null) {
                try {
                    pulled = pull(definition);
                    sha256 = checkedSnapshot(definition, pulled.file());
                } catch (JobDefinitionException | BadSnapshotException e) {
                    return Result.refused(RunOutcome.BAD_INPUT, "sync", Refusal.BAD_INPUT, e.getMessage());
                } catch (VendorHttpException e) {
                    return Result.refused(
                            e.isClientError() ? RunOutcome.BAD_INPUT : RunOutcome.FAILED,
                            "sync",
                            Refusal.SHIPEDGE_REFUSED,
                            "ShipEdge refused the stock request: " + e.getMessage());
                } catch (RuntimeException e) {
                    return Result.refused(
                            RunOutcome.FAILED,
                            "sync",
                            Refusal.SHIPEDGE_UNREACHABLE,
                            "the ShipEdge stock could not be pulled: " + e.getMessage());
                }
                snapshot = pulled.file();
            }
            recoverOrphans(lock);
            if (!force && !dryRun) {
                JobInstance earlier = jobRepository.getJobInstance(
                        SyncJobParameters.JOB_NAME, SyncJobParameters.identifying(definition.name(), sha256));
                if (earlier != null) {
                    JobExecution last = jobRepository.getLastJobExecution(earlier);
                    if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
                        if (pulled != null) {
                            // A pull that found the same stock as a completed run: nothing changed, nothing to do.
                            deleteQuietly(snapshot);
                            return new Result(
                                    RunOutcome.COMPLETED,
                                    null,
                                    pulled,
                                    new StockUnchanged(last.getId(), last.getEndTime()));
                        }
                        return Result.refused(
                                RunOutcome.BAD_INPUT,
                                "sync",
                                Refusal.ALREADY_SYNCED,
                                "this snapshot (sha256 " + sha256.substring(0, 12)
                                        + "...) was already synced for job '" + definition.name() + "' by execution "
                                        + last.getId()
                                        + " (" + last.getEndTime() + "); nothing to do. Use --force to sync it again.");
                    }
                    if (last != null && last.isRunning()) {
                        return Result.refused(
                                RunOutcome.BAD_INPUT,
                                "sync",
                                Refusal.STILL_RUNNING,
                                "execution " + last.getId() + " of this snapshot is still running (status "
                                        + last.getStatus() + ")");
                    }
                }
            }
            JobParameters parameters = SyncJobParameters.of(definition.name(), definitionFile, snapshot, dryRun, force);
            JobExecution abandoned = jobRepository.getLastJobExecution(SyncJobParameters.JOB_NAME, parameters);
            if (abandoned != null && abandoned.getStatus() == BatchStatus.ABANDONED) {
                // That run of this snapshot ended on bad input and cannot be continued: this one is a new run.
                parameters = new JobParametersBuilder(parameters)
                        .addString(SyncJobParameters.NONCE, UUID.randomUUID().toString(), true)
                        .toJobParameters();
            }
            if (kiboFullRefresh != null) {
                parameters = new JobParametersBuilder(parameters)
                        .addString(KiboSteps.FULL_REFRESH_PARAMETER, kiboFullRefresh, false)
                        .toJobParameters();
            }
            return launch("sync", definition, parameters).pulled(pulled);
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
        if (client.limiter() != null) {
            // One page at a time; the pace is the job's source.rate-limit, or what ShipEdge's 429s teach.
            client.limiter().startRun(file);
            client.limiter()
                    .configure(
                            new AdaptiveLimiter.Settings(1, definition.source().rateLimit(), true));
        }
        return new ShipEdgeStockExport(client, progress.interval()).pull(file);
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
        if (found == null
                || !SyncJobParameters.JOB_NAME.equals(found.getJobInstance().getJobName())) {
            return Result.refused(
                    RunOutcome.BAD_INPUT,
                    "restart",
                    Refusal.NO_SUCH_EXECUTION,
                    "there is no sync execution " + executionId);
        }
        String jobName = found.getJobParameters().getString(SyncJobParameters.DEFINITION_NAME);
        JobRunLock.Attempt attempt = runLock.tryAcquire(jobName, writesTo(found));
        if (attempt instanceof JobRunLock.Busy busy) {
            return refusedWhileBusy("restart", jobName, busy);
        }
        try (JobRunLock.Held lock = (JobRunLock.Held) attempt) {
            if (!recoverOrphans(lock).isEmpty()) {
                found = jobRepository.getJobExecution(executionId);
            }
            return restartUnderLock(found).restarting(new RestartOf(executionId, jobName));
        }
    }

    private Result restartUnderLock(JobExecution failed) {
        long executionId = failed.getId();
        JobExecution last = jobRepository.getLastJobExecution(failed.getJobInstance());
        if (last != null && last.getId() != executionId) {
            return Result.refused(
                    RunOutcome.BAD_INPUT,
                    "restart",
                    Refusal.NOT_RESTARTABLE,
                    "execution " + executionId + " was already restarted as execution " + last.getId() + " ("
                            + last.getStatus() + ")"
                            + (last.getStatus() == BatchStatus.FAILED ? "; restart that one" : ""));
        }
        if (failed.getStatus() == BatchStatus.ABANDONED) {
            return Result.refused(
                    RunOutcome.BAD_INPUT,
                    "restart",
                    Refusal.NOT_RESTARTABLE,
                    "execution " + executionId + " was "
                            + (isDryRun(failed)
                                    ? "a dry run"
                                    : "ended by bad input ("
                                            + failed.getExitStatus().getExitDescription() + ")")
                            + " and cannot be continued; fix the input and run sync again");
        }
        if (failed.getStatus() == BatchStatus.COMPLETED) {
            return Result.refused(
                    RunOutcome.BAD_INPUT,
                    "restart",
                    Refusal.NOT_RESTARTABLE,
                    "execution " + executionId + " already completed; nothing to restart");
        }
        if (failed.isRunning()) {
            return Result.refused(
                    RunOutcome.BAD_INPUT,
                    "restart",
                    Refusal.STILL_RUNNING,
                    "execution " + executionId + " is " + failed.getStatus()
                            + " (still running, or its process died without recording it)");
        }
        JobParameters parameters = failed.getJobParameters();
        String name = parameters.getString(SyncJobParameters.DEFINITION_NAME);
        Long newer = laterCompletedRun(name, failed);
        if (newer != null) {
            return Result.refused(
                    RunOutcome.BAD_INPUT,
                    "restart",
                    Refusal.NOT_RESTARTABLE,
                    "a later run of job '" + name + "' (execution " + newer
                            + ") already completed; restarting this older snapshot would send older counts over newer ones");
        }
        JobDefinition definition;
        try {
            definition = load(Path.of(parameters.getString(SyncJobParameters.DEFINITION_FILE)));
        } catch (JobDefinitionException e) {
            return Result.refused(RunOutcome.BAD_INPUT, "restart", Refusal.BAD_INPUT, e.getMessage());
        }
        return launch("restart of execution " + executionId, definition, parameters);
    }

    /**
     * Marks executions of this job that a dead process left running as FAILED. The caller holds
     * the job's run lock, which no live run of it could let go of.
     */
    private List<JobExecution> recoverOrphans(JobRunLock.Held lock) {
        return recovery.recoverOrphans(
                lock,
                SyncJobParameters.JOB_NAME,
                e -> lock.jobName().equals(e.getJobParameters().getString(SyncJobParameters.DEFINITION_NAME)));
    }

    private static Result refusedWhileBusy(String command, String jobName, JobRunLock.Busy busy) {
        return new Result(RunOutcome.BAD_INPUT, null, null, new Busy(command, jobName, busy.oms(), busy.holderJob()));
    }

    /** An execution {@code restart --last-failed} would continue: the last of its run, failed or left running by a dead process. */
    public record Restartable(
            long executionId, String jobName, String definitionFile, BatchStatus status, LocalDateTime startedAt) {}

    /**
     * The newest restartable execution of each job, newest first. Dry runs, runs that ended on bad
     * input or were refused by the guard, runs of a job that completed a later run, and runs whose
     * process is alive are not restartable.
     */
    public List<Restartable> restartable() {
        List<JobExecution> lastOfEachRun = lastExecutionOfEachRun();
        Map<String, Restartable> newestPerJob = new LinkedHashMap<>();
        for (JobExecution e : lastOfEachRun) {
            String job = e.getJobParameters().getString(SyncJobParameters.DEFINITION_NAME);
            if (job == null
                    || newestPerJob.containsKey(job)
                    || !RESTARTABLE_STATUSES.contains(e.getStatus())
                    || isDryRun(e)
                    || SyncExitCodes.BAD_INPUT.equals(e.getExitStatus().getExitCode())
                    || SyncExitCodes.REFUSED_BY_GUARD.equals(e.getExitStatus().getExitCode())
                    || laterCompletedRun(job, e, lastOfEachRun) != null
                    || e.isRunning() && runLock.isHeld(job)) {
                continue;
            }
            newestPerJob.put(
                    job,
                    new Restartable(
                            e.getId(),
                            job,
                            e.getJobParameters().getString(SyncJobParameters.DEFINITION_FILE),
                            e.getStatus(),
                            e.getStartTime()));
        }
        return List.copyOf(newestPerJob.values());
    }

    /**
     * {@code restart --last-failed}: the newest restartable execution of the job in {@code definitionFile}, or,
     * with no file, of the one job that has one (refused, listing them, when several jobs have one).
     */
    public Result restartLastFailed(Path definitionFile) {
        List<Restartable> candidates = restartable();
        if (definitionFile != null) {
            String name;
            try {
                name = load(definitionFile).name();
            } catch (JobDefinitionException e) {
                return Result.refused(RunOutcome.BAD_INPUT, "restart", Refusal.BAD_INPUT, e.getMessage());
            }
            candidates =
                    candidates.stream().filter(c -> c.jobName().equals(name)).toList();
            if (candidates.isEmpty()) {
                return nothingToRestart(name, "job '" + name + "' has no failed sync execution to restart");
            }
        }
        if (candidates.isEmpty()) {
            return nothingToRestart(null, "no failed sync execution to restart");
        }
        if (candidates.size() > 1) {
            return new Result(RunOutcome.BAD_INPUT, null, null, new RestartChoice(candidates));
        }
        return restart(candidates.get(0).executionId());
    }

    /**
     * Nothing failed; but while a live process runs the job (the scheduler's catch-up restart while
     * the night's run still goes), that is said as for any second run of a job, with exit 2.
     */
    private Result nothingToRestart(String onlyJob, String message) {
        String running = jobRepository.findRunningJobExecutions(SyncJobParameters.JOB_NAME).stream()
                .map(e -> e.getJobParameters().getString(SyncJobParameters.DEFINITION_NAME))
                .filter(job -> job != null && (onlyJob == null || onlyJob.equals(job)) && runLock.isHeld(job))
                .findFirst()
                .orElse(null);
        if (running != null) {
            return new Result(RunOutcome.BAD_INPUT, null, null, new Busy("restart", running, null, null));
        }
        return Result.refused(RunOutcome.COMPLETED, "restart", Refusal.NOTHING_TO_RESTART, message);
    }

    private static final Set<BatchStatus> RESTARTABLE_STATUSES = Set.of(
            BatchStatus.FAILED,
            BatchStatus.STOPPED,
            BatchStatus.STARTING,
            BatchStatus.STARTED,
            BatchStatus.STOPPING,
            BatchStatus.UNKNOWN);

    private static final int PAGE = 100;

    /** The last execution of every sync run, newest first. */
    private List<JobExecution> lastExecutionOfEachRun() {
        List<JobExecution> executions = new ArrayList<>();
        for (int start = 0; ; start += PAGE) {
            List<JobInstance> page = jobRepository.getJobInstances(SyncJobParameters.JOB_NAME, start, PAGE);
            for (JobInstance instance : page) {
                JobExecution last = jobRepository.getLastJobExecution(instance);
                if (last != null) {
                    executions.add(last);
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        executions.sort(Comparator.comparingLong(JobExecution::getId).reversed());
        return executions;
    }

    private Long laterCompletedRun(String jobName, JobExecution failed) {
        return laterCompletedRun(jobName, failed, lastExecutionOfEachRun());
    }

    /** A later run of the same job that completed and sent (a dry run sends nothing), if any: its execution id. */
    private static Long laterCompletedRun(String jobName, JobExecution failed, List<JobExecution> lastOfEachRun) {
        return lastOfEachRun.stream()
                .filter(e -> e.getId() > failed.getId() && e.getJobInstanceId() != failed.getJobInstanceId())
                .filter(e -> e.getStatus() == BatchStatus.COMPLETED && !isDryRun(e))
                .filter(e -> jobName.equals(e.getJobParameters().getString(SyncJobParameters.DEFINITION_NAME)))
                .map(JobExecution::getId)
                .findFirst()
                .orElse(null);
    }

    private static boolean isDryRun(JobExecution execution) {
        return Boolean.parseBoolean(execution.getJobParameters().getString(SyncJobParameters.DRY_RUN));
    }

    /** The OMS accounts a run sends to; a dry run sends nothing. */
    private List<OmsTarget> writesTo(JobDefinition definition, boolean dryRun) {
        List<OmsTarget> targets = new ArrayList<>();
        if (dryRun) {
            return targets;
        }
        if (definition.omni() != null) {
            targets.add(OmsTarget.of(
                    "Omni", vendors.omni().baseUrl(), vendors.omni().subscriptionKey()));
        }
        if (definition.kibo() != null) {
            // Kibo's tenant and site are part of its host name; the client id names the application.
            targets.add(OmsTarget.of(
                    "Kibo", vendors.kibo().baseUrl(), vendors.kibo().clientId()));
        }
        return targets;
    }

    private List<OmsTarget> writesTo(JobExecution execution) {
        try {
            return writesTo(
                    load(Path.of(execution.getJobParameters().getString(SyncJobParameters.DEFINITION_FILE))),
                    isDryRun(execution));
        } catch (JobDefinitionException e) {
            return List.of(); // the restart refuses the unreadable job file itself, under the job's lock
        }
    }

    private JobDefinition load(Path definitionFile) {
        JobDefinition definition = JobDefinitionLoader.load(definitionFile);
        if (definition.omni() == null && definition.kibo() == null) {
            throw new JobDefinitionException(
                    definitionFile + ": the sync needs an 'omni' section (policy, missing), a 'kibo' section, or both");
        }
        // Every sync and restart loads its job file here, before any pull, lock or job execution: the vendor settings
        // it needs, or exit 2.
        String missingSettings = settingsCheck.syncProblem(definition);
        if (missingSettings == null) {
            missingSettings = partitioned.startProblem();
        }
        if (missingSettings != null) {
            throw new JobDefinitionException(missingSettings);
        }
        return definition;
    }

    private Result launch(String what, JobDefinition definition, JobParameters parameters) {
        Job job = configuration.syncJob(definition, beans.getObject());
        JobExecution execution;
        try {
            execution = jobOperator.start(job, parameters);
        } catch (JobExecutionAlreadyRunningException e) {
            return Result.refused(
                    RunOutcome.BAD_INPUT,
                    what,
                    Refusal.STILL_RUNNING,
                    "a run of this snapshot is already running: " + e.getMessage());
        } catch (JobInstanceAlreadyCompleteException e) {
            return Result.refused(
                    RunOutcome.BAD_INPUT,
                    what,
                    Refusal.NOT_RESTARTABLE,
                    "this run already completed: " + e.getMessage());
        } catch (Exception e) {
            return Result.refused(
                    RunOutcome.FAILED, what, Refusal.NOT_STARTED, "could not be started: " + e.getMessage());
        }
        return describe(execution);
    }

    /** What execution {@code execution} came to, with its summary, output files and the reconciliation run as its last step. */
    public Result describe(JobExecution execution) {
        String exit = execution.getExitStatus().getExitCode();
        RunOutcome outcome = SyncExitCodes.outcomeOf(
                exit, execution.getStatus() == BatchStatus.COMPLETED || SyncExitCodes.DRY_RUN.equals(exit));
        String jobName = execution.getJobParameters().getString(SyncJobParameters.DEFINITION_NAME);
        Path out = SyncRun.outputDir(properties.outputDir(), jobName, execution.getId());
        ReconcileLauncher.Result reconciled = null;
        if (outcome == RunOutcome.COMPLETED) {
            // reconcile: {after-sync: true}: its outcome (over the alert threshold) becomes the run's
            reconciled = reconcile.getObject().afterSync(execution).orElse(null);
            if (reconciled != null) {
                outcome = reconciled.outcome();
            }
        }
        String definitionFile = execution.getJobParameters().getString(SyncJobParameters.DEFINITION_FILE);
        Ran ran = new Ran(
                execution.getId(),
                execution.getJobInstanceId(),
                jobName,
                definitionFile == null ? null : Path.of(definitionFile),
                execution.getStatus(),
                exit,
                summaries.find(execution.getId()).orElse(null),
                kiboReport.lines(execution.getJobInstanceId()),
                out.resolve("rejects.csv"),
                SyncExitCodes.DRY_RUN.equals(exit) ? out.resolve("plan.csv") : null,
                out.resolve("summary.txt"),
                outcome,
                reconciled);
        return new Result(outcome, null, null, ran);
    }
}
