package com.inventorysync.oms.kibo;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.oms.kibo.KiboSendPartitions.OpenRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KiboSendPartitionsTest {
    @Test
    void wholeLocationsGoToTheLightestPartitionAndOneOverAShareIsSpreadByRequest() {
        List<OpenRequest> requests = new ArrayList<>();
        long id = 1;
        // 78,000 items over 2 partitions: a share is 39,000, so every location is kept whole.
        for (int size : List.of(12_000, 12_000, 6_000)) {
            requests.add(new OpenRequest(id++, "A", size));
        }
        for (int size : List.of(12_000, 12_000, 12_000)) {
            requests.add(new OpenRequest(id++, "B", size));
        }
        requests.add(new OpenRequest(id++, "C", 12_000));

        Map<Long, Integer> spread = KiboSendPartitions.spread(requests, 2);

        assertThat(spread).hasSize(7);
        assertThat(partitionsOf(spread, requests, "A")).hasSize(1);
        assertThat(partitionsOf(spread, requests, "B")).hasSize(1);
        assertThat(load(spread, requests, 0) + load(spread, requests, 1)).isEqualTo(78_000);
        // Largest first to the lightest: B (36,000) alone, A (30,000) then C (12,000) together.
        assertThat(load(spread, requests, 0)).isEqualTo(36_000);
        assertThat(load(spread, requests, 1)).isEqualTo(42_000);
    }

    @Test
    void aLocationHoldingMoreThanAPartitionsShareIsSpreadRequestByRequest() {
        List<OpenRequest> requests = new ArrayList<>();
        for (long id = 1; id <= 8; id++) {
            requests.add(new OpenRequest(id, "BIG", 12_000));
        }
        requests.add(new OpenRequest(9, "SMALL", 3_000));

        Map<Long, Integer> spread = KiboSendPartitions.spread(requests, 4);

        assertThat(partitionsOf(spread, requests, "BIG")).containsExactlyInAnyOrder(0, 1, 2, 3);
        for (int p = 0; p < 4; p++) {
            assertThat(load(spread, requests, p)).isBetween(24_000L, 27_000L);
        }
    }

    private static List<Integer> partitionsOf(Map<Long, Integer> spread, List<OpenRequest> requests, String location) {
        return requests.stream()
                .filter(r -> r.location().equals(location))
                .map(r -> spread.get(r.id()))
                .distinct()
                .toList();
    }

    private static long load(Map<Long, Integer> spread, List<OpenRequest> requests, int partition) {
        return requests.stream()
                .filter(r -> spread.get(r.id()) == partition)
                .mapToLong(OpenRequest::items)
                .sum();
    }
}
