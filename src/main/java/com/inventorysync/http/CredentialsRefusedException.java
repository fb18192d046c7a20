package com.inventorysync.http;

/**
 * The vendor refused the account itself (401, or 407 from a proxy): nothing it is sent can
 * succeed until an operator fixes the credentials, so the run stops at once and exits 2.
 */
public class CredentialsRefusedException extends RuntimeException {
    public CredentialsRefusedException(String message) {
        super(message);
    }

    public CredentialsRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
