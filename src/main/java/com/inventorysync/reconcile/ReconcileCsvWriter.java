package com.inventorysync.reconcile;

import com.inventorysync.ops.SpreadsheetCells;
import com.opencsv.CSVWriterBuilder;
import com.opencsv.ICSVWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes discrepancies as CSV (RFC 4180, UTF-8) for people who open it in a spreadsheet.
 * <p>
 * Formula injection: a spreadsheet runs a cell that starts with {@code =}, {@code +}, {@code -},
 * {@code @}, a tab or a carriage return as a formula, and a SKU or location name comes from systems
 * this product does not control. Every such cell (also after leading spaces) is written with a
 * single quote in front ({@code '=HYPERLINK(...)}), which spreadsheets show as text. The rule has
 * no exceptions; so that numbers stay numbers, no numeric column is ever negative: the sign of a
 * difference is its own column, {@code direction}.
 */
public final class ReconcileCsvWriter implements Closeable {
    public static final String[] HEADER = {
        "comparison",
        "class",
        "impact",
        "pool_group",
        "pool",
        "location",
        "sku",
        "expected",
        "actual",
        "direction",
        "abs_difference",
        "relative",
        "detail"
    };

    private final ICSVWriter csv;

    public ReconcileCsvWriter(Writer out) {
        this.csv = new CSVWriterBuilder(out).withLineEnd("\r\n").build();
        csv.writeNext(HEADER, false);
    }

    public static ReconcileCsvWriter create(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return new ReconcileCsvWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public void write(Discrepancy d) {
        String[] row = {
            d.comparison().name(),
            d.discrepancyClass().name(),
            d.impact().name(),
            d.poolGroup(),
            d.poolName(),
            d.location(),
            d.sku(),
            d.expected() == null ? "" : Integer.toString(d.expected()),
            d.actual() == null ? "" : Integer.toString(d.actual()),
            d.difference() > 0 ? "above" : d.difference() < 0 ? "below" : "equal",
            Integer.toString(d.absolute()),
            d.relative() == null ? "" : String.format(Locale.ROOT, "%.4f", d.relative()),
            d.detail()
        };
        for (int i = 0; i < row.length; i++) {
            row[i] = neutralise(row[i]);
        }
        // Quote every cell: a quoted cell keeps its leading quote, tab or CR exactly as written.
        csv.writeNext(row, true);
    }

    /** Makes a cell inert for spreadsheets; see the class comment. Null becomes an empty cell. */
    public static String neutralise(String cell) {
        return SpreadsheetCells.inert(cell);
    }

    public void flush() {
        try {
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            csv.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
