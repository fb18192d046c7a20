package com.inventorysync.ingest.shipedge;

import com.inventorysync.ops.Progress;
import com.inventorysync.ops.ProgressProperties;
import com.opencsv.CSVWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * Pulls ShipEdge's whole stock, page by page, into a CSV snapshot ({@code sku,location,on_hand};
 * the distribution center is the location), which the sync then ingests like any export: the run
 * reads a file that does not change under it, a restart reads the same file, and a bad item is
 * rejected with the file's line number. Values are written as ShipEdge sent them, unchecked.
 * <p>
 * The API pages by offset, with no cursor: an item added or removed while the pages are read would
 * shift the pages after it. The pull therefore insists that every page reports the same
 * {@code total_records} and that exactly that many items arrived; otherwise it fails, and the next
 * pull starts again.
 * <p>
 * Progress ({@code shipedge: 12,000/48,000 items (25%) ...}) counts the items written of the
 * {@code total_records} the first page reports.
 */
public class ShipEdgeStockExport {
    public static final String[] HEADER = {"sku", "location", "on_hand"};

    /** What a pull wrote. */
    public record Pulled(Path file, long items, int pages) {}

    private final ShipEdgeClient shipEdge;
    private final int perPage;
    private final Duration progressInterval;

    public ShipEdgeStockExport(ShipEdgeClient shipEdge) {
        this(shipEdge, ProgressProperties.DEFAULT_INTERVAL);
    }

    /** @param progressInterval at most one progress line this often ({@code inventory-sync.progress.interval}) */
    public ShipEdgeStockExport(ShipEdgeClient shipEdge, Duration progressInterval) {
        this(shipEdge, ShipEdgeClient.MAX_PER_PAGE, progressInterval);
    }

    ShipEdgeStockExport(ShipEdgeClient shipEdge, int perPage) {
        this(shipEdge, perPage, ProgressProperties.DEFAULT_INTERVAL);
    }

    ShipEdgeStockExport(ShipEdgeClient shipEdge, int perPage, Duration progressInterval) {
        this.shipEdge = shipEdge;
        this.perPage = perPage;
        this.progressInterval = progressInterval;
    }

    public Pulled pull(Path file) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Progress progress = Progress.start("shipedge", -1, "items", progressInterval);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            long written = 0;
            int pages = 0;
            long expected = -1;
            try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
                    CSVWriter csv = new CSVWriter(out)) {
                csv.writeNext(HEADER, false);
                for (int page = 1; ; page++) {
                    ShipEdgeClient.StockPage p = shipEdge.stockPage(page, perPage);
                    pages++;
                    if (expected < 0) {
                        expected = p.totalRecords();
                        progress.total(expected);
                    } else if (p.totalRecords() != expected) {
                        throw changedWhileRead(expected, "page " + page + " reports " + p.totalRecords() + " records");
                    }
                    for (JsonNode item : p.items()) {
                        csv.writeNext(
                                new String[] {
                                    text(item.get("sku")),
                                    text(item.get("distribution_center")),
                                    text(item.get("on_hand"))
                                },
                                false);
                        written++;
                    }
                    progress.set(written);
                    if (p.items().isEmpty() || page >= p.totalPages()) {
                        break;
                    }
                }
            }
            if (written != expected) {
                throw changedWhileRead(expected, written + " arrived");
            }
            // The file appears whole or not at all; the caller names a file no earlier pull used.
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return new Pulled(file, written, pages);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ShipEdge stock to " + file + ": " + e.getMessage(), e);
        } finally {
            progress.finish();
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover .partial file is harmless: the next pull replaces it
            }
        }
    }

    private static IllegalStateException changedWhileRead(long expected, String found) {
        return new IllegalStateException("ShipEdge's stock changed while it was read (" + expected
                + " records at first, " + found + "); nothing was synced. Pull again.");
    }

    /** A field as ShipEdge sent it: text as is, a number or anything else as its JSON, absent or null as empty. */
    private static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        return value.isString() ? value.asString() : value.toString();
    }
}
