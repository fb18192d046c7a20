package com.inventorysync.ingest;

import static com.inventorysync.ops.SpreadsheetCells.inert;

import com.inventorysync.ops.DatabaseKind;
import com.opencsv.CSVWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Completes the ingest of a run once every record is staged or rejected: a key that appears on
 * more than one line rejects all of them (the lines staging found may share a key are compared; after
 * a restarted ingest, the whole staged snapshot is searched in SQL), the reject file is written, and a run with more rejected rows than the
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

    /**
     * @param keys the run's keys as staging saw them ({@link SnapshotKeys}): the lines whose key may
     *     repeat, compared here; null, or keys that did not watch the whole ingest, when only a
     *     search over the whole staged snapshot can tell
     */
    public Result finish(long runId, Path snapshot, Path rejectFile, int skipLimit, SnapshotKeys keys) {
        long stagedSeen = keys != null && keys.watchedWholeIngest() ? keys.stagedLines() : -1;
        long[] candidates = keys == null ? null : keys.candidateLines();
        Repeats repeats = candidates == null ? searchWholeSnapshot(runId) : compare(runId, candidates);
        long duplicates = reject(runId, snapshot, repeats);
        long rejected = count("select count(*) from rejected_row where run_id = ?", runId);
        // Counting the staged rows is a pass over all of them: the keys counted them as they came.
        long staged = candidates != null
                ? stagedSeen - duplicates
                : count("select count(*) from snapshot_row where run_id = ?", runId);
        writeRejectFile(runId, rejectFile);
        if (rejected > skipLimit) {
            throw new BadSnapshotException(
                    snapshot + ": " + rejected + " of " + (staged + rejected) + " rows rejected, more than skip-limit "
                            + skipLimit + "; nothing was sent. Reasons: " + rejectFile);
        }
        return new Result(staged, rejected, duplicates, rejectFile);
    }

    private record Line(long lineNo, String sku, String location) {
        List<String> key() {
            return List.of(sku, location);
        }
    }

    /** The staged lines whose key is on another line too, and every line (staged or rejected) of each such key. */
    private record Repeats(List<Line> staged, Map<List<String>, Set<Long>> linesByKey) {}

    /**
     * Compares the keys of the lines whose fingerprints met: a few lines, found by their numbers
     * (one pass over the staged rows, hashing the numbers), not by grouping the whole snapshot.
     */
    private Repeats compare(long runId, long[] candidateLines) {
        if (candidateLines.length == 0) {
            return new Repeats(List.of(), Map.of());
        }
        Long[] numbers = Arrays.stream(candidateLines).boxed().toArray(Long[]::new);
        List<Line> staged = linesOf(
                "select line_no, sku, location from snapshot_row where run_id = ? and line_no = any(?)",
                runId,
                numbers);
        List<Line> rejected = linesOf(
                "select line_no, sku, location from rejected_row where run_id = ? and line_no = any(?) and sku is not null and location is not null",
                runId,
                numbers);
        Map<List<String>, Set<Long>> linesByKey = new HashMap<>();
        for (List<Line> lines : List.of(staged, rejected)) {
            for (Line l : lines) {
                linesByKey.computeIfAbsent(l.key(), k -> new TreeSet<>()).add(l.lineNo());
            }
        }
        linesByKey.values().removeIf(lines -> lines.size() < 2);
        List<Line> repeated = staged.stream()
                .filter(l -> linesByKey.containsKey(l.key()))
                .sorted(Comparator.comparingLong(Line::lineNo))
                .toList();
        return new Repeats(repeated, linesByKey);
    }

    private List<Line> linesOf(String sql, long runId, Long[] lineNumbers) {
        return jdbc.query(
                sql,
                ps -> {
                    ps.setLong(1, runId);
                    ps.setArray(2, ps.getConnection().createArrayOf("bigint", lineNumbers));
                },
                (rs, i) -> new Line(rs.getLong(1), rs.getString(2), rs.getString(3)));
    }

    /** When staging could not watch every line (a restarted ingest): grouping the whole staged snapshot in SQL. */
    private Repeats searchWholeSnapshot(long runId) {
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
            return new Repeats(List.of(), Map.of());
        }
        Map<List<String>, Set<Long>> linesByKey = new HashMap<>();
        for (Line l : staged) {
            linesByKey.computeIfAbsent(l.key(), k -> new TreeSet<>()).add(l.lineNo());
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
        return new Repeats(staged, linesByKey);
    }

    /** Rejects every staged line of a repeated key, naming the key's other lines; returns how many. */
    private long reject(long runId, Path snapshot, Repeats repeats) {
        List<Line> staged = repeats.staged();
        if (staged.isEmpty()) {
            return 0;
        }
        Map<Long, String> raw =
                rawText(snapshot, staged.stream().map(Line::lineNo).collect(Collectors.toSet()));
        String file = snapshot.toString();
        List<Object[]> rows = new ArrayList<>();
        for (Line l : staged) {
            List<Long> others = new ArrayList<>(repeats.linesByKey().get(l.key()));
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
        Long[] lines = staged.stream().map(Line::lineNo).toArray(Long[]::new);
        jdbc.update("delete from snapshot_row where run_id = ? and line_no = any(?)", ps -> {
            ps.setLong(1, runId);
            ps.setArray(2, ps.getConnection().createArrayOf("bigint", lines));
        });
        return staged.size();
    }

    private static String join(List<Long> lines) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines.size() && i < 10; i++) {
            s.append(i == 0 ? "" : ", ").append(lines.get(i));
        }
        return lines.size() > 10 ? s + ", ..." : s.toString();
    }

    /**
     * The raw text of a few lines, found by reading the file again (only done when duplicates exist),
     * line by line without parsing: line numbers count physical lines, the header being line 1, as
     * {@link SnapshotCsvReader} counts them.
     */
    private static Map<Long, String> rawText(Path snapshot, Set<Long> lineNumbers) {
        Map<Long, String> result = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(snapshot, StandardCharsets.UTF_8)) {
            long lineNo = 0;
            for (String line = in.readLine();
                    line != null && result.size() < lineNumbers.size();
                    line = in.readLine()) {
                if (lineNumbers.contains(++lineNo)) {
                    result.put(lineNo, line);
                }
            }
        } catch (IOException e) {
            throw new BadSnapshotException(snapshot + ": cannot be read again: " + e.getMessage(), e);
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
