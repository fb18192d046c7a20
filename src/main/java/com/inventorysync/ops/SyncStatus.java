package com.inventorysync.ops;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * The latest sync executions as an operator reads them: state, the step a live or stopped one is in,
 * counts per outcome, held updates, restartable or not. Executions and their steps come from the job
 * repository. The counts of an execution that is the last of its run and did not complete (running,
 * stopped, failed, or whose summary is missing) are counted now from the run's tables, so that a
 * run in progress shows how far it got; the others' come from the summary written at their end.
 */
@Component
public class SyncStatus {
    /** The sync job's name and its parameter naming the job definition (the job package owns both). */
    private static final String SYNC_JOB = "sync";

    private static final String DEFINITION_PARAMETER = "definition";
    private static final Set<BatchStatus> ENDED_RESTARTABLE = Set.of(BatchStatus.FAILED, BatchStatus.STOPPED);
    private static final Set<BatchStatus> LEFT_RUNNING =
            Set.of(BatchStatus.STARTED, BatchStatus.STARTING, BatchStatus.STOPPING);
    /** The statuses a step a stopped or failed execution ended in may have (UNKNOWN: its end could not be recorded). */
    private static final Set<BatchStatus> ENDED_IN_STEP =
            Set.of(BatchStatus.FAILED, BatchStatus.STOPPED, BatchStatus.UNKNOWN);
    /** Executions whose summary holds their final counts: the run's rows are gone (completed) or never mattered again. */
    private static final Set<BatchStatus> COUNTED_AT_END = Set.of(BatchStatus.COMPLETED, BatchStatus.ABANDONED);

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
     * @param step        the step it is in (running, or left running by a dead process) or ended in (stopped, failed),
     *                    where a restart continues; null for one that completed, was abandoned or was continued already
     * @param endedAt     null while it runs
     * @param counts      its counts; null for an execution a later one of its run continued and that wrote no
     *                    summary (killed): what it alone reached is not known
     * @param summary     the summary written at its end; null for a run still going, or killed
     * @param restartedAs the execution that continued this one, when {@code restartable} is RESTARTED
     * @param held        its held updates, when it is the last execution of its run
     */
    public record Execution(
            long executionId,
            long runId,
            String jobName,
            BatchStatus status,
            String exitCode,
            String step,
            LocalDateTime startedAt,
            LocalDateTime endedAt,
            RunCounts counts,
            RunSummary summary,
            Restartability restartable,
            Long restartedAs,
            List<HeldUpdates.Held> held) {}

    /** A job definition that has run, and when its last completed run ended; null if none completed. */
    public record Job(String name, LocalDateTime lastCompleted) {}

    private final JobRepository jobRepository;
    private final RunSummaries summaries;
    private final JobRunLock runLock;
    private final HeldUpdates heldUpdates;

    public SyncStatus(
            JobRepository jobRepository, RunSummaries summaries, JobRunLock runLock, HeldUpdates heldUpdates) {
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
            long cutOff = ids.size() < last
                    ? Long.MIN_VALUE
                    : ids.stream()
                            .sorted(Comparator.reverseOrder())
                            .skip(last - 1)
                            .findFirst()
                            .orElseThrow();
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

    /** Every job that has a summary or is among {@code executions}, by name, with the end of its last completed run. */
    public List<Job> jobs(List<Execution> executions) {
        Map<String, LocalDateTime> lastCompleted = new TreeMap<>(summaries.lastCompletedByJob());
        executions.stream()
                .map(Execution::jobName)
                .filter(Objects::nonNull)
                .forEach(name -> lastCompleted.putIfAbsent(name, null));
        return lastCompleted.entrySet().stream()
                .map(j -> new Job(j.getKey(), j.getValue()))
                .toList();
    }

    private Execution describe(JobExecution e, long lastOfRun) {
        String jobName = e.getJobParameters().getString(DEFINITION_PARAMETER);
        RunSummary summary = summaries.find(e.getId()).orElse(null);
        boolean isLastOfRun = lastOfRun == e.getId();
        // The run's tables hold what its last execution reached: live for a running one, final for one that
        // stopped or failed. Once a later execution of the run went on, only the summary tells this one's.
        boolean countNow = isLastOfRun && (summary == null || !COUNTED_AT_END.contains(e.getStatus()));
        RunCounts counts =
                countNow ? summaries.countsOf(e.getJobInstanceId()) : summary != null ? RunCounts.of(summary) : null;
        String exit = e.getExitStatus().getExitCode();
        Restartability restartable;
        if (!isLastOfRun) {
            restartable = Restartability.RESTARTED;
        } else if (ENDED_RESTARTABLE.contains(e.getStatus())) {
            restartable = "BAD_INPUT".equals(exit)
                    ? Restartability.FIX_INPUT
                    : "REFUSED_BY_GUARD".equals(exit) ? Restartability.FORCE : Restartability.YES;
        } else if (LEFT_RUNNING.contains(e.getStatus())) {
            restartable = jobName != null && runLock.isHeld(jobName)
                    ? Restartability.RUNNING_NOW
                    : Restartability.PROCESS_GONE;
        } else {
            restartable = Restartability.NO;
        }
        List<HeldUpdates.Held> held = counts != null && counts.held() > 0 && isLastOfRun
                ? heldUpdates.ofRun(e.getJobInstanceId())
                : List.of();
        return new Execution(
                e.getId(),
                e.getJobInstanceId(),
                jobName,
                e.getStatus(),
                exit,
                isLastOfRun ? step(e) : null,
                e.getStartTime(),
                e.getEndTime(),
                counts,
                summary,
                restartable,
                isLastOfRun ? null : lastOfRun,
                held);
    }

    /**
     * The step a running execution is in (or a dead process left running), or the step a stopped or
     * failed one ended in; null for one that completed or was abandoned. A partition's step
     * ({@code send-partition:p1}) is shown as its manager step ({@code send}) when that is running too.
     */
    private static String step(JobExecution e) {
        Set<BatchStatus> stepStatuses = LEFT_RUNNING.contains(e.getStatus())
                ? LEFT_RUNNING
                : ENDED_RESTARTABLE.contains(e.getStatus()) || e.getStatus() == BatchStatus.UNKNOWN
                        ? ENDED_IN_STEP
                        : Set.of();
        return e.getStepExecutions().stream()
                .filter(step -> stepStatuses.contains(step.getStatus()))
                .sorted(Comparator.comparing(
                                (StepExecution step) -> step.getStepName().contains(":"))
                        .thenComparing(
                                Comparator.comparingLong(StepExecution::getId).reversed()))
                .findFirst()
                .map(StepExecution::getStepName)
                .orElse(null);
    }
}
