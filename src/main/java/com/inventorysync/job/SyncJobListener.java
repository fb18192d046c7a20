package com.inventorysync.job;

import com.inventorysync.http.CredentialsRefusedException;
import com.inventorysync.ingest.BadSnapshotException;
import com.inventorysync.jobdef.JobDefinitionException;
import com.inventorysync.oms.GuardRefusedException;
import com.inventorysync.oms.OmsSlice;
import com.inventorysync.ops.FailureMessage;
import com.inventorysync.ops.HeldUpdates;
import com.inventorysync.ops.RunMetrics;
import com.inventorysync.ops.RunSummaries;
import com.inventorysync.ops.RunSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Ends every execution the same way: an exit status an operator's scheduler can act on
 * (refused by the guard, bad input, failed, dry run), the summary stored with the execution and
 * written next to its reject file, and, once a run has completed, its staging rows dropped.
 */
public class SyncJobListener implements JobExecutionListener {
    private static final Logger log = LoggerFactory.getLogger(SyncJobListener.class);
    public static final String SUMMARY_KEY = "summary";

    private final RunSummaries summaries;
    private final JdbcTemplate jdbc;
    private final SyncProperties properties;
    private final HeldUpdates heldUpdates;

    private final List<OmsSlice> slices;
    private final RunMetrics metrics;

    public SyncJobListener(
            RunSummaries summaries,
            JdbcTemplate jdbc,
            SyncProperties properties,
            HeldUpdates heldUpdates,
            List<OmsSlice> slices,
            RunMetrics metrics) {
        this.slices = slices;
        this.metrics = metrics;
        this.summaries = summaries;
        this.heldUpdates = heldUpdates;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        metrics.syncRunStarted(execution.getId());
    }

    @Override
    public void afterJob(JobExecution execution) {
        String message = null;
        String exit;
        Throwable failure =
                execution.getAllFailureExceptions().stream().findFirst().orElse(null);
        boolean dryRun = Boolean.parseBoolean(execution.getJobParameters().getString(SyncJobParameters.DRY_RUN));
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            exit = dryRun ? SyncExitCodes.DRY_RUN : SyncExitCodes.COMPLETED;
        } else if (failure != null && causedBy(failure, GuardRefusedException.class)) {
            exit = SyncExitCodes.REFUSED_BY_GUARD;
        } else if (failure != null && causedBy(failure, CredentialsRefusedException.class)) {
            exit = SyncExitCodes.CREDENTIALS_REFUSED;
        } else if (failure != null
                && (causedBy(failure, BadSnapshotException.class) || causedBy(failure, JobDefinitionException.class))) {
            exit = SyncExitCodes.BAD_INPUT;
        } else {
            exit = SyncExitCodes.FAILED;
        }
        if (failure != null) {
            message = FailureMessage.of(failure);
        }
        execution.setExitStatus(new ExitStatus(exit, message == null ? "" : message));
        boolean completed = execution.getStatus() == BatchStatus.COMPLETED;
        if (SyncExitCodes.DRY_RUN.equals(exit) || SyncExitCodes.BAD_INPUT.equals(exit)) {
            // Neither can be continued: a dry run sent nothing, and bad input stays bad. ABANDONED keeps them out
            // of restart --last-failed and out of "a later run completed"; AbstractJob stores it after this listener.
            execution.setStatus(BatchStatus.ABANDONED);
        }

        String definitionName = execution.getJobParameters().getString(SyncJobParameters.DEFINITION_NAME);
        Path outputDir = SyncRun.outputDir(properties.outputDir(), definitionName, execution.getId());
        try {
            List<HeldUpdates.Held> held = heldUpdates.ofRun(execution.getJobInstanceId());
            if (!held.isEmpty()) {
                heldUpdates.writeCsv(held, outputDir.resolve("unresolved.csv"));
                String note =
                        held.size() + " Delta(s) held: the OMS count moved while their outcome was unknown; nothing was"
                                + " re-sent for them. Settle them by hand: " + outputDir.resolve("unresolved.csv");
                message = message == null ? note : message + "; " + note;
                log.warn("execution {}: {}", execution.getId(), note);
            }
            RunSummary summary = summaries.compute(
                    execution,
                    definitionName,
                    execution.getJobParameters().getString(SyncJobParameters.SNAPSHOT_FILE),
                    exit,
                    message,
                    outputDir);
            summaries.save(summary);
            metrics.syncRunEnded(summary);
            summaries.writeFile(summary, outputDir.resolve("summary.txt"));
            String text = summary.toText();
            List<String> sliceLines = slices.stream()
                    .flatMap(s -> s.summaryLines(execution.getJobInstanceId()).stream())
                    .toList();
            if (!sliceLines.isEmpty()) {
                String sliceText = sliceLines.stream()
                        .map(l -> "  " + l + System.lineSeparator())
                        .collect(Collectors.joining());
                Files.writeString(
                        outputDir.resolve("summary.txt"), sliceText, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                text += sliceText;
            }
            execution.getExecutionContext().putString(SUMMARY_KEY, text);
            if (completed || execution.getStatus() == BatchStatus.ABANDONED) {
                jdbc.update("delete from snapshot_row where run_id = ?", execution.getJobInstanceId());
                jdbc.update("delete from plan_change where run_id = ?", execution.getJobInstanceId());
            }
        } catch (RuntimeException | IOException e) {
            log.error("execution {}: the summary could not be recorded: {}", execution.getId(), e.getMessage(), e);
        } finally {
            metrics.syncRunClosed(execution.getId());
        }
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
