package com.inventorysync.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.partition.LocationPartitions.Assignment;
import com.inventorysync.partition.LocationPartitions.LocationRows;
import com.inventorysync.support.PostgresTestDatabase;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

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
    void updatesToSendThatSitInOnePartitionAreSpreadByKeyAndThoseAlreadySentStay() {
        JdbcTemplate jdbc = new JdbcTemplate(
                PostgresTestDatabase.migrate(PostgresTestDatabase.freshSchema(LocationPartitionsTest.class)));
        // A night whose changes are all at one location: the plan's partition 0 holds every update.
        jdbc.update("""
                insert into planned_update (run_id, target, sku, location, change_kind, quantity_type, quantity, new_count,
                                            state, updated_at, partition_no)
                select 1, 'omni', 'SKU-' || s, 'LOC-00', 'CHANGED', 'Absolute', 1, 1,
                       case when s <= 100 then 'APPLIED' else 'PENDING' end, current_timestamp, 0
                from generate_series(1, 2000) s""");
        LocationPartitions partitions = new LocationPartitions(jdbc);

        assertThat(partitions.balancePending(1, "omni", 2)).isTrue();

        Map<Integer, Long> pending = perPartition(jdbc, "PENDING");
        assertThat(pending).containsOnlyKeys(0, 1);
        assertThat(pending.values()).allSatisfy(n -> assertThat(n).isBetween(750L, 1150L));
        assertThat(perPartition(jdbc, "APPLIED"))
                .as("what was sent stays where it was")
                .containsOnlyKeys(0);
        assertThat(partitions.balancePending(1, "omni", 2)).as("balanced now").isFalse();
        assertThat(partitions.balancePending(1, "omni", 1)).as("one partition").isFalse();
    }

    private static Map<Integer, Long> perPartition(JdbcTemplate jdbc, String state) {
        return jdbc
                .queryForList(
                        "select partition_no, count(*) as n from planned_update where state = ? group by partition_no",
                        state)
                .stream()
                .collect(Collectors.toMap(
                        r -> ((Number) r.get("partition_no")).intValue(), r -> ((Number) r.get("n")).longValue()));
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
