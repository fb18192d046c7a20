package com.inventorysync.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.ops.DatabaseKind;
import com.inventorysync.support.MigratedDatabase;
import com.inventorysync.support.SyncFixtures;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Duplicate keys through staging and the finisher, on PostgreSQL and on H2: staging notes the lines
 * whose key may have come twice (also on a rejected line), every line of such a key is rejected with
 * the others' line numbers, whether the finisher compares the lines staging named or (after a
 * restarted ingest) searches the whole staged snapshot, and however many sorted runs the keys took.
 */
class DuplicateKeysTest {
    static final long RUN = 7;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "postgresql, watched, 1024",
        "postgresql, watched, 2",
        "postgresql, restarted, 1024",
        "h2, watched, 1024",
        "h2, watched, 2",
        "h2, restarted, 1024"
    })
    void aKeyOnTwoLinesRejectsEveryLineOfIt(String database, String ingest, int runSize) throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(MigratedDatabase.of(database, DuplicateKeysTest.class));
        Path snapshot = SyncFixtures.write(dir.resolve("snapshot.csv"), """
                sku,location,on_hand
                SKU-A,WH-00,1
                SKU-B,WH-00,2
                SKU-A,WH-00,3
                SKU-C,WH-00,-1
                SKU-C,WH-00,4
                SKU-D,WH-01,5
                """);
        SnapshotKeys keys = new SnapshotKeys(runSize, 100);
        stage(jdbc, snapshot, new ExecutionContext(), keys);
        assertThat(keys.watchedWholeIngest()).isTrue();

        IngestFinisher.Result result = new IngestFinisher(jdbc)
                .finish(RUN, snapshot, dir.resolve("rejects.csv"), 100, ingest.equals("watched") ? keys : null);

        assertThat(result.duplicates()).isEqualTo(3);
        assertThat(result.staged()).isEqualTo(2);
        assertThat(result.rejected()).isEqualTo(4);
        assertThat(jdbc.queryForList("select sku from snapshot_row where run_id = ? order by sku", String.class, RUN))
                .containsExactly("SKU-B", "SKU-D");
        Map<Long, String> reasons = new HashMap<>();
        Map<Long, String> raw = new HashMap<>();
        jdbc.query(
                "select line_no, reason, raw_text from rejected_row where run_id = ?",
                rs -> {
                    reasons.put(rs.getLong(1), rs.getString(2));
                    raw.put(rs.getLong(1), rs.getString(3));
                },
                RUN);
        assertThat(reasons.get(2L)).isEqualTo("duplicate key (SKU-A, WH-00): also on line 4");
        assertThat(reasons.get(4L)).isEqualTo("duplicate key (SKU-A, WH-00): also on line 2");
        assertThat(reasons.get(5L)).contains("negative");
        assertThat(reasons.get(6L)).isEqualTo("duplicate key (SKU-C, WH-00): also on line 5");
        assertThat(raw.get(4L)).isEqualTo("SKU-A,WH-00,3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void eachKeyOnceNeedsNoSearch(String database) throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(MigratedDatabase.of(database, DuplicateKeysTest.class));
        Path snapshot = SyncFixtures.write(dir.resolve("snapshot.csv"), """
                sku,location,on_hand
                SKU-A,WH-00,1
                SKU-A,WH-01,2
                SKU-B,WH-00,-3
                SKU-C,WH-00,4
                """);
        SnapshotKeys keys = new SnapshotKeys(2, 100);
        stage(jdbc, snapshot, new ExecutionContext(), keys);
        assertThat(keys.candidateLines()).isEmpty();

        IngestFinisher.Result result =
                new IngestFinisher(jdbc).finish(RUN, snapshot, dir.resolve("rejects.csv"), 100, keys);

        assertThat(result.duplicates()).isZero();
        assertThat(result.staged()).isEqualTo(3);
        assertThat(result.rejected()).isEqualTo(1);
    }

    /** Past the old cap of 4 million keys the search ran over the whole snapshot in SQL: now it is the same merge, sized down here. */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void keysInManySortedRunsFindTheRepeatsAcrossThem(String database) throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(MigratedDatabase.of(database, DuplicateKeysTest.class));
        StringBuilder text = new StringBuilder("sku,location,on_hand\n");
        for (int i = 0; i < 3000; i++) {
            text.append("SKU-")
                    .append(i)
                    .append(",WH-0")
                    .append(i % 2)
                    .append(',')
                    .append(i)
                    .append('\n');
        }
        text.append("SKU-7,WH-01,1\n"); // line 3002, the same key as line 9
        text.append("SKU-2999,WH-01,x\n"); // line 3003, rejected, the key of line 3001
        Path snapshot = SyncFixtures.write(dir.resolve("snapshot.csv"), text.toString());
        SnapshotKeys keys = new SnapshotKeys(64, 1000);
        stage(jdbc, snapshot, new ExecutionContext(), keys, 500);

        IngestFinisher.Result result =
                new IngestFinisher(jdbc).finish(RUN, snapshot, dir.resolve("rejects.csv"), 100, keys);

        assertThat(result.duplicates()).isEqualTo(3);
        assertThat(result.staged()).isEqualTo(2998);
        assertThat(result.rejected()).isEqualTo(4);
        assertThat(jdbc.queryForList(
                        "select line_no from rejected_row where run_id = ? and reason like 'duplicate key%' order by line_no",
                        Long.class, RUN))
                .containsExactly(9L, 3001L, 3002L);
        assertThat(jdbc.queryForObject(
                        "select reason from rejected_row where run_id = ? and line_no = 3001", String.class, RUN))
                .isEqualTo("duplicate key (SKU-2999, WH-01): also on line 3003");
        assertThat(jdbc.queryForObject(
                        "select count(*) from snapshot_row where run_id = ? and line_no in (9, 3001, 3002)",
                        Long.class,
                        RUN))
                .isZero();
    }

    @Test
    void aRestartedIngestCannotVouchForTheKeysStagedBeforeIt() throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(MigratedDatabase.of("h2", DuplicateKeysTest.class));
        Path snapshot = SyncFixtures.write(dir.resolve("snapshot.csv"), """
                sku,location,on_hand
                SKU-A,WH-00,1
                SKU-B,WH-00,2
                """);
        ExecutionContext firstBlockOnly = new ExecutionContext();
        firstBlockOnly.putLong(SnapshotCsvReader.READ_KEY, 1);
        SnapshotKeys keys = new SnapshotKeys();
        StagingWriter restarted = new StagingWriter(jdbc.getDataSource(), RUN, snapshot.toString(), keys);
        restarted.open(firstBlockOnly);
        restarted.write(new Chunk<>(List.of(
                new IngestBlock(1, null, List.of(new IngestedRow.Staged(3, "SKU-B", "WH-00", 2, null, null))))));
        assertThat(keys.watchedWholeIngest()).isFalse();
        assertThat(keys.candidateLines()).isNull();
    }

    /** Reads, validates and stages the file as the ingest step does, two records a chunk, and returns the step's context. */
    private static ExecutionContext stage(JdbcTemplate jdbc, Path snapshot, ExecutionContext context, SnapshotKeys keys)
            throws Exception {
        return stage(jdbc, snapshot, context, keys, 2);
    }

    private static ExecutionContext stage(
            JdbcTemplate jdbc, Path snapshot, ExecutionContext context, SnapshotKeys keys, int blockSize)
            throws Exception {
        SnapshotRowValidator validator =
                new SnapshotRowValidator(SnapshotHeader.read(snapshot, Map.of()), Set.of("WH-00", "WH-01"));
        SnapshotBlockReader reader = new SnapshotBlockReader(new SnapshotCsvReader(snapshot), validator, blockSize);
        if (DatabaseKind.isPostgres(jdbc)) {
            reader.writingCopyTextFor(RUN);
        }
        StagingWriter writer = new StagingWriter(jdbc.getDataSource(), RUN, snapshot.toString(), keys);
        reader.open(context);
        writer.open(context);
        for (IngestBlock block = reader.read(); block != null; block = reader.read()) {
            writer.write(new Chunk<>(List.of(block)));
            reader.update(context);
            writer.update(context);
        }
        reader.close();
        return context;
    }
}
