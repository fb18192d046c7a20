package com.inventorysync.support;

import com.inventorysync.sandbox.SandboxSeed;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
