package com.inventorysync.reconcile;

import com.inventorysync.jobdef.JobDefinition.Pool;
import java.util.Map;

/**
 * The count a pool should report, worked out from its member locations' available counts the way
 * the contract describes the OMS's default calculation: the sum of available over the members,
 * minus the pool's buffer, never below zero. Locations that are not members are ignored.
 */
public final class PoolCalculation {
    private PoolCalculation() {}

    public static int expected(Pool pool, Map<String, Integer> availableByLocation) {
        long sum = 0;
        for (String member : pool.members()) {
            Integer available = availableByLocation.get(member);
            if (available != null) {
                sum += Math.max(0, available);
            }
        }
        return expected(sum, pool.buffer() == null ? 0 : pool.buffer());
    }

    /** @param memberAvailableSum the sum of available counts over the pool's member locations */
    public static int expected(long memberAvailableSum, int buffer) {
        long value = Math.max(0, memberAvailableSum - buffer);
        return (int) Math.min(Integer.MAX_VALUE, value);
    }
}
