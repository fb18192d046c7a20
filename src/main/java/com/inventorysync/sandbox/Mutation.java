package com.inventorysync.sandbox;

import java.time.Instant;

/**
 * One applied change of a count, in the order the sandbox applied them.
 *
 * @param vendor    omni, kibo, newstore or sandbox (a change made through the admin API or in-process)
 * @param endpoint  the endpoint id that applied it, e.g. {@code omni.onhand.put}
 * @param type      Delta, Absolute, Refresh or Config
 * @param before    the count before (null when the position did not exist)
 * @param requestId the {@code X-Request-Id} header of the request that applied it (null when absent)
 */
public record Mutation(
        long sequence,
        Instant at,
        String vendor,
        String endpoint,
        String sku,
        String location,
        String type,
        int quantity,
        Integer before,
        int after,
        String requestId) {}
