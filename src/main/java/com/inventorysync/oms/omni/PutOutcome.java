package com.inventorysync.oms.omni;

/**
 * What became of one on-hand PUT, as far as the product can know.
 *
 * @param status        the HTTP status of the last answer, 0 when there was none
 * @param vendorMessage the vendor's message or the failure, null when applied
 * @param attempts      requests sent for it
 */
public record PutOutcome(Kind kind, int status, String vendorMessage, int attempts) {

    public enum Kind {
        /** 204, the contract's only answer for an applied update. */
        APPLIED,
        /** A 4xx about the item (400, 404, ...): not applied, never to be retried. */
        REJECTED,
        /**
         * 401, 403 or 407: the account, not the item, was refused (credentials, quota, proxy). Not
         * applied; nothing else can succeed either, so sending stops.
         */
        ACCOUNT_REFUSED,
        /**
         * Timeout, dropped connection, a 5xx other than 503, or a 2xx that is not the contract's
         * 204: it may or may not have been applied.
         */
        UNKNOWN,
        /** 429/503 until the retries ran out: not applied, may be sent again later. */
        NOT_APPLIED
    }

    /** Whether a refusal of the account means its credentials were refused (401, or 407 from a proxy). */
    public static boolean credentialsRefused(int status) {
        return status == 401 || status == 407;
    }

    public static boolean accountRefused(int status) {
        return credentialsRefused(status) || status == 403;
    }

    public static PutOutcome applied(int attempts) {
        return new PutOutcome(Kind.APPLIED, 204, null, attempts);
    }
}
