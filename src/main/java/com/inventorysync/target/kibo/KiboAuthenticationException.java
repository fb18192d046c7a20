package com.inventorysync.target.kibo;

/** Kibo would not authenticate the product: the credentials are wrong, which no retry will fix. */
public class KiboAuthenticationException extends RuntimeException {
    public KiboAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
