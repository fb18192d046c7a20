package com.inventorysync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DiscrepancyClassifierTest {
    private final DiscrepancyClassifier exact = new DiscrepancyClassifier(0);

    @Test
    void virtualAbovePhysicalIsAnOversellRisk() {
        Discrepancy d = exact.pool("WEB", "WEB-EAST", "SKU-1", 20, 17L, 5).orElseThrow();
        assertThat(d.discrepancyClass()).isEqualTo(DiscrepancyClass.VIRTUAL_ABOVE_PHYSICAL);
        assertThat(d.impact()).isEqualTo(Impact.OVERSELL_RISK);
        assertThat(d.expected()).isEqualTo(12);
        assertThat(d.actual()).isEqualTo(20);
        assertThat(d.difference()).isEqualTo(8);
        assertThat(d.absolute()).isEqualTo(8);
        assertThat(d.relative()).isEqualTo(8.0 / 12);
    }

    @Test
    void virtualBelowPhysicalIsLostSales() {
        Discrepancy d = exact.pool("WEB", "WEB-EAST", "SKU-1", 9, 17L, 5).orElseThrow();
        assertThat(d.discrepancyClass()).isEqualTo(DiscrepancyClass.VIRTUAL_BELOW_PHYSICAL);
        assertThat(d.impact()).isEqualTo(Impact.LOST_SALES);
        assertThat(d.difference()).isEqualTo(-3);
        assertThat(d.relative()).isEqualTo(0.25);
    }

    @Test
    void equalCountsAreNotReported() {
        assertThat(exact.pool("WEB", "WEB-EAST", "SKU-1", 12, 17L, 5)).isEmpty();
        // the buffer floors at zero: 3 available with buffer 5 is a pool count of 0
        assertThat(exact.pool("WEB", "WEB-EAST", "SKU-1", 0, 3L, 5)).isEmpty();
    }

    @Test
    void aMissingSideIsItsOwnClassAndNothingOnEitherSideIsNothing() {
        Discrepancy noVirtual = exact.pool("WEB", "P", "S", null, 10L, 0).orElseThrow();
        assertThat(noVirtual.discrepancyClass()).isEqualTo(DiscrepancyClass.VIRTUAL_MISSING);
        assertThat(noVirtual.actual()).isNull();
        assertThat(noVirtual.difference()).isEqualTo(-10);

        Discrepancy noPhysical = exact.pool("WEB", "P", "S", 4, null, 0).orElseThrow();
        assertThat(noPhysical.discrepancyClass()).isEqualTo(DiscrepancyClass.PHYSICAL_MISSING);
        assertThat(noPhysical.impact()).isEqualTo(Impact.OVERSELL_RISK);
        assertThat(noPhysical.expected()).isZero();
        assertThat(noPhysical.relative()).isNull();

        assertThat(exact.pool("WEB", "P", "S", 0, null, 0)).isEmpty();
        assertThat(exact.pool("WEB", "P", "S", null, 4L, 5)).isEmpty();
    }

    @Test
    void theToleranceIsTheLargestDifferenceNotReported() {
        DiscrepancyClassifier tolerant = new DiscrepancyClassifier(2);
        assertThat(tolerant.pool("WEB", "P", "S", 12, 10L, 0)).isEmpty();
        assertThat(tolerant.pool("WEB", "P", "S", 13, 10L, 0)).isPresent();
        assertThat(tolerant.synced("L", "S", 10, 8)).isEmpty();
        assertThat(tolerant.synced("L", "S", 10, 7)).isPresent();
        assertThat(tolerant.unpooledLocation("L", 2)).isEmpty();
        assertThat(tolerant.unpooledLocation("L", 3)).isPresent();
        assertThatThrownBy(() -> new DiscrepancyClassifier(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void syncedAgainstHeldClassesWhoChangedWhat() {
        Discrepancy changed = exact.synced("WH-00", "S", 10, 7).orElseThrow();
        assertThat(changed.discrepancyClass()).isEqualTo(DiscrepancyClass.OMS_CHANGED_SINCE_SYNC);
        assertThat(changed.comparison()).isEqualTo(Comparison.SYNCED);
        assertThat(changed.difference()).isEqualTo(-3);
        assertThat(changed.relative()).isEqualTo(0.3);

        Discrepancy missing = exact.synced("WH-00", "S", 10, null).orElseThrow();
        assertThat(missing.discrepancyClass()).isEqualTo(DiscrepancyClass.MISSING_IN_OMS);
        assertThat(missing.absolute()).isEqualTo(10);

        Discrepancy never = exact.synced("WH-00", "S", null, 6).orElseThrow();
        assertThat(never.discrepancyClass()).isEqualTo(DiscrepancyClass.NEVER_SYNCED);
        assertThat(never.difference()).isEqualTo(6);
        assertThat(never.relative()).isNull();

        assertThat(exact.synced("WH-00", "S", 5, 5)).isEmpty();
        assertThat(exact.synced("WH-00", "S", null, null)).isEmpty();
    }

    @Test
    void aLocationInNoPoolReportsTheUnitsNoPoolSells() {
        Discrepancy d = exact.unpooledLocation("WH-09", 42).orElseThrow();
        assertThat(d.discrepancyClass()).isEqualTo(DiscrepancyClass.LOCATION_NOT_IN_ANY_POOL);
        assertThat(d.location()).isEqualTo("WH-09");
        assertThat(d.sku()).isNull();
        assertThat(d.expected()).isEqualTo(42);
        assertThat(d.actual()).isZero();
        assertThat(d.absolute()).isEqualTo(42);
        assertThat(exact.unpooledLocation("WH-09", 0)).isEmpty();
    }
}
