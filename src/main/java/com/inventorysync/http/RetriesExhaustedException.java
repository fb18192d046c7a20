package com.inventorysync.http;

/** Every attempt a {@link HttpRetry} allows failed transiently; the last failure is the cause. */
public class RetriesExhaustedException extends RuntimeException {
    private final int attempts;

    public RetriesExhaustedException(String operation, int attempts, Throwable last) {
        super(operation + ": gave up after " + attempts + " attempts; last failure: " + last.getMessage(), last);
        this.attempts = attempts;
    }

    public int attempts() {
        return attempts;
    }
}
