package com.inventorysync.sandbox;

import java.time.Instant;

/**
 * One request the sandbox received.
 *
 * @param endpoint the endpoint id ({@code omni.onhand.put}, ...; {@code unknown} for unmatched paths)
 * @param query    the raw query string (null when none)
 * @param status   the HTTP status answered; 0 when the connection was closed without a response
 */
public record RequestRecord(
        long sequence,
        Instant at,
        String method,
        String path,
        String query,
        String endpoint,
        int status,
        String requestId) {}
