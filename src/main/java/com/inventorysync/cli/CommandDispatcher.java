package com.inventorysync.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.stereotype.Component;

/** Runs the command named by the first argument and keeps its exit code for the process. */
@Component
public class CommandDispatcher implements ApplicationRunner, ExitCodeGenerator {
    private final Map<String, CliCommand> commands;
    private int exitCode = ExitCode.COMPLETED;

    public CommandDispatcher(List<CliCommand> commands) {
        this.commands = commands.stream().collect(Collectors.toMap(CliCommand::name, Function.identity()));
    }

    @Override
    public void run(ApplicationArguments arguments) {
        String[] args = arguments.getSourceArgs();
        if (args.length == 0) {
            return;
        }
        CliCommand command = commands.get(args[0]);
        if (command == null) {
            System.err.println("Unknown command '" + args[0] + "'.");
            System.err.println(usage());
            exitCode = ExitCode.BAD_INPUT;
            return;
        }
        try {
            exitCode = command.run(Arrays.asList(args).subList(1, args.length), System.out);
        } catch (UsageException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: " + command.usage());
            exitCode = ExitCode.BAD_INPUT;
        }
    }

    public String usage() {
        return commands.values().stream().map(c -> "  " + c.usage()).sorted().collect(Collectors.joining("\n",
                "usage: java -jar inventory-sync.jar <command> [options]\n", "\n  sandbox [--port N] [--seed FILE] ..."));
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
