package com.inventorysync.cli;

import com.inventorysync.job.SyncLauncher;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sync --job <file> [--snapshot <csv>] [--dry-run] [--force]}: runs the nightly sync once. Without
 * {@code --snapshot}, a job whose source is ShipEdge pulls ShipEdge's stock first.
 */
@Component
@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description = "Runs the nightly sync once: ingest the snapshot, plan the changes, send them to the job's OMS.")
public class SyncCommand extends ContextCommand {
    @Spec
    private CommandSpec spec;

    private final SyncLauncher launcher;

    @Option(
            names = "--job",
            defaultValue = Option.NULL_VALUE,
            paramLabel = "<file>",
            description = "the job definition (YAML); required")
    private Path job;

    @Option(
            names = "--snapshot",
            defaultValue = Option.NULL_VALUE,
            paramLabel = "<csv>",
            description = "the snapshot to sync; none for a job with source.type shipedge, whose stock is pulled")
    private Path snapshot;

    @Option(names = "--dry-run", defaultValue = "false", description = "plan only: write plan.csv, send nothing")
    private boolean dryRun;

    @Option(
            names = "--force",
            defaultValue = "false",
            description = "pass the guard, and sync a snapshot that already completed again")
    private boolean force;

    @Option(
            names = "--kibo-full-refresh",
            defaultValue = Option.NULL_VALUE,
            paramLabel = "<location,...|*>",
            description = "Kibo locations to refresh in full, every key changed or not")
    private String kiboFullRefresh;

    SyncCommand() {
        this(null);
    }

    @Autowired
    public SyncCommand(SyncLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    void validate() {
        if (job == null) {
            throw new ParameterException(spec.commandLine(), "sync: --job <file> is required");
        }
    }

    @Override
    public Integer call() {
        SyncLauncher.Result result = launcher.sync(job, snapshot, dryRun, force, kiboFullRefresh);
        SyncResultText.lines(result).forEach(out::println);
        return ExitCode.of(result.outcome());
    }
}
