package com.inventorysync.oms.omni;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Before a run plans a target, settles what earlier runs of the same target left open, so that no
 * plan is made on baselines that ignore updates the OMS may have applied, and no key ever has two
 * updates of unknown outcome at once. Their IN_FLIGHT and UNKNOWN updates are read back once
 * settled (applied: the baseline moves; not applied: superseded; moved by something else: held,
 * the baseline forgotten), their PENDING ones are superseded, and their unfinished executions are
 * marked ABANDONED: this run replaces them, and a restart of one would send older counts.
 */
public class SupersededRuns {
    private static final Logger log = LoggerFactory.getLogger(SupersededRuns.class);

    private final PlannedUpdateStore store;
    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    /** Whether a live process runs an execution still marked running (its job's run lock is held). */
    @FunctionalInterface
    public interface LiveExecutions {
        boolean runByLiveProcess(JobExecution execution);
    }

    private final LiveExecutions live;

    /** @param live tells a run of another OMS, alive in another process, from a dead one */
    public SupersededRuns(
            PlannedUpdateStore store, JobRepository jobRepository, JobOperator jobOperator, LiveExecutions live) {
        this.store = store;
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.live = live;
    }

    /** What was settled: lines for the log and the run's output, one per superseded execution. */
    public List<String> settle(long runId, String target, OmniClient omni) {
        // This run holds the lock of the OMS it writes to, so a run of that OMS still marked running is
        // dead. One whose job's lock a live process holds writes to another OMS: it is left alone.
        Set<Long> runs = new LinkedHashSet<>();
        for (long earlier : store.otherRunsWithOpenUpdates(runId, target)) {
            if (!isLive(earlier)) {
                runs.add(earlier);
            }
        }
        if (runs.isEmpty()) {
            return List.of();
        }
        List<PlannedUpdate> open = store.withUnknownOutcomeInOtherRuns(runId, target).stream()
                .filter(u -> runs.contains(u.runId()))
                .toList();
        UnknownOutcomeResolver.Resolution r = new UnknownOutcomeResolver(omni, store).settleForLaterRun(open);
        List<String> lines = new ArrayList<>();
        if (!open.isEmpty()) {
            lines.add(String.format(
                    "%d update(s) of earlier runs had an unknown outcome: %d found applied, %d not applied"
                            + " (planned again by this run), %d held",
                    open.size(), r.applied(), r.superseded(), r.held()));
        }
        for (long earlier : runs) {
            int pending = store.markPendingSuperseded(earlier, target, runId);
            JobInstance instance = jobRepository.getJobInstance(earlier);
            JobExecution last = instance == null ? null : jobRepository.getLastJobExecution(instance);
            if (last != null
                    && last.getStatus() != BatchStatus.COMPLETED
                    && last.getStatus() != BatchStatus.ABANDONED) {
                abandon(last);
                lines.add("execution " + last.getId() + " (" + last.getStatus()
                        + ") is superseded by this run and marked ABANDONED: " + pending
                        + " update(s) it had not sent are planned again here; it can no longer be restarted");
            }
        }
        lines.forEach(line -> log.warn("run {}: {}", runId, line));
        return lines;
    }

    private boolean isLive(long run) {
        JobInstance instance = jobRepository.getJobInstance(run);
        JobExecution last = instance == null ? null : jobRepository.getLastJobExecution(instance);
        return last != null && last.isRunning() && live.runByLiveProcess(last);
    }

    private void abandon(JobExecution execution) {
        try {
            jobOperator.abandon(execution);
        } catch (JobExecutionAlreadyRunningException e) {
            // The run lock proves no live process runs it: the repository's record is stale.
            execution.setStatus(BatchStatus.ABANDONED);
            jobRepository.update(execution);
        }
    }
}
