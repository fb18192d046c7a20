package com.inventorysync.cli;

import com.inventorysync.job.ReconcileJobConfiguration;
import com.inventorysync.jobdef.JobDefinition;
import com.inventorysync.jobdef.JobDefinitionException;
import com.inventorysync.jobdef.JobDefinitionLoader;
import com.inventorysync.reconcile.DiscrepancyClass;
import com.inventorysync.reconcile.ReconcileOutputs;
import com.inventorysync.reconcile.ReconcileRepository;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * {@code reconcile --job <file> [--skus A,B] [--output <dir>]}: compares Omni's pool counts with
 * its physical counts and the last-synced counts with its on-hand counts, writes the reports, and
 * exits 4 when there are more discrepancies than the job's alert threshold.
 */
@Component
public class ReconcileCommand implements CliCommand {
    private final JobOperator jobOperator;
    private final Job reconcileJob;
    private final ReconcileRepository repository;

    public ReconcileCommand(JobOperator jobOperator, @Qualifier("reconcileJob") Job reconcileJob, ReconcileRepository repository) {
        this.jobOperator = jobOperator;
        this.reconcileJob = reconcileJob;
        this.repository = repository;
    }

    @Override
    public String name() {
        return "reconcile";
    }

    @Override
    public String usage() {
        return "reconcile --job <file> [--skus SKU,SKU...] [--output <dir>]";
    }

    @Override
    public int run(List<String> args, PrintStream out) {
        CommandArguments arguments = CommandArguments.parse(name(), args, Set.of("job", "skus", "output"), Set.of());
        Path jobFile = Path.of(arguments.required("job"));
        JobDefinition job;
        try {
            job = JobDefinitionLoader.load(jobFile);
        } catch (JobDefinitionException e) {
            out.println("reconcile: " + e.getMessage());
            return ExitCode.BAD_INPUT;
        }
        if (job.pools().isEmpty()) {
            out.println("reconcile: " + jobFile + " defines no pools: only synced counts are compared");
        }
        JobParametersBuilder parameters = new JobParametersBuilder()
                .addString(ReconcileJobConfiguration.JOB_FILE, jobFile.toAbsolutePath().toString())
                .addString(ReconcileJobConfiguration.RUN_AT, Instant.now().toString());
        arguments.value("skus").ifPresent(s -> parameters.addString(ReconcileJobConfiguration.SKUS, s, false));
        arguments.value("output").ifPresent(o -> parameters.addString(ReconcileJobConfiguration.OUTPUT_DIR, o, false));
        JobExecution execution;
        try {
            execution = jobOperator.start(reconcileJob, parameters.toJobParameters());
        } catch (Exception e) {
            out.println("reconcile " + job.name() + ": could not start: " + e.getMessage());
            return ExitCode.FAILED;
        }
        return report(job, execution, out);
    }

    /** A few human lines about a finished reconciliation run; returns its exit code. */
    public int report(JobDefinition job, JobExecution execution, PrintStream out) {
        long id = execution.getId();
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            out.println("reconcile " + job.name() + ": execution " + id + " " + execution.getStatus());
            execution.getAllFailureExceptions().stream().findFirst()
                    .ifPresent(e -> out.println("  cause: " + rootMessage(e)));
            out.println("  nothing is changed in the OMS by a reconciliation: run it again when the cause is fixed");
            return ExitCode.FAILED;
        }
        Map<DiscrepancyClass, Long> counts = repository.countsByClass(id);
        Map<DiscrepancyClass, Long> units = repository.unitsByClass(id);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        boolean over = total > job.reconcile().alertThreshold();
        Duration took = execution.getStartTime() != null && execution.getEndTime() != null
                ? Duration.between(execution.getStartTime(), execution.getEndTime()) : Duration.ZERO;
        out.printf("reconcile %s: execution %d completed in %.1f s%n", job.name(), id, took.toMillis() / 1000.0);
        out.printf("  %d discrepancies above tolerance %d: %s alert threshold %d%n", total, job.reconcile().tolerance(),
                over ? "OVER the" : "within the", job.reconcile().alertThreshold());
        for (DiscrepancyClass c : DiscrepancyClass.values()) {
            if (counts.getOrDefault(c, 0L) > 0) {
                out.printf("    %-26s %6d  (%d units, %s)%n", c.label(), counts.get(c), units.getOrDefault(c, 0L), c.impact().label());
            }
        }
        String unknown = execution.getExecutionContext().getString("reconcile.unknownMembers", "");
        if (!unknown.isEmpty()) {
            out.println("  pool members that are not active OMS locations (counted as 0): " + unknown);
        }
        String folder = execution.getExecutionContext().getString("reconcile.reports", "");
        out.println("  reports: " + Path.of(folder, ReconcileOutputs.HTML) + " and " + Path.of(folder, ReconcileOutputs.CSV));
        return over ? ExitCode.DISCREPANCIES_OVER_THRESHOLD : ExitCode.COMPLETED;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (cause: " + t.getMessage() + ")";
    }
}
