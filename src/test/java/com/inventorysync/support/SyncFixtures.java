package com.inventorysync.support;

import com.inventorysync.sandbox.SandboxSeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** Job definitions, snapshots and a small Omni seed for the sync job's tests. */
public final class SyncFixtures {
    public static final List<String> SKUS =
            List.of("SKU-A", "SKU-B", "SKU-C", "SKU-D", "SKU-E", "SKU-F", "SKU-G", "SKU-H");
    public static final List<String> LOCATIONS = List.of("WH-00", "WH-01", "STORE-01");

    private SyncFixtures() {}

    /** Three active locations (two warehouses, a store), one inactive, eight SKUs plus one with a comma in its name. */
    public static SandboxSeed seed() {
        SandboxSeed.Builder b = SandboxSeed.builder()
                .location("WH-00", "Warehouse")
                .location("WH-01", "Warehouse")
                .location("STORE-01", "Store")
                .location(new SandboxSeed.Location("OLD-01", "Closed DC", "Warehouse", false));
        for (int i = 0; i < SKUS.size(); i++) {
            b.sku(SKUS.get(i), "0840000000" + i, "PN-" + i);
        }
        b.sku("SKU,COMMA", "084000000099", "PN-99");
        b.onHand("SKU-A", "WH-00", 3);
        b.newStoreExternalOmsEnabled(true);
        return b.build();
    }

    /** Day 1: every SKU x location, count = 10 * (sku index + 1) + location index. */
    public static Map<List<String>, Integer> day1() {
        Map<List<String>, Integer> counts = new LinkedHashMap<>();
        for (int s = 0; s < SKUS.size(); s++) {
            for (int l = 0; l < LOCATIONS.size(); l++) {
                counts.put(List.of(SKUS.get(s), LOCATIONS.get(l)), 10 * (s + 1) + l);
            }
        }
        return counts;
    }

    /** Day 2: five of the 24 keys changed (up, down, to zero). */
    public static Map<List<String>, Integer> day2() {
        Map<List<String>, Integer> counts = new LinkedHashMap<>(day1());
        counts.put(List.of("SKU-A", "WH-00"), 4);
        counts.put(List.of("SKU-B", "WH-01"), 35);
        counts.put(List.of("SKU-C", "STORE-01"), 0);
        counts.put(List.of("SKU-F", "WH-00"), 61);
        counts.put(List.of("SKU-H", "STORE-01"), 100);
        return counts;
    }

    public static Path snapshot(Path dir, String name, Map<List<String>, Integer> counts) {
        StringBuilder s = new StringBuilder("sku,location,on_hand\n");
        counts.forEach((key, count) -> s.append(key.get(0))
                .append(',')
                .append(key.get(1))
                .append(',')
                .append(count)
                .append('\n'));
        return write(dir.resolve(name), s.toString());
    }

    public static Path write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path definition(Path dir, String name, String policy, String missing, String extra) {
        return write(dir.resolve(name + ".yml"), """
                name: %s
                source: {type: csv}
                omni:
                  policy: %s
                  missing: %s
                %s
                guard: {max-changed-share: 0.5, max-zeroed-share: 0.2}
                skip-limit: 100
                chunk-size: 5
                concurrency: 4
                """.formatted(name, policy, missing, extra == null ? "" : extra));
    }

    /** Forgets every run and synced position, so that each test starts from a first run. */
    public static void clearSyncTables(JdbcTemplate jdbc) {
        for (String table : List.of(
                "planned_update",
                "synced_position",
                "snapshot_row",
                "rejected_row",
                "sync_run_location",
                "sync_run_summary",
                "run_partitioning",
                "partition_worker")) {
            jdbc.update("delete from " + table);
        }
    }
}
