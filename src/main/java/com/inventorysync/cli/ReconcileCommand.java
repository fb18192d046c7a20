package com.inventorysync.cli;

import com.inventorysync.job.ReconcileLauncher;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code reconcile --job <file> [--skus A,B] [--output <dir>]}: compares Omni's pool counts with
 * its physical counts and the last-synced counts with its on-hand counts, writes the reports, and
 * exits 4 when there are more discrepancies than the job's alert threshold.
 */
@Component
@Command(
        name = "reconcile",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description =
                "Compares pool with physical counts and synced with on-hand counts; writes the HTML and CSV reports.")
public class ReconcileCommand extends ContextCommand {
    @Spec
    private CommandSpec spec;

    private final ReconcileLauncher launcher;

    @Option(
            names = "--job",
            defaultValue = Option.NULL_VALUE,
            paramLabel = "<file>",
            description = "the job definition (YAML); required")
    private Path job;

    @Option(
            names = "--skus",
            defaultValue = Option.NULL_VALUE,
            paramLabel = "SKU,SKU...",
            description = "only these SKUs")
    private String skus;

    @Option(
            names = "--output",
            defaultValue = Option.NULL_VALUE,
            paramLabel = "<dir>",
            description = "where the reports go (default: inventory-sync.reconcile.output-dir)")
    private String output;

    ReconcileCommand() {
        this(null);
    }

    @Autowired
    public ReconcileCommand(ReconcileLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    void validate() {
        if (job == null) {
            throw new ParameterException(spec.commandLine(), "reconcile: --job <file> is required");
        }
    }

    @Override
    public Integer call() {
        ReconcileLauncher.Result result = launcher.run(job, skus, output);
        ReconcileRunText.lines(result).forEach(out::println);
        return ExitCode.of(result.outcome());
    }
}
