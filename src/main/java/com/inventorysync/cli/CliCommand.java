package com.inventorysync.cli;

import java.io.PrintStream;
import java.util.List;

/** One command of the command line that needs the application context (database, job repository). */
public interface CliCommand {

    /** The word that selects this command: {@code sync}, {@code restart}, {@code status}, ... */
    String name();

    /** One line for the usage text. */
    String usage();

    /**
     * Runs the command and says what it did in a few human lines on {@code out}.
     *
     * @param args the arguments after the command name
     * @return the process exit code, one of {@link ExitCode}
     */
    int run(List<String> args, PrintStream out);
}
