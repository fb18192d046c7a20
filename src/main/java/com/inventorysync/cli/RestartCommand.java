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

/** {@code restart (--execution <id> | --last-failed [--job <file>])}: continues a failed sync where it stopped. */
@Component
@Command(
        name = "restart",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description = {
            "Continues a failed, stopped or killed sync where it stopped.",
            "--last-failed takes the newest failed run of the job given by --job; without --job, of the one job that has one."
        })
public class RestartCommand extends ContextCommand {
    private final SyncLauncher launcher;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--execution",
            paramLabel = "<id>",
            defaultValue = Option.NULL_VALUE,
            description = "the execution to restart")
    private Long execution;

    @Option(names = "--last-failed", defaultValue = "false", description = "the newest failed execution")
    private boolean lastFailed;

    @Option(
            names = "--job",
            paramLabel = "<file>",
            defaultValue = Option.NULL_VALUE,
            description = "with --last-failed: of this job definition")
    private Path job;

    RestartCommand() {
        this(null);
    }

    @Autowired
    public RestartCommand(SyncLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    void validate() {
        if ((execution != null) == lastFailed) {
            throw new ParameterException(spec.commandLine(), "restart: give either --execution <id> or --last-failed");
        }
        if (job != null && !lastFailed) {
            throw new ParameterException(spec.commandLine(), "restart: --job goes with --last-failed");
        }
    }

    @Override
    public Integer call() {
        SyncLauncher.Result result = execution != null ? launcher.restart(execution) : launcher.restartLastFailed(job);
        SyncResultText.lines(result).forEach(out::println);
        return ExitCode.of(result.outcome());
    }
}
