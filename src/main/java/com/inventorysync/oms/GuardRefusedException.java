package com.inventorysync.oms;

/** The guard refused a plan; nothing was sent. */
public class GuardRefusedException extends RuntimeException {
    public GuardRefusedException(String message) {
        super(message);
    }
}
