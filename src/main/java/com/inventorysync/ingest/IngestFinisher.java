package com.inventorysync.ingest;

import static com.inventorysync.ops.SpreadsheetCells.inert;

import com.inventorysync.ops.DatabaseKind;
import com.opencsv.CSVWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Completes the ingest of a run once every record is staged or rejected: a key that appears on
 * more than one line rejects all of them (found in SQL, so the whole file is seen, unless staging
 * saw every key once), the reject file is written, and a run with more rejected rows than the
 * skip limit is stopped.
 */
public class IngestFinisher {
    private final JdbcTemplate jdbc;

    public IngestFinisher(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Result(long staged, long rejected, long duplicates, Path rejectFile) {
        public long read() {
            return staged + rejected;
        }
    }

    /** @param keysUnique staging saw every key once ({@link StagingWriter#keysUnique}): no duplicates to look for */
    public Result finish(long runId, Path snapshot, Path rejectFile, int skipLimit, boolean keysUnique) {
        long duplicates = keysUnique ? 0 : rejectDuplicates(runId, snapshot);
        long rejected = count("select count(*) from rejected_row where run_id = ?", runId);
        long staged = count("select count(*) from snapshot_row where run_id = ?", runId);
        writeRejectFile(runId, rejectFile);
        if (rejected > skipLimit) {
            throw new BadSnapshotException(
                    snapshot + ": " + rejected + " of " + (staged + rejected) + " rows rejected, more than skip-limit "
                            + skipLimit + "; nothing was sent. Reasons: " + rejectFile);
        }
        return new Result(staged, rejected, duplicates, rejectFile);
    }

    private record Line(long lineNo, String sku, String location) {}

    private long rejectDuplicates(long runId, Path snapshot) {
        if (DatabaseKind.isPostgres(jdbc)) {
            jdbc.execute("set local work_mem = '64MB'");
            // Compiling the expressions costs more than it saves in a one-off statement.
            jdbc.execute("set local jit = off");
        }
        // Set-based and join-only (no correlated OR), so that a million staged rows stay a pair of hash joins.
        List<Line> staged = jdbc.query(
                """
                with duplicate_key as (
                  select sku, location from snapshot_row where run_id = ? group by sku, location having count(*) > 1
                  union
                  select sku, location from rejected_row where run_id = ? and sku is not null and location is not null
                )
                select s.line_no, s.sku, s.location from snapshot_row s
                join duplicate_key d on d.sku = s.sku and d.location = s.location
                where s.run_id = ?
                order by s.line_no""", (rs, i) -> new Line(rs.getLong(1), rs.getString(2), rs.getString(3)), runId, runId, runId);
        if (staged.isEmpty()) {
            return 0;
        }
        Map<List<String>, Set<Long>> linesByKey = new HashMap<>();
        for (Line l : staged) {
            linesByKey
                    .computeIfAbsent(List.of(l.sku(), l.location()), k -> new java.util.TreeSet<>())
                    .add(l.lineNo());
        }
        jdbc.query(
                "select sku, location, line_no from rejected_row where run_id = ? and sku is not null and location is not null",
                rs -> {
                    Set<Long> lines = linesByKey.get(List.of(rs.getString(1), rs.getString(2)));
                    if (lines != null) {
                        lines.add(rs.getLong(3));
                    }
                },
                runId);
        Map<Long, String> raw =
                rawText(snapshot, staged.stream().map(Line::lineNo).collect(java.util.stream.Collectors.toSet()));
        String file = snapshot.toString();
        List<Object[]> rows = new ArrayList<>();
        for (Line l : staged) {
            List<Long> others = new ArrayList<>(linesByKey.get(List.of(l.sku(), l.location())));
            others.remove(l.lineNo());
            rows.add(new Object[] {
                runId,
                file,
                l.lineNo(),
                ControlCharacters.escape(raw.get(l.lineNo())),
                "sku,location",
                "duplicate key (" + l.sku() + ", " + l.location() + "): also on line " + join(others),
                l.sku(),
                l.location()
            });
        }
        jdbc.batchUpdate(
                "insert into rejected_row (run_id, file_name, line_no, raw_text, field, reason, sku, location) values (?, ?, ?, ?, ?, ?, ?, ?)",
                rows);
        jdbc.update("""
                delete from snapshot_row where run_id = ? and exists (select 1 from rejected_row r
                  where r.run_id = snapshot_row.run_id and r.sku = snapshot_row.sku and r.location = snapshot_row.location)""", runId);
        return staged.size();
    }

    private static String join(List<Long> lines) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines.size() && i < 10; i++) {
            s.append(i == 0 ? "" : ", ").append(lines.get(i));
        }
        return lines.size() > 10 ? s + ", ..." : s.toString();
    }

    /** The raw text of a few records, found by reading the file again (only done when duplicates exist). */
    private static Map<Long, String> rawText(Path snapshot, Set<Long> lineNumbers) {
        Map<Long, String> result = new HashMap<>();
        SnapshotCsvReader reader = new SnapshotCsvReader(snapshot);
        reader.open(new org.springframework.batch.infrastructure.item.ExecutionContext());
        try {
            for (SnapshotLine line = reader.read();
                    line != null && result.size() < lineNumbers.size();
                    line = reader.read()) {
                if (lineNumbers.contains(line.lineNumber())) {
                    result.put(line.lineNumber(), line.rawText());
                }
            }
        } catch (IOException e) {
            throw new BadSnapshotException(snapshot + ": cannot be read again: " + e.getMessage(), e);
        } finally {
            reader.close();
        }
        return result;
    }

    private void writeRejectFile(long runId, Path rejectFile) {
        try {
            Files.createDirectories(rejectFile.toAbsolutePath().getParent());
            try (Writer out = Files.newBufferedWriter(rejectFile, StandardCharsets.UTF_8);
                    CSVWriter csv = new CSVWriter(out)) {
                csv.writeNext(new String[] {"file", "line", "field", "reason", "raw"}, false);
                jdbc.query(
                        "select file_name, line_no, field, reason, raw_text from rejected_row where run_id = ? order by line_no, id",
                        rs -> {
                            csv.writeNext(
                                    new String[] {
                                        inert(rs.getString(1)),
                                        Long.toString(rs.getLong(2)),
                                        inert(rs.getString(3)),
                                        inert(rs.getString(4)),
                                        inert(rs.getString(5))
                                    },
                                    true);
                        },
                        runId);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the reject file " + rejectFile + ": " + e.getMessage(), e);
        }
    }

    private long count(String sql, long runId) {
        Long n = jdbc.queryForObject(sql, Long.class, runId);
        return n == null ? 0 : n;
    }
}
