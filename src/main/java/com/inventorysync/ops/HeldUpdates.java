package com.inventorysync.ops;

import com.opencsv.CSVWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Deltas whose outcome could not be told by reading the count back (the OMS moved it in between).
 * Nothing was re-sent for them; an operator settles each by hand, with the numbers listed here.
 */
@Component
public class HeldUpdates {
    private final JdbcTemplate jdbc;

    public HeldUpdates(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One held update: the change it carried, the on-hand before it, and what resolution found. */
    public record Held(long id, String sku, String location, int delta, Integer before, String finding) {
        public String line() {
            return "pu-" + id + " " + sku + " @ " + location + ": " + finding;
        }
    }

    public List<Held> ofRun(long runId) {
        return jdbc.query(
                "select id, sku, location, quantity, observed_before, vendor_message from planned_update "
                        + "where run_id = ? and state = 'HELD' order by id",
                (rs, n) -> new Held(
                        rs.getLong("id"),
                        rs.getString("sku"),
                        rs.getString("location"),
                        rs.getInt("quantity"),
                        (Integer) rs.getObject("observed_before", Integer.class),
                        rs.getString("vendor_message")),
                runId);
    }

    /** Writes the held updates of a run as CSV, for the operator who settles them. */
    public void writeCsv(List<Held> held, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                    CSVWriter csv = new CSVWriter(out)) {
                csv.writeNext(new String[] {
                    "planned_update", "sku", "location", "delta", "on_hand_before", "expected_after", "finding"
                });
                for (Held h : held) {
                    int before = h.before() == null ? 0 : h.before();
                    csv.writeNext(new String[] {
                        "pu-" + h.id(),
                        SpreadsheetCells.inert(h.sku()),
                        SpreadsheetCells.inert(h.location()),
                        Integer.toString(h.delta()),
                        Integer.toString(before),
                        Integer.toString(before + h.delta()),
                        SpreadsheetCells.inert(h.finding())
                    });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
