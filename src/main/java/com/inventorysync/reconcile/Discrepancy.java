package com.inventorysync.reconcile;

/**
 * One reported disagreement. {@code poolGroup}/{@code poolName} are set for pool comparisons,
 * {@code location} for synced comparisons and unpooled locations, {@code sku} for every class but
 * {@link DiscrepancyClass#LOCATION_NOT_IN_ANY_POOL}, which sums a whole location.
 *
 * @param expected the count this product believes in (computed from physical counts, or last synced); null when there is none
 * @param actual what the OMS reports; null when it reports nothing
 * @param difference {@code actual - expected}, a missing side counting as 0
 * @param relative {@code |difference| / expected}, null when nothing was expected
 * @param detail what else is known, e.g. when and by which sync run the expected count was written; may be null
 */
public record Discrepancy(
        DiscrepancyClass discrepancyClass,
        String poolGroup,
        String poolName,
        String location,
        String sku,
        Integer expected,
        Integer actual,
        int difference,
        Double relative,
        String detail) {

    public static Discrepancy of(
            DiscrepancyClass discrepancyClass,
            String poolGroup,
            String poolName,
            String location,
            String sku,
            Integer expected,
            Integer actual) {
        int e = expected == null ? 0 : expected;
        int a = actual == null ? 0 : actual;
        int difference = a - e;
        Double relative = e > 0 ? Math.abs((double) difference) / e : null;
        return new Discrepancy(
                discrepancyClass, poolGroup, poolName, location, sku, expected, actual, difference, relative, null);
    }

    public Discrepancy withDetail(String value) {
        return new Discrepancy(
                discrepancyClass, poolGroup, poolName, location, sku, expected, actual, difference, relative, value);
    }

    public int absolute() {
        return Math.abs(difference);
    }

    public Comparison comparison() {
        return discrepancyClass.comparison();
    }

    public Impact impact() {
        return discrepancyClass.impact();
    }
}
