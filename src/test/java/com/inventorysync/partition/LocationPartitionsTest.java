package com.inventorysync.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.partition.LocationPartitions.Assignment;
import com.inventorysync.partition.LocationPartitions.LocationRows;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LocationPartitionsTest {

    @Test
    void locationsAreSpreadLargestFirstToTheLightestPartition() {
        Map<String, Long> rows = Map.of("A", 50L, "B", 40L, "C", 30L, "D", 20L, "E", 10L);
        List<Assignment> assigned = LocationPartitions.spread(
                rows.entrySet().stream()
                        .map(e -> new LocationRows(e.getKey(), e.getValue()))
                        .toList(),
                2);

        Map<Integer, Long> load = assigned.stream()
                .collect(Collectors.groupingBy(
                        Assignment::partition, Collectors.summingLong(a -> rows.get(a.location()))));
        assertThat(assigned).hasSize(5);
        assertThat(load).containsOnlyKeys(0, 1);
        assertThat(Math.abs(load.get(0) - load.get(1))).isLessThanOrEqualTo(10);
    }

    @Test
    void aLocationLargerThanAPartitionsShareIsLeftToTheKeyHash() {
        List<Assignment> assigned = LocationPartitions.spread(
                List.of(new LocationRows("DC", 900), new LocationRows("S1", 50), new LocationRows("S2", 50)), 4);

        assertThat(assigned).extracting(Assignment::location).containsExactlyInAnyOrder("S1", "S2");
        assertThat(assigned).extracting(Assignment::partition).doesNotHaveDuplicates();
    }

    @Test
    void evenLocationsGetAPartitionEach() {
        List<Assignment> assigned = LocationPartitions.spread(
                List.of(new LocationRows("L0", 10), new LocationRows("L1", 10), new LocationRows("L2", 10)), 3);

        assertThat(assigned).extracting(Assignment::partition).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void aPartitionIsNamedAndLabelledByItsIndex() {
        Partition third = new Partition(2, 4);
        assertThat(third.name()).isEqualTo("p2");
        assertThat(third.label()).isEqualTo(" p2/4");
        assertThat(Partition.WHOLE.label()).isEmpty();
        assertThat(Partition.of(third.context())).isEqualTo(third);
    }
}
