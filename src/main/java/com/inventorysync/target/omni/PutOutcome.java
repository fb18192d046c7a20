package com.inventorysync.target.omni;

/**
 * What became of one on-hand PUT, as far as the product can know.
 *
 * @param status        the HTTP status of the last answer, 0 when there was none
 * @param vendorMessage the vendor's message or the failure, null when applied
 * @param attempts      requests sent for it
 */
public record PutOutcome(Kind kind, int status, String vendorMessage, int attempts) {

    public enum Kind {
        /** 204: applied. */
        APPLIED,
        /** A 4xx other than 429: not applied, never to be retried. */
        REJECTED,
        /** Timeout or dropped connection: it may or may not have been applied. */
        UNKNOWN,
        /** 429/503 until the retries ran out: not applied, may be sent again later. */
        NOT_APPLIED
    }

    public static PutOutcome applied(int attempts) {
        return new PutOutcome(Kind.APPLIED, 204, null, attempts);
    }
}
