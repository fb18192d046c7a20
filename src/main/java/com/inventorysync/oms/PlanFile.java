package com.inventorysync.oms;

import com.inventorysync.ops.SpreadsheetCells;
import com.opencsv.CSVWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.jdbc.core.JdbcTemplate;

/** Writes a run's planned updates as CSV (a dry run's output). */
public class PlanFile {
    private final JdbcTemplate jdbc;

    public PlanFile(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void write(long runId, String target, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                    CSVWriter csv = new CSVWriter(out)) {
                csv.writeNext(
                        new String[] {
                            "id",
                            "sku",
                            "location",
                            "change",
                            "quantity_type",
                            "quantity",
                            "previous_count",
                            "new_count",
                            "state"
                        },
                        false);
                jdbc.query(
                        "select id, sku, location, change_kind, quantity_type, quantity, previous_count, new_count, state "
                                + "from planned_update where run_id = ? and target = ? order by id",
                        rs -> {
                            String[] row = new String[9];
                            for (int i = 0; i < 9; i++) {
                                row[i] = rs.getString(i + 1);
                            }
                            row[1] = SpreadsheetCells.inert(row[1]);
                            row[2] = SpreadsheetCells.inert(row[2]);
                            csv.writeNext(row, false);
                        },
                        runId,
                        target);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the plan file " + file + ": " + e.getMessage(), e);
        }
    }
}
