package com.inventorysync.oms.kibo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KiboPayloadSplitterTest {
    private final KiboPayloadSplitter defaults = new KiboPayloadSplitter(12_000, 3_000);

    @Test
    void twentyOneThousandItemsGoOutAsTwelveThousandThenNineThousand() {
        assertThat(defaults.split(21_000)).containsExactly(12_000, 9_000);
    }

    @Test
    void smallAndExactCounts() {
        assertThat(defaults.split(0)).isEmpty();
        assertThat(defaults.split(1)).containsExactly(1);
        assertThat(defaults.split(6_001)).containsExactly(6_001);
        assertThat(defaults.split(12_000)).containsExactly(12_000);
        assertThat(defaults.split(12_001)).containsExactly(12_000, 1);
        assertThat(defaults.split(36_000)).containsExactly(12_000, 12_000, 12_000);
    }

    @Test
    void aLoweredLimitThatIsAMultipleOfTheBatchSize() {
        KiboPayloadSplitter splitter = new KiboPayloadSplitter(6_000, 3_000);
        assertThat(splitter.split(21_000)).containsExactly(6_000, 6_000, 6_000, 3_000);
    }

    @Test
    void whenTheBatchSizeDoesNotDivideTheLimitTheFewestRequestsWin() {
        KiboPayloadSplitter splitter = new KiboPayloadSplitter(10_000, 3_000);
        assertThat(splitter.split(20_000)).containsExactly(10_000, 10_000);
        assertThat(splitter.split(19_000)).containsExactly(9_000, 10_000);
        assertThat(splitter.split(18_000)).containsExactly(9_000, 9_000);
        assertThat(splitter.split(17_500)).containsExactly(9_000, 8_500);
        assertThat(splitter.split(29_000)).containsExactly(9_000, 10_000, 10_000);
    }

    @Test
    void invariantsHoldForManyCountsAndSettings() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            int maxItems = 1 + random.nextInt(12_000);
            int batchSize = 1 + random.nextInt(maxItems);
            int n = random.nextInt(200_000);
            List<Integer> sizes = new KiboPayloadSplitter(maxItems, batchSize).split(n);
            String at = "n=" + n + " max=" + maxItems + " batch=" + batchSize + " -> " + sizes;
            assertThat(sizes.stream().mapToLong(Integer::longValue).sum())
                    .as(at)
                    .isEqualTo(n);
            assertThat(sizes).as(at).allMatch(s -> s >= 1 && s <= maxItems);
            assertThat(sizes).as(at).hasSize((n + maxItems - 1) / maxItems);
            int full = maxItems / batchSize * batchSize;
            long batches = sizes.stream()
                    .mapToLong(s -> (s + batchSize - 1) / batchSize)
                    .sum();
            long bestWithFewestRequests = sizes.isEmpty() ? 0 : bestBatchCount(n, sizes.size(), maxItems, batchSize);
            assertThat(batches).as(at).isEqualTo(bestWithFewestRequests);
            if (full == maxItems) {
                assertThat(sizes.subList(0, Math.max(0, sizes.size() - 1)))
                        .as(at)
                        .allMatch(s -> s == full);
            }
        }
    }

    @Test
    void refusesSettingsTheJobDefinitionWouldRefuse() {
        assertThatThrownBy(() -> new KiboPayloadSplitter(3_000, 6_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KiboPayloadSplitter(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Fewest batches any k requests of at most maxItems can carry n items in: each request holds q = floor(max / batch)
     * whole batches, plus (when r = max mod batch > 0) one more batch holding only r items.
     */
    private static long bestBatchCount(int n, int k, int maxItems, int batchSize) {
        long q = maxItems / batchSize;
        long r = maxItems % batchSize;
        long wholeCapacity = (long) k * q * batchSize;
        if (n <= wholeCapacity) {
            return (n + batchSize - 1) / batchSize;
        }
        return k * q + (n - wholeCapacity + r - 1) / r;
    }
}
