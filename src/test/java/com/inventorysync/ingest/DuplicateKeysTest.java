package com.inventorysync.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.inventorysync.support.PostgresTestDatabase;
import com.inventorysync.support.SyncFixtures;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Duplicate keys through staging and the finisher, on PostgreSQL and on H2: staging notes a key
 * that came twice (also on a rejected line), every line of such a key is rejected with the others'
 * line numbers, and the search over the staged rows is skipped only when staging saw each key once.
 */
class DuplicateKeysTest {
    static final long RUN = 7;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aKeyOnTwoLinesRejectsEveryLineOfIt(String database) throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(migrated(database));
        Path snapshot = SyncFixtures.write(dir.resolve("snapshot.csv"), """
                sku,location,on_hand
                SKU-A,WH-00,1
                SKU-B,WH-00,2
                SKU-A,WH-00,3
                SKU-C,WH-00,-1
                SKU-C,WH-00,4
                SKU-D,WH-01,5
                """);
        ExecutionContext ingest = stage(jdbc, snapshot, new ExecutionContext());
        assertThat(StagingWriter.keysUnique(ingest)).isFalse();

        IngestFinisher.Result result = new IngestFinisher(jdbc)
                .finish(RUN, snapshot, dir.resolve("rejects.csv"), 100, StagingWriter.keysUnique(ingest));

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
        JdbcTemplate jdbc = new JdbcTemplate(migrated(database));
        Path snapshot = SyncFixtures.write(dir.resolve("snapshot.csv"), """
                sku,location,on_hand
                SKU-A,WH-00,1
                SKU-A,WH-01,2
                SKU-B,WH-00,-3
                SKU-C,WH-00,4
                """);
        ExecutionContext ingest = stage(jdbc, snapshot, new ExecutionContext());
        assertThat(StagingWriter.keysUnique(ingest)).isTrue();

        IngestFinisher.Result result =
                new IngestFinisher(jdbc).finish(RUN, snapshot, dir.resolve("rejects.csv"), 100, true);

        assertThat(result.duplicates()).isZero();
        assertThat(result.staged()).isEqualTo(3);
        assertThat(result.rejected()).isEqualTo(1);
    }

    @Test
    void aRestartedIngestCannotVouchForTheKeysStagedBeforeIt() throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(migrated("h2"));
        Path snapshot = SyncFixtures.write(dir.resolve("snapshot.csv"), """
                sku,location,on_hand
                SKU-A,WH-00,1
                SKU-B,WH-00,2
                """);
        ExecutionContext firstBlockOnly = new ExecutionContext();
        StagingWriter first = new StagingWriter(jdbc.getDataSource(), RUN, snapshot.toString());
        first.open(firstBlockOnly);
        first.write(new Chunk<>(List.of(List.of(new IngestedRow.Staged(2, "SKU-A", "WH-00", 1, null, null)))));
        first.update(firstBlockOnly);
        assertThat(StagingWriter.keysUnique(firstBlockOnly)).isTrue();

        StagingWriter restarted = new StagingWriter(jdbc.getDataSource(), RUN, snapshot.toString());
        restarted.open(firstBlockOnly);
        restarted.write(new Chunk<>(List.of(List.of(new IngestedRow.Staged(3, "SKU-B", "WH-00", 2, null, null)))));
        restarted.update(firstBlockOnly);
        assertThat(StagingWriter.keysUnique(firstBlockOnly)).isFalse();
    }

    /** Reads, validates and stages the file as the ingest step does, two records a chunk, and returns the step's context. */
    private static ExecutionContext stage(JdbcTemplate jdbc, Path snapshot, ExecutionContext context) throws Exception {
        SnapshotBlockReader reader = new SnapshotBlockReader(new SnapshotCsvReader(snapshot), 2);
        SnapshotRowValidator validator =
                new SnapshotRowValidator(SnapshotHeader.read(snapshot, Map.of()), Set.of("WH-00", "WH-01"));
        StagingWriter writer = new StagingWriter(jdbc.getDataSource(), RUN, snapshot.toString());
        reader.open(context);
        writer.open(context);
        for (List<SnapshotLine> block = reader.read(); block != null; block = reader.read()) {
            writer.write(new Chunk<>(List.of(validator.process(block))));
            reader.update(context);
            writer.update(context);
        }
        reader.close();
        return context;
    }

    private static DataSource migrated(String database) {
        if (database.equals("postgresql")) {
            return PostgresTestDatabase.migrate(PostgresTestDatabase.freshSchema(DuplicateKeysTest.class));
        }
        DataSource h2 = new DriverManagerDataSource(
                "jdbc:h2:mem:" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "sa",
                "");
        Flyway.configure()
                .dataSource(h2)
                .locations("classpath:db/migration/common", "classpath:db/migration/h2")
                .load()
                .migrate();
        return h2;
    }
}
