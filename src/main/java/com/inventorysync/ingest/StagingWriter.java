package com.inventorysync.ingest;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Writes a chunk of validated rows (blocks of them) in the chunk's transaction: staged rows into
 * {@code snapshot_row} (PostgreSQL {@code COPY FROM STDIN}, elsewhere JDBC batch inserts), rejected
 * rows into {@code rejected_row}. Notes whether any key (sku, location) came twice, so that the
 * search for duplicate keys over the whole staged snapshot is only made when one may have.
 */
public class StagingWriter implements ItemStreamWriter<List<IngestedRow>> {
    static final String KEYS_UNIQUE = "snapshot.keys.unique";

    private static final String COPY =
            "COPY snapshot_row (run_id, line_no, sku, location, on_hand, upc, part_number) FROM STDIN";
    private static final String INSERT =
            "insert into snapshot_row (run_id, line_no, sku, location, on_hand, upc, part_number) values (?, ?, ?, ?, ?, ?, ?)";
    private static final String REJECT =
            "insert into rejected_row (run_id, file_name, line_no, raw_text, field, reason, sku, location) values (?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final long runId;
    private final String fileName;
    /** Null once a key may have come twice or the keys are too many to keep, and after a restart, whose earlier rows this writer did not see. */
    private SnapshotKeys keys;

    public StagingWriter(DataSource dataSource, long runId, String fileName) {
        this.dataSource = dataSource;
        this.runId = runId;
        this.fileName = fileName;
    }

    /** Whether the ingest step with this context saw each key of the snapshot once; false when it cannot tell. */
    public static boolean keysUnique(ExecutionContext ingest) {
        return Boolean.parseBoolean(ingest.getString(KEYS_UNIQUE, "false"));
    }

    @Override
    public void open(ExecutionContext context) {
        keys = context.containsKey(KEYS_UNIQUE) ? null : new SnapshotKeys();
    }

    @Override
    public void update(ExecutionContext context) {
        context.putString(KEYS_UNIQUE, Boolean.toString(keys != null));
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
        remember(staged, rejected);
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            if (!staged.isEmpty()) {
                if (connection.isWrapperFor(PGConnection.class)) {
                    // Staged rows and the reader's restart position commit together, so losing the last
                    // commits in a server crash loses both alike: no need to wait for the disk here.
                    try (var st = connection.createStatement()) {
                        st.execute("set local synchronous_commit = off");
                    }
                    copy(connection.unwrap(PGConnection.class), staged);
                } else {
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

    /** Rejected rows count too: a key on a rejected line rejects its staged line as a duplicate. */
    private void remember(List<IngestedRow.Staged> staged, List<IngestedRow.Rejected> rejected) {
        for (int i = 0; keys != null && i < staged.size(); i++) {
            if (!keys.add(staged.get(i).sku(), staged.get(i).location())) {
                keys = null;
            }
        }
        for (int i = 0; keys != null && i < rejected.size(); i++) {
            String sku = key(rejected.get(i).sku());
            String location = key(rejected.get(i).location());
            if (sku != null && location != null && !keys.add(sku, location)) {
                keys = null;
            }
        }
    }

    private void copy(PGConnection connection, List<IngestedRow.Staged> rows) throws SQLException, IOException {
        StringBuilder text = new StringBuilder(rows.size() * 40);
        for (IngestedRow.Staged r : rows) {
            text.append(runId).append('\t').append(r.lineNumber()).append('\t');
            escape(text, r.sku()).append('\t');
            escape(text, r.location()).append('\t').append(r.onHand()).append('\t');
            escape(text, r.upc()).append('\t');
            escape(text, r.partNumber()).append('\n');
        }
        connection.getCopyAPI().copyIn(COPY, new StringReader(text.toString()));
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
