package com.inventorysync.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SnapshotKeysTest {

    @Test
    void aKeyAddedAgainIsACandidateWhateverLiesBetween() {
        SnapshotKeys keys = watching(new SnapshotKeys(1 << 12, 100));
        for (int i = 0; i < 300_000; i++) {
            keys.add("SKU-" + i, "LOC-" + i % 10, i + 2);
        }
        keys.add("SKU-0", "LOC-0", 300_002);
        keys.add("SKU-299999", "LOC-9", 300_003);
        keys.add("SKU-299999", "LOC-8", 300_004);
        assertThat(keys.candidateLines()).containsExactly(2, 300_001, 300_002, 300_003);
    }

    @Test
    void theSameTextSplitOtherwiseIsAnotherKey() {
        SnapshotKeys keys = watching(new SnapshotKeys());
        keys.add("AB", "C", 2);
        keys.add("A", "BC", 3);
        keys.add("ABC", "", 4);
        assertThat(keys.candidateLines()).isEmpty();
    }

    @Test
    void aKeyOnEveryLineIsOneGroupAndPastTheLimitNoAnswer() {
        SnapshotKeys keys = watching(new SnapshotKeys(1 << 10, 50_000));
        for (int i = 0; i < 20_000; i++) {
            keys.add("SKU-A", "LOC-1", i + 2);
        }
        assertThat(keys.candidateLines()).hasSize(20_000).startsWith(2, 3).endsWith(20_001);

        SnapshotKeys tooMany = watching(new SnapshotKeys(1 << 10, 1000));
        for (int i = 0; i < 2000; i++) {
            tooMany.add("SKU-A", "LOC-1", i + 2);
        }
        assertThat(tooMany.candidateLines()).isNull();
    }

    @Test
    void itVouchesOnlyForAnIngestWatchedFromTheStart() {
        SnapshotKeys notStarted = new SnapshotKeys();
        notStarted.add("SKU-A", "LOC-1", 2);
        assertThat(notStarted.watchedWholeIngest()).isFalse();
        assertThat(notStarted.candidateLines()).isNull();

        SnapshotKeys restarted = new SnapshotKeys();
        restarted.giveUp();
        restarted.watchFromStart();
        assertThat(restarted.watchedWholeIngest()).isFalse();
        assertThat(restarted.candidateLines()).isNull();
    }

    @Test
    void theSortedRunsAreTemporaryFilesDeletedOnceMerged() throws Exception {
        SnapshotKeys keys = watching(new SnapshotKeys(16, 100));
        for (int i = 0; i < 100; i++) {
            keys.add("SKU-" + i, "LOC-1", i + 2);
        }
        Path directory = runDirectory();
        assertThat(directory).isNotNull();
        try (Stream<Path> runs = Files.list(directory)) {
            assertThat(runs.count()).isEqualTo(6);
        }
        assertThat(keys.candidateLines()).isEmpty();
        assertThat(directory).doesNotExist();
    }

    /** Each chunk's keys are sorted as it comes; the chunks are merged at the end, spilled or not. */
    @Test
    void keysRepeatedAcrossAndWithinChunksAreCandidatesSpilledOrNot() {
        for (int runSize : new int[] {1 << 12, 1 << 6}) {
            SnapshotKeys keys = watching(new SnapshotKeys(runSize, 100));
            long line = 2;
            for (int chunk = 0; chunk < 10; chunk++) {
                List<IngestedRow.Staged> staged = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    staged.add(new IngestedRow.Staged(line++, "SKU-" + chunk + "-" + i, "LOC-1", 1, null, null));
                }
                if (chunk == 3) {
                    // lines 122 and 123: the keys of lines 9 (an earlier chunk) and 96 (this chunk)
                    staged.add(new IngestedRow.Staged(line++, "SKU-0-7", "LOC-1", 1, null, null));
                    staged.add(new IngestedRow.Staged(line++, "SKU-3-4", "LOC-1", 1, null, null));
                }
                keys.add(staged, List.of());
            }
            StagedText text = new StagedText(1);
            // line 304: the key of line 303, the last of the last chunk
            text.add(new IngestedRow.Staged(line++, "SKU-9-29", "LOC-1", 1, null, null));
            keys.add(text);
            assertThat(keys.candidateLines()).as("run size %d", runSize).containsExactly(9, 96, 122, 123, 303, 304);
        }
    }

    private static SnapshotKeys watching(SnapshotKeys keys) {
        keys.watchFromStart();
        return keys;
    }

    /** The newest of the temporary directories the keys spill to. */
    private static Path runDirectory() throws Exception {
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(p -> p.getFileName().toString().startsWith("inventory-sync-keys"))
                    .max((a, b) -> {
                        try {
                            return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
                        } catch (Exception e) {
                            return 0;
                        }
                    })
                    .orElse(null);
        }
    }
}
