package com.inventorysync.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.sandbox.Mutation;
import com.inventorysync.sandbox.SandboxSeed;
import com.inventorysync.sandbox.SandboxServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Snapshots over the sandbox's generated catalog ({@code SKU-000000 x LOC-00}), large enough for
 * faults at a few percent to hit many updates, and for a killed process to die mid-step.
 * Day 1 holds {@link #DAY1_COUNT} everywhere; day 2 changes every {@code changeEvery}-th key,
 * up or down, never to the same count.
 */
public record GeneratedSnapshots(int skus, int locations, int changeEvery) {
    public static final int DAY1_COUNT = 50;

    public SandboxSeed seed(Integer initialOnHand) {
        return SandboxSeed.generated(skus, locations, initialOnHand);
    }

    public String sku(int i) {
        return new SandboxSeed.Generate(skus, locations, null, null, null).sku(i);
    }

    public String location(int l) {
        return new SandboxSeed.Generate(skus, locations, null, null, null).location(l);
    }

    public int day2Count(int sku, int location) {
        int key = sku * locations + location;
        if (key % changeEvery != 0) {
            return DAY1_COUNT;
        }
        int step = 1 + key / changeEvery % 9;
        return key / changeEvery % 2 == 0 ? DAY1_COUNT + step : DAY1_COUNT - step;
    }

    public int changedKeys() {
        return (skus * locations + changeEvery - 1) / changeEvery;
    }

    public Path day1(Path file) {
        return write(file, false);
    }

    public Path day2(Path file) {
        return write(file, true);
    }

    private Path write(Path file, boolean day2) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("sku,location,on_hand\n");
            for (int s = 0; s < skus; s++) {
                for (int l = 0; l < locations; l++) {
                    out.write(sku(s) + "," + location(l) + "," + (day2 ? day2Count(s, l) : DAY1_COUNT) + "\n");
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Day 1 already synced: the last-synced position of every key is {@link #DAY1_COUNT}, as the seed's OMS holds. */
    public void day1Synced(JdbcTemplate jdbc) {
        jdbc.update("""
                insert into synced_position (target, sku, location, quantity, updated_at)
                select 'omni', 'SKU-' || lpad(s::text, 6, '0'), 'LOC-' || lpad(l::text, 2, '0'), ?, current_timestamp
                from generate_series(0, ?) s, generate_series(0, ?) l""", DAY1_COUNT, skus - 1, locations - 1);
    }

    /** The OMS holds exactly day 2's counts. */
    public void assertOmsHoldsDay2(SandboxServer sandbox) {
        for (int s = 0; s < skus; s++) {
            for (int l = 0; l < locations; l++) {
                Integer held = sandbox.omniOnHand(sku(s), location(l));
                if (held == null || held != day2Count(s, l)) {
                    assertThat(held).as(sku(s) + "@" + location(l)).isEqualTo(day2Count(s, l));
                }
            }
        }
    }

    /** Every changed key was changed by exactly one planned update, and none by the same update twice. */
    public void assertEachChangeAppliedOnce(SandboxServer sandbox) {
        Set<String> changedBy = new HashSet<>();
        for (Mutation m : sandbox.mutationLog()) {
            if (m.before() == null || m.before() != m.after()) {
                assertThat(changedBy.add(m.requestId()))
                        .as("key changed twice by " + m.requestId())
                        .isTrue();
            }
        }
        assertThat(changedBy).hasSize(changedKeys());
    }
}
