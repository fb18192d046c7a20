package com.inventorysync.cli;

import com.inventorysync.job.SyncLauncher;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * {@code sync --job <file> [--snapshot <csv>] [--dry-run] [--force]}: runs the nightly sync once. Without
 * {@code --snapshot}, a job whose source is ShipEdge pulls ShipEdge's stock first.
 */
@Component
public class SyncCommand implements CliCommand {
    private final SyncLauncher launcher;

    public SyncCommand(SyncLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public String usage() {
        return "sync --job <file> --snapshot <csv> [--dry-run] [--force] [--kibo-full-refresh <location,...|*>]"
                + " (a job with source.type shipedge: no --snapshot, the stock is pulled)";
    }

    @Override
    public int run(List<String> args, PrintStream out) {
        CommandArguments a = CommandArguments.parse(name(), args, Set.of("job", "snapshot", "kibo-full-refresh"), Set.of("dry-run", "force"));
        SyncLauncher.Result result = launcher.sync(Path.of(a.required("job")), a.value("snapshot").map(Path::of).orElse(null),
                a.flag("dry-run"), a.flag("force"), a.value("kibo-full-refresh").orElse(null));
        result.lines().forEach(out::println);
        return result.exitCode();
    }
}
