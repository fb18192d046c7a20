package com.inventorysync.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Writes a chunk of validated rows (blocks of them) in the chunk's transaction: staged rows into
 * {@code snapshot_row} (PostgreSQL {@code COPY FROM STDIN} of the text the reader wrote, elsewhere
 * JDBC batch inserts), rejected rows into {@code rejected_row}. Adds the key (sku, location) of
 * every line to the run's {@link SnapshotKeys}, so that the lines whose key may have come twice are
 * known without a search over the whole staged snapshot; a restarted ingest, which did not see the
 * lines before it, cannot tell.
 */
public class StagingWriter implements ItemStreamWriter<IngestBlock> {

    private static final String COPY =
            "COPY snapshot_row (run_id, line_no, sku, location, on_hand, upc, part_number) FROM STDIN";

    private static final String INSERT =
            "insert into snapshot_row (run_id, line_no, sku, location, on_hand, upc, part_number) values (?, ?, ?, ?, ?, ?, ?)";
    private static final String REJECT =
            "insert into rejected_row (run_id, file_name, line_no, raw_text, field, reason, sku, location) values (?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final long runId;
    private final String fileName;
    private final SnapshotKeys keys;

    public StagingWriter(DataSource dataSource, long runId, String fileName, SnapshotKeys keys) {
        this.dataSource = dataSource;
        this.runId = runId;
        this.fileName = fileName;
        this.keys = keys;
    }

    /** The keys are watched only by an ingest that starts at the first record: the reader's restart position tells. */
    @Override
    public void open(ExecutionContext context) {
        if (context.getLong(SnapshotCsvReader.READ_KEY, 0L) == 0) {
            keys.watchFromStart();
        } else {
            keys.giveUp();
        }
    }

    @Override
    public void write(Chunk<? extends IngestBlock> chunk) throws Exception {
        List<StagedText> texts = new ArrayList<>();
        List<IngestedRow.Staged> staged = new ArrayList<>();
        List<IngestedRow.Rejected> rejected = new ArrayList<>();
        for (IngestBlock block : chunk) {
            if (block.staged() != null && block.staged().rows() > 0) {
                if (block.staged().runId() != runId) {
                    throw new IllegalStateException(
                            "COPY text written for run " + block.staged().runId() + " handed to run " + runId);
                }
                texts.add(block.staged());
            }
            for (IngestedRow row : block.rows()) {
                if (row instanceof IngestedRow.Staged s) {
                    staged.add(s);
                } else {
                    rejected.add((IngestedRow.Rejected) row);
                }
            }
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            if (!texts.isEmpty() && !connection.isWrapperFor(PGConnection.class)) {
                throw new IllegalStateException("COPY text is for PostgreSQL only");
            }
            if (!texts.isEmpty()) {
                // Staged rows and the reader's restart position commit together, so losing the last
                // commits in a server crash loses both alike: no need to wait for the disk here.
                try (var st = connection.createStatement()) {
                    st.execute("set local synchronous_commit = off");
                }
                CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
                copy(copy, texts, () -> texts.forEach(keys::add));
            }
            keys.add(staged, rejected);
            if (!staged.isEmpty()) {
                insert(connection, staged);
            }
            if (!rejected.isEmpty()) {
                reject(connection, rejected);
            }
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** Sends the texts to {@code COPY}; {@code meanwhile} runs once every byte is sent, before the server's answer is awaited. */
    private static void copy(CopyIn copy, List<StagedText> texts, Runnable meanwhile) throws SQLException {
        try {
            for (StagedText text : texts) {
                text.sendTo((bytes, length) -> copy.writeToCopy(bytes, 0, length));
            }
            meanwhile.run();
            copy.endCopy();
        } catch (SQLException | RuntimeException e) {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
    }

    private void insert(Connection connection, List<IngestedRow.Staged> rows) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
            for (IngestedRow.Staged r : rows) {
                ps.setLong(1, runId);
                ps.setLong(2, r.lineNumber());
                ps.setString(3, r.sku());
                ps.setString(4, r.location());
                ps.setInt(5, r.onHand());
                setNullable(ps, 6, r.upc());
                setNullable(ps, 7, r.partNumber());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void reject(Connection connection, List<IngestedRow.Rejected> rows) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(REJECT)) {
            for (IngestedRow.Rejected r : rows) {
                ps.setLong(1, runId);
                ps.setString(2, fileName);
                ps.setLong(3, r.lineNumber());
                ps.setString(4, cut(ControlCharacters.escape(r.rawText()), 10_000));
                setNullable(ps, 5, ControlCharacters.escape(r.field()));
                ps.setString(6, cut(ControlCharacters.escape(r.reason()), 1000));
                setNullable(ps, 7, key(r.sku()));
                setNullable(ps, 8, key(r.location()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String key(String value) {
        return SnapshotRowValidator.keyOrNull(value);
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
