package com.inventorysync.cli;

import com.inventorysync.job.SyncLauncher;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/** {@code restart (--execution <id> | --last-failed [--job <file>])}: continues a failed sync where it stopped. */
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
        return "restart (--execution <id> | --last-failed [--job <file>])";
    }

    @Override
    public int run(List<String> args, PrintStream out) {
        CommandArguments a = CommandArguments.parse(name(), args, Set.of("execution", "job"), Set.of("last-failed"));
        if (a.value("execution").isPresent() == a.flag("last-failed")) {
            throw new UsageException("restart: give either --execution <id> or --last-failed");
        }
        if (a.value("job").isPresent() && !a.flag("last-failed")) {
            throw new UsageException("restart: --job goes with --last-failed");
        }
        SyncLauncher.Result result;
        if (a.flag("last-failed")) {
            result = launcher.restartLastFailed(a.value("job").map(Path::of).orElse(null));
        } else {
            long executionId;
            try {
                executionId = Long.parseLong(a.required("execution"));
            } catch (NumberFormatException e) {
                throw new UsageException("restart: --execution takes a number");
            }
            result = launcher.restart(executionId);
        }
        result.lines().forEach(out::println);
        return result.exitCode();
    }
}
