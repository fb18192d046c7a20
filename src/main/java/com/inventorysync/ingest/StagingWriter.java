package com.inventorysync.ingest;

import java.nio.charset.StandardCharsets;
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
 * {@code snapshot_row} (PostgreSQL {@code COPY FROM STDIN}, elsewhere JDBC batch inserts), rejected
 * rows into {@code rejected_row}. Adds the key (sku, location) of every line to the run's {@link
 * SnapshotKeys}, so that the lines whose key may have come twice are known without a search over
 * the whole staged snapshot; a restarted ingest, which did not see the lines before it, cannot tell.
 */
public class StagingWriter implements ItemStreamWriter<List<IngestedRow>> {

    private static final String COPY =
            "COPY snapshot_row (run_id, line_no, sku, location, on_hand, upc, part_number) FROM STDIN";
    /** About 64 KB of COPY text a write: the server stores one piece while the next is built. */
    private static final int COPY_PIECE = 1 << 16;

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
    public void write(Chunk<? extends List<IngestedRow>> chunk) throws Exception {
        List<IngestedRow.Staged> staged = new ArrayList<>();
        List<IngestedRow.Rejected> rejected = new ArrayList<>();
        for (List<IngestedRow> block : chunk) {
            for (IngestedRow row : block) {
                if (row instanceof IngestedRow.Staged s) {
                    staged.add(s);
                } else {
                    rejected.add((IngestedRow.Rejected) row);
                }
            }
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            if (!staged.isEmpty() && connection.isWrapperFor(PGConnection.class)) {
                // Staged rows and the reader's restart position commit together, so losing the last
                // commits in a server crash loses both alike: no need to wait for the disk here.
                try (var st = connection.createStatement()) {
                    st.execute("set local synchronous_commit = off");
                }
                copy(connection.unwrap(PGConnection.class), staged, () -> keys.add(staged, rejected));
            } else {
                keys.add(staged, rejected);
                if (!staged.isEmpty()) {
                    insert(connection, staged);
                }
            }
            if (!rejected.isEmpty()) {
                reject(connection, rejected);
            }
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /**
     * Streams the rows to {@code COPY} a piece at a time, so that PostgreSQL stores the first pieces
     * while the rest are written; {@code meanwhile} runs once every row is sent, before the server's
     * answer is awaited.
     */
    private void copy(PGConnection connection, List<IngestedRow.Staged> rows, Runnable meanwhile) throws SQLException {
        CopyIn copy = connection.getCopyAPI().copyIn(COPY);
        try {
            StringBuilder text = new StringBuilder(COPY_PIECE + 1024);
            for (IngestedRow.Staged r : rows) {
                text.append(runId).append('\t').append(r.lineNumber()).append('\t');
                escape(text, r.sku()).append('\t');
                escape(text, r.location()).append('\t').append(r.onHand()).append('\t');
                escape(text, r.upc()).append('\t');
                escape(text, r.partNumber()).append('\n');
                if (text.length() >= COPY_PIECE) {
                    send(copy, text);
                }
            }
            send(copy, text);
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

    private static void send(CopyIn copy, StringBuilder text) throws SQLException {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        text.setLength(0);
    }

    /** COPY text format: backslash escapes, {@code \N} for null. */
    private static StringBuilder escape(StringBuilder out, String value) {
        if (value == null) {
            return out.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out;
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
