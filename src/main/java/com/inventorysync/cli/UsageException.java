package com.inventorysync.cli;

/** The command line cannot be understood; exits with {@link ExitCode#BAD_INPUT} and the usage text. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
