package com.inventorysync.cli;

import com.inventorysync.oms.kibo.KiboReport;
import com.inventorysync.ops.SyncStatus;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code status [--last N] [--format text|json]}: the latest sync executions, the step a running one is in,
 * their outcome counts (live for a run still going) and whether they can be restarted.
 */
@Component
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description = {
            "Shows the latest sync executions: state and step, counts per outcome (so far, for a run still going), held updates,"
                    + " whether each can be restarted.",
            "--format json prints the same for monitors and scripts."
        })
public class StatusCommand extends ContextCommand {
    private final SyncStatus status;
    private final KiboReport kiboReport;

    @Spec
    private CommandSpec spec;

    private int last = 10;

    enum Format {
        text,
        json
    }

    @Option(
            names = "--format",
            paramLabel = "text|json",
            defaultValue = "text",
            description = "text (a table) or json (default: ${DEFAULT-VALUE})")
    private Format format = Format.text;

    @Option(
            names = "--last",
            paramLabel = "N",
            defaultValue = "10",
            description = "how many executions (default: ${DEFAULT-VALUE})")
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
        List<SyncStatus.Execution> executions = status.latest(last);
        if (format == Format.json) {
            out.println(StatusJson.of(executions, status.jobs(executions)));
            return ExitCode.COMPLETED;
        }
        StatusText.lines(executions).forEach(out::println);
        kiboReport.recentRuns(last).forEach(out::println);
        return ExitCode.COMPLETED;
    }
}
