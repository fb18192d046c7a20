package com.inventorysync.reconcile;

import com.inventorysync.reconcile.ReconcileRepository.RunRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * Writes a finished run's reports, {@code report.csv} (every discrepancy, streamed from the
 * database) and {@code report.html} (summary, chart, largest discrepancies, trend), into the run's
 * own folder {@code <output-dir>/<job>/reconcile-<execution>/}.
 */
@Component
public class ReconcileOutputs {
    public static final String CSV = "report.csv";
    public static final String HTML = "report.html";

    private final ReconcileRepository repository;
    private final ReconcileProperties properties;

    public ReconcileOutputs(ReconcileRepository repository, ReconcileProperties properties) {
        this.repository = repository;
        this.properties = properties;
    }

    /** The folder of one run's reports. Job names are restricted to letters, digits, '.', '_' and '-', so they are safe in a path. */
    public static Path folder(Path outputDir, String jobName, long executionId) {
        return outputDir.resolve(jobName).resolve("reconcile-" + executionId);
    }

    public Path write(long executionId) {
        RunRecord run = repository
                .run(executionId)
                .orElseThrow(() -> new IllegalStateException("no reconcile run " + executionId));
        Path folder = folder(
                run.outputDir() != null ? Path.of(run.outputDir()) : properties.outputDir(),
                run.jobName(),
                executionId);
        try (ReconcileCsvWriter csv = ReconcileCsvWriter.create(folder.resolve(CSV))) {
            repository.forEachDiscrepancy(executionId, csv::write);
        }
        ReconcileReport report = new ReconcileReport(
                run.jobName(),
                executionId,
                run.startedAt(),
                run.tolerance(),
                run.alertThreshold(),
                repository.sources(executionId),
                repository.countsByClass(executionId),
                repository.unitsByClass(executionId),
                repository.byGroup(executionId),
                repository.top(executionId, properties.topRows()),
                repository.trend(run.jobName(), executionId, properties.trendRuns()),
                CSV);
        try {
            Files.writeString(folder.resolve(HTML), ReconcileHtmlReport.render(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(HTML), e);
        }
        return folder;
    }
}
