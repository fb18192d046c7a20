package com.inventorysync.cli;

import com.inventorysync.ops.SyncStatus;
import com.inventorysync.oms.kibo.KiboReport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code status [--last N]}: the latest sync executions, their outcome counts and whether they can be restarted. */
@Component
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Shows the latest sync executions: state, counts per outcome, held updates, whether each can be restarted.")
public class StatusCommand extends ContextCommand {
    private final SyncStatus status;
    private final KiboReport kiboReport;

    @Spec
    private CommandSpec spec;

    private int last = 10;

    @Option(names = "--last", paramLabel = "N", defaultValue = "10", description = "how many executions (default: ${DEFAULT-VALUE})")
    void last(int last) {
        if (last < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "status: --last must be at least 1");
        }
        this.last = last;
    }

    StatusCommand() {
        this(null, null);
    }

    @Autowired
    public StatusCommand(SyncStatus status, KiboReport kiboReport) {
        this.status = status;
        this.kiboReport = kiboReport;
    }

    @Override
    public Integer call() {
        StatusText.lines(status.latest(last)).forEach(out::println);
        kiboReport.recentRuns(last).forEach(out::println);
        return ExitCode.COMPLETED;
    }
}
