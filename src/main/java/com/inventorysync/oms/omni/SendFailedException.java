package com.inventorysync.oms.omni;

/** Updates could not be delivered after every retry; the run fails and can be restarted where it stopped. */
public class SendFailedException extends RuntimeException {
    public SendFailedException(String message) {
        super(message);
    }
}
