package com.inventorysync.cli;

import com.inventorysync.job.SyncLauncher;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/** {@code restart (--execution <id> | --last-failed)}: continues a failed sync where it stopped. */
@Component
public class RestartCommand implements CliCommand {
    private final SyncLauncher launcher;

    public RestartCommand(SyncLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public String name() {
        return "restart";
    }

    @Override
    public String usage() {
        return "restart (--execution <id> | --last-failed)";
    }

    @Override
    public int run(List<String> args, PrintStream out) {
        CommandArguments a = CommandArguments.parse(name(), args, Set.of("execution"), Set.of("last-failed"));
        long executionId;
        if (a.value("execution").isPresent() == a.flag("last-failed")) {
            throw new UsageException("restart: give either --execution <id> or --last-failed");
        }
        if (a.flag("last-failed")) {
            Long last = launcher.lastFailedExecution();
            if (last == null) {
                out.println("restart: no failed sync execution to restart");
                return ExitCode.COMPLETED;
            }
            executionId = last;
        } else {
            try {
                executionId = Long.parseLong(a.required("execution"));
            } catch (NumberFormatException e) {
                throw new UsageException("restart: --execution takes a number");
            }
        }
        out.println("restart: restarting execution " + executionId);
        SyncLauncher.Result result = launcher.restart(executionId);
        result.lines().forEach(out::println);
        return result.exitCode();
    }
}
