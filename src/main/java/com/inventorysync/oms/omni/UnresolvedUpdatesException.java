package com.inventorysync.oms.omni;

/** A run ended its sending with updates whose outcome is not known; it must not complete as if they were applied. */
public class UnresolvedUpdatesException extends RuntimeException {
    public UnresolvedUpdatesException(String message) {
        super(message);
    }
}
