package com.inventorysync.cli;

import com.inventorysync.sandbox.SandboxCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code sandbox ...}: the local vendor server, whose options the sandbox reads itself. */
@Command(
        name = "sandbox",
        mixinStandardHelpOptions = true,
        usageHelpWidth = 120,
        versionProvider = BuildVersion.class,
        description = {
            "Runs the local vendor server in the foreground until SIGTERM or Ctrl-C.",
            "",
            SandboxCommand.USAGE
        })
final class SandboxCli {
    @Unmatched
    private List<String> arguments = new ArrayList<>();

    List<String> arguments() {
        return arguments;
    }
}
