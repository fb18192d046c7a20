package com.inventorysync.ops;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * The latest sync executions as an operator reads them: state, counts per outcome, held updates,
 * restartable or not. Executions come from the job repository; the counts from the run summaries.
 */
@Component
public class SyncStatus {
    /** The sync job's name and its parameter naming the job definition (the job package owns both). */
    private static final String SYNC_JOB = "sync";
    private static final String DEFINITION_PARAMETER = "definition";
    private static final Set<BatchStatus> ENDED_RESTARTABLE = Set.of(BatchStatus.FAILED, BatchStatus.STOPPED);
    private static final Set<BatchStatus> LEFT_RUNNING = Set.of(BatchStatus.STARTED, BatchStatus.STARTING, BatchStatus.STOPPING);

    /** Whether {@code restart} can continue an execution, and if not, why. */
    public enum Restartability {
        YES,
        /** Left running by a process that is gone: {@code restart --last-failed} recovers it. */
        PROCESS_GONE,
        NO,
        /** Ended on bad input: fix it and sync again. */
        FIX_INPUT,
        /** Refused by the guard: sync again with {@code --force}. */
        FORCE,
        RUNNING_NOW,
        /** A later execution of the same run continued it. */
        RESTARTED
    }

    /**
     * One execution.
     *
     * @param jobName     the job definition's name; null if the execution has none
     * @param summary     its counts; null when no summary was written (a run still going, or killed)
     * @param restartedAs the execution that continued this one, when {@code restartable} is RESTARTED
     * @param held        its held updates, when it is the last execution of its run
     */
    public record Execution(long executionId, long runId, String jobName, BatchStatus status, String exitCode, LocalDateTime startedAt,
                            RunSummary summary, Restartability restartable, Long restartedAs, List<HeldUpdates.Held> held) {
    }

    private final JobRepository jobRepository;
    private final RunSummaries summaries;
    private final JobRunLock runLock;
    private final HeldUpdates heldUpdates;

    public SyncStatus(JobRepository jobRepository, RunSummaries summaries, JobRunLock runLock, HeldUpdates heldUpdates) {
        this.jobRepository = jobRepository;
        this.summaries = summaries;
        this.runLock = runLock;
        this.heldUpdates = heldUpdates;
    }

    /** The latest {@code last} sync executions, newest first. */
    public List<Execution> latest(int last) {
        List<Execution> rows = new ArrayList<>();
        for (List<JobExecution> run : latestRuns(last)) {
            long lastOfRun = run.stream().mapToLong(JobExecution::getId).max().orElseThrow();
            for (JobExecution e : run) {
                rows.add(describe(e, lastOfRun));
            }
        }
        rows.sort(Comparator.comparingLong(Execution::executionId).reversed());
        return List.copyOf(rows.subList(0, Math.min(last, rows.size())));
    }

    private static final int PAGE = 20;

    /**
     * The executions of the newest runs, enough to hold the latest {@code last} executions. Runs are
     * read newest first; an older run restarted lately still shows, unless a whole page of runs
     * between it and the newest {@code last} executions added none of its own to them.
     */
    private List<List<JobExecution>> latestRuns(int last) {
        List<List<JobExecution>> runs = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (int start = 0; ; start += PAGE) {
            List<JobInstance> page = jobRepository.getJobInstances(SYNC_JOB, start, PAGE);
            long cutOff = ids.size() < last ? Long.MIN_VALUE : ids.stream().sorted(Comparator.reverseOrder()).skip(last - 1).findFirst().orElseThrow();
            boolean pageAddedAny = false;
            for (JobInstance instance : page) {
                List<JobExecution> executions = jobRepository.getJobExecutions(instance);
                if (executions.isEmpty()) {
                    continue;
                }
                runs.add(executions);
                for (JobExecution e : executions) {
                    ids.add(e.getId());
                    pageAddedAny |= e.getId() > cutOff;
                }
            }
            if (page.size() < PAGE || ids.size() >= last && !pageAddedAny) {
                return runs;
            }
        }
    }

    private Execution describe(JobExecution e, long lastOfRun) {
        String jobName = e.getJobParameters().getString(DEFINITION_PARAMETER);
        RunSummary summary = summaries.find(e.getId()).orElse(null);
        boolean isLastOfRun = lastOfRun == e.getId();
        String exit = e.getExitStatus().getExitCode();
        Restartability restartable;
        if (!isLastOfRun) {
            restartable = Restartability.RESTARTED;
        } else if (ENDED_RESTARTABLE.contains(e.getStatus())) {
            restartable = "BAD_INPUT".equals(exit) ? Restartability.FIX_INPUT
                    : "REFUSED_BY_GUARD".equals(exit) ? Restartability.FORCE : Restartability.YES;
        } else if (LEFT_RUNNING.contains(e.getStatus())) {
            restartable = jobName != null && runLock.isHeld(jobName) ? Restartability.RUNNING_NOW : Restartability.PROCESS_GONE;
        } else {
            restartable = Restartability.NO;
        }
        List<HeldUpdates.Held> held = summary != null && summary.held() > 0 && isLastOfRun ? heldUpdates.ofRun(e.getJobInstanceId()) : List.of();
        return new Execution(e.getId(), e.getJobInstanceId(), jobName, e.getStatus(), exit, e.getStartTime(), summary, restartable,
                isLastOfRun ? null : lastOfRun, held);
    }
}
