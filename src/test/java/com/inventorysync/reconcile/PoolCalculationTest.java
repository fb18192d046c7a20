package com.inventorysync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.jobdef.JobDefinition.Pool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolCalculationTest {
    private final Pool webEast = new Pool("WEB", "WEB-EAST", List.of("WH-00", "STORE-01"), 5);

    @Test
    void sumsAvailableOverMembersMinusTheBuffer() {
        assertThat(PoolCalculation.expected(webEast, Map.of("WH-00", 10, "STORE-01", 7)))
                .isEqualTo(12);
    }

    @Test
    void ignoresLocationsThatAreNotMembers() {
        assertThat(PoolCalculation.expected(webEast, Map.of("WH-00", 10, "WH-99", 1000)))
                .isEqualTo(5);
    }

    @Test
    void neverGoesBelowZero() {
        assertThat(PoolCalculation.expected(webEast, Map.of("WH-00", 2, "STORE-01", 1)))
                .isZero();
        assertThat(PoolCalculation.expected(webEast, Map.of())).isZero();
        assertThat(PoolCalculation.expected(3, 5)).isZero();
    }

    @Test
    void aPoolWithoutBufferIsThePlainSum() {
        Pool noBuffer = new Pool("WEB", "ALL", List.of("A", "B", "C"), 0);
        assertThat(PoolCalculation.expected(noBuffer, Map.of("A", 1, "B", 2, "C", 3)))
                .isEqualTo(6);
    }
}
