package com.inventorysync.cli;

import com.inventorysync.sandbox.SandboxCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

/**
 * The command line: parses, answers help, version and usage errors without the application context,
 * and starts Spring only for a command that parsed and is going to run. Spring Boot property
 * overrides ({@code --spring.*}, {@code --inventory-sync.*}, {@code --logging.*}) go to Spring.
 */
@Command(
        name = "inventory-sync",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        synopsisSubcommandLabel = "<command>",
        description = "Syncs inventory counts from snapshots to OMS vendor APIs.",
        subcommands = {
            SyncCommand.class,
            RestartCommand.class,
            StatusCommand.class,
            ReconcileCommand.class,
            DemoCommand.class,
            SandboxCli.class,
            WorkerCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  completed",
            "  1  failed (restartable)",
            "  2  bad usage, configuration or input; or another run holds the job or its OMS",
            "  3  refused by the guard",
            "  4  discrepancies over the alert threshold",
            "Spring Boot properties may follow any command: --spring.datasource.url=..., --inventory-sync.omni.base-url=...",
            "--debug, with any command: DEBUG logs and full stack traces"
        })
public final class CommandLineEntry {
    private static final List<String> SPRING_PREFIXES = List.of("--spring.", "--inventory-sync.", "--logging.");
    /** --debug, with any command: the product's DEBUG lines and the stack traces of the failure-traces loggers (application.yml). */
    private static final List<String> DEBUG_LOGGING =
            List.of("--logging.level.com.inventorysync=DEBUG", "--logging.level.failure-traces=WARN");

    private CommandLineEntry() {}

    /** The picocli command tree, for parsing and help; commands created here have no application context. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine line = new CommandLine(CommandLineEntry.class);
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line;
    }

    /** Runs one command line and returns the process exit code. */
    public static int launch(String... args) {
        List<String> commandArgs = new ArrayList<>();
        List<String> springArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--debug")) {
                springArgs.addAll(DEBUG_LOGGING);
            } else if (SPRING_PREFIXES.stream().anyMatch(arg::startsWith)) {
                springArgs.add(arg);
                if (!arg.contains("=") && i + 1 < args.length) {
                    springArgs.add(args[++i]);
                }
            } else {
                commandArgs.add(arg);
            }
        }
        CommandLine line = commandLine(System.out, System.err);
        ParseResult parsed;
        try {
            parsed = line.parseArgs(commandArgs.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return usageError(e);
        }
        Integer helped = CommandLine.executeHelpRequest(parsed);
        if (helped != null) {
            return helped;
        }
        if (!parsed.hasSubcommand()) {
            line.usage(System.err);
            return ExitCode.BAD_INPUT;
        }
        ParseResult sub = parsed.subcommand();
        Object command = sub.commandSpec().userObject();
        List<String> subArgs = sub.originalArgs().subList(1, sub.originalArgs().size());
        if (command instanceof SandboxCli sandbox) {
            return SandboxCommand.run(sandbox.arguments().toArray(String[]::new));
        }
        if (command instanceof DemoCommand demo) {
            return demo.call();
        }
        if (command instanceof CommandLine.HelpCommand) {
            return ExitCode.COMPLETED;
        }
        try {
            ((ContextCommand) command).validate();
        } catch (CommandLine.ParameterException e) {
            return usageError(e);
        }
        return ContextCommandRun.run((ContextCommand) command, springArgs, subArgs);
    }

    /** The error, a "did you mean" when a command or option name is close, and where to read more; exit code 2. */
    private static int usageError(CommandLine.ParameterException e) {
        PrintStream err = System.err;
        err.println(e.getMessage());
        String name = e.getCommandLine().getCommandSpec().qualifiedName();
        String closeOption =
                e instanceof CommandLine.UnmatchedArgumentException unmatched && unmatched.isUnknownOption()
                        ? OptionSuggestion.closest(
                                unmatched.getUnmatched().get(0),
                                e.getCommandLine().getCommandSpec().optionsMap().keySet())
                        : null;
        if (closeOption != null) {
            err.println("Did you mean: " + name + " " + closeOption + "?");
        } else if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            // no close match: the usage of the command it was meant for
            e.getCommandLine().usage(err);
            return ExitCode.BAD_INPUT;
        }
        err.println("See '" + (name.equals("inventory-sync") ? "inventory-sync --help" : name + " --help") + "'.");
        return ExitCode.BAD_INPUT;
    }
}
