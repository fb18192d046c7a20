package com.inventorysync.cli;

import com.inventorysync.ops.SyncStatus;
import com.inventorysync.target.kibo.KiboReport;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/** {@code status [--last N]}: the latest sync executions, their outcome counts and whether they can be restarted. */
@Component
public class StatusCommand implements CliCommand {
    private final SyncStatus status;
    private final KiboReport kiboReport;

    public StatusCommand(SyncStatus status, KiboReport kiboReport) {
        this.status = status;
        this.kiboReport = kiboReport;
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String usage() {
        return "status [--last N]";
    }

    @Override
    public int run(List<String> args, PrintStream out) {
        CommandArguments a = CommandArguments.parse(name(), args, Set.of("last"), Set.of());
        int last;
        try {
            last = Integer.parseInt(a.value("last").orElse("10"));
        } catch (NumberFormatException e) {
            throw new UsageException("status: --last takes a number");
        }
        if (last < 1) {
            throw new UsageException("status: --last must be at least 1");
        }
        List<String> lines = status.lines(last);
        lines.forEach(out::println);
        kiboReport.recentRuns(last).forEach(out::println);
        return ExitCode.COMPLETED;
    }
}
