package com.inventorysync.target.kibo;

import java.time.Duration;
import java.util.Optional;

/** Kibo answered a call with a status the client does not turn into an outcome. */
public class KiboHttpException extends RuntimeException {
    private final int status;
    private final Duration retryAfter;

    public KiboHttpException(String operation, int status, String vendorMessage, Duration retryAfter) {
        super(operation + " answered " + status + (vendorMessage == null || vendorMessage.isBlank() ? "" : ": " + vendorMessage));
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** 429 and 503: nothing was queued, the same request may be sent again later. */
    public boolean isTransient() {
        return status == 429 || status == 503;
    }
}
