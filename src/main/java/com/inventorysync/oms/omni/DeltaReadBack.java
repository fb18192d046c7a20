package com.inventorysync.oms.omni;

/**
 * Decides whether a Delta whose outcome is unknown (timeout, dropped connection, a crash with the
 * request in flight) was applied, from three counts: the on-hand read just before the request was
 * sent, the change the request carried, and the on-hand read back now.
 *
 * <p>Re-sending a Delta that was applied counts the stock twice; dropping one that was not loses it.
 * So only the two unambiguous cases are acted on; when the OMS moved the count in between (a sale,
 * a receipt, another system), nothing is sent and the update is held for an operator.
 */
public final class DeltaReadBack {

    public enum Verdict {
        /** The count moved by exactly the Delta: it was applied. */
        APPLIED,
        /** The count has not moved: it was not applied and may be sent again. */
        NOT_APPLIED,
        /** The count moved by something else: neither answer is safe. */
        CANNOT_TELL
    }

    private DeltaReadBack() {}

    /**
     * @param before the on-hand read before sending; {@code null} when the key had no count (0)
     * @param delta the change the request carried (never 0: unchanged keys are not planned)
     * @param now the on-hand read back; {@code null} when the key has no count (0)
     */
    public static Verdict judge(Integer before, int delta, Integer now) {
        long start = before == null ? 0 : before;
        long current = now == null ? 0 : now;
        if (current == start + delta) {
            return Verdict.APPLIED;
        }
        if (current == start) {
            return Verdict.NOT_APPLIED;
        }
        return Verdict.CANNOT_TELL;
    }
}
