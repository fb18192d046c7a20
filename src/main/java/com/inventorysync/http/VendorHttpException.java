package com.inventorysync.http;

import java.time.Duration;
import java.util.Optional;

/**
 * A vendor answered with a status other than success. 429 and 503 mean "not applied, try again
 * later"; every other 4xx means "not applied, and the same request will never succeed".
 */
public class VendorHttpException extends RuntimeException {
    private final String method;
    private final String path;
    private final int status;
    private final String vendorMessage;
    private final Duration retryAfter;

    public VendorHttpException(String method, String path, int status, String vendorMessage, Duration retryAfter) {
        super(method + " " + path + " answered " + status
                + (vendorMessage == null || vendorMessage.isBlank() ? "" : ": " + vendorMessage));
        this.method = method;
        this.path = path;
        this.status = status;
        this.vendorMessage = vendorMessage;
        this.retryAfter = retryAfter;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public int status() {
        return status;
    }

    public String vendorMessage() {
        return vendorMessage;
    }

    /** The wait the vendor asked for in its {@code Retry-After} header, if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** 429 (throttled) and 503 (transient failure): the request was not applied and may be sent again. */
    public boolean isTransient() {
        return status == 429 || status == 503;
    }

    /** Any other 4xx: the vendor refused the request itself. */
    public boolean isClientError() {
        return status >= 400 && status < 500 && status != 429;
    }
}
