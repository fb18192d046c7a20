package com.inventorysync.jobdef;

/** A job definition file that cannot be used; the message names the file and, where known, the line. */
public class JobDefinitionException extends RuntimeException {
    public JobDefinitionException(String message) {
        super(message);
    }

    public JobDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
