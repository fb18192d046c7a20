package com.inventorysync.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A command that needs the application context (database, job repository). The same class is
 * picocli's command (created without dependencies, to parse and print help) and a Spring bean (with
 * them), which parses the arguments again into itself and runs.
 */
abstract class ContextCommand implements Callable<Integer> {

    /** Checks what picocli cannot say in annotations; throws {@link CommandLine.ParameterException} for a usage error. */
    void validate() {}

    /** Runs the parsed command with the application context's services and returns the process exit code. */
    @Override
    public abstract Integer call();

    /** Where {@link #call()} writes its lines. */
    protected PrintStream out = System.out;

    /**
     * Parses {@code args} (the words after the command name) into this command and runs it.
     *
     * @return the process exit code
     */
    public synchronized int run(List<String> args, PrintStream out) {
        CommandLine line = new CommandLine(this);
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(out, true));
        this.out = out;
        try {
            line.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            out.println(e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, out)) {
                line.usage(out);
            }
            return ExitCode.BAD_INPUT;
        }
        if (line.isUsageHelpRequested()) {
            line.usage(out);
            return ExitCode.COMPLETED;
        }
        try {
            validate();
            return call();
        } catch (CommandLine.ParameterException e) {
            out.println(e.getMessage());
            line.usage(out);
            return ExitCode.BAD_INPUT;
        } finally {
            this.out = System.out;
        }
    }
}
