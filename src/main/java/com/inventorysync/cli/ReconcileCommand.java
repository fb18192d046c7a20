package com.inventorysync.cli;

import com.inventorysync.job.ReconcileLauncher;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * {@code reconcile --job <file> [--skus A,B] [--output <dir>]}: compares Omni's pool counts with
 * its physical counts and the last-synced counts with its on-hand counts, writes the reports, and
 * exits 4 when there are more discrepancies than the job's alert threshold.
 */
@Component
public class ReconcileCommand implements CliCommand {
    private final ReconcileLauncher launcher;

    public ReconcileCommand(ReconcileLauncher launcher) {
        this.launcher = launcher;
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
        ReconcileLauncher.Result result = launcher.run(Path.of(arguments.required("job")),
                arguments.value("skus").orElse(null), arguments.value("output").orElse(null));
        result.lines().forEach(out::println);
        return result.exitCode();
    }
}
