package com.inventorysync.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnapshotKeysTest {

    @Test
    void aKeyAddedAgainIsARepeatWhateverLiesBetween() {
        SnapshotKeys keys = new SnapshotKeys();
        for (int i = 0; i < 300_000; i++) {
            assertThat(keys.add("SKU-" + i, "LOC-" + i % 10)).isTrue();
        }
        assertThat(keys.add("SKU-0", "LOC-0")).isFalse();
        assertThat(keys.add("SKU-299999", "LOC-9")).isFalse();
        assertThat(keys.add("SKU-299999", "LOC-8")).isTrue();
    }

    @Test
    void theSameTextSplitOtherwiseIsAnotherKey() {
        SnapshotKeys keys = new SnapshotKeys();
        assertThat(keys.add("AB", "C")).isTrue();
        assertThat(keys.add("A", "BC")).isTrue();
        assertThat(keys.add("ABC", "")).isTrue();
    }

    @Test
    void pastItsLimitItNoLongerVouchesForAnyKey() {
        SnapshotKeys keys = new SnapshotKeys(3);
        assertThat(keys.add("A", "1")).isTrue();
        assertThat(keys.add("B", "1")).isTrue();
        assertThat(keys.add("C", "1")).isTrue();
        assertThat(keys.add("D", "1")).isFalse();
    }
}
