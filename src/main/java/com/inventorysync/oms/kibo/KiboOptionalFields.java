package com.inventorysync.oms.kibo;

import com.inventorysync.ingest.BadSnapshotException;
import com.inventorysync.ingest.ControlCharacters;
import com.inventorysync.ingest.SnapshotCsvReader;
import com.inventorysync.ingest.SnapshotLine;
import com.opencsv.RFC4180ParserBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stages the optional Kibo item fields of a run's snapshot (table {@code kibo_snapshot_field}): the
 * columns safety_stock, floor, bin_id, inventory_locator, retail_price, currency_id, ltd and
 * attributes (names mapped by the job's {@code source.columns}), for the rows at Kibo locations.
 * A snapshot without any of these columns stages nothing. The values are kept as written; they are
 * validated, with the rest of the item, when the requests are built.
 */
public class KiboOptionalFields {
    /** Snapshot field -> column of kibo_snapshot_field and kibo_request_item. */
    static final Map<String, String> FIELDS = fields();

    private static final int BATCH = 2_000;

    private final JdbcTemplate jdbc;

    public KiboOptionalFields(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    private static Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("safety_stock", "safety_stock");
        m.put("floor", "floor_quantity");
        m.put("bin_id", "bin_id");
        m.put("inventory_locator", "inventory_locator");
        m.put("retail_price", "retail_price");
        m.put("currency_id", "currency_id");
        m.put("ltd", "ltd");
        m.put("attributes", "attributes");
        return m;
    }

    /** @return the rows staged */
    public int stage(long runId, Path snapshot, Map<String, String> columns, Collection<String> kiboLocations) {
        jdbc.update("delete from kibo_snapshot_field where run_id = ?", runId);
        Map<String, Integer> index = header(snapshot);
        int sku = index.getOrDefault(columns.getOrDefault("sku", "sku"), -1);
        int location = index.getOrDefault(columns.getOrDefault("location", "location"), -1);
        List<Integer> positions = new ArrayList<>();
        FIELDS.keySet().forEach(field -> positions.add(index.getOrDefault(columns.getOrDefault(field, field), -1)));
        if (sku < 0 || location < 0 || positions.stream().allMatch(p -> p < 0)) {
            return 0;
        }
        String sql = "insert into kibo_snapshot_field (run_id, location, sku, " + String.join(", ", FIELDS.values())
                + ") values (?, ?, ?" + ", ?".repeat(FIELDS.size()) + ")";
        SnapshotCsvReader reader = new SnapshotCsvReader(snapshot);
        reader.open(new ExecutionContext());
        int staged = 0;
        List<Object[]> batch = new ArrayList<>(BATCH);
        try {
            for (SnapshotLine line = reader.read(); line != null; line = reader.read()) {
                String[] f = line.fields();
                if (!line.parsed() || holdsControlCharacter(f)) {
                    continue; // a rejected line: nothing of it is sent, and PostgreSQL cannot store U+0000
                }
                String loc = field(f, location);
                String key = field(f, sku);
                if (loc == null || key == null || !kiboLocations.contains(loc)) {
                    continue;
                }
                Object[] row = new Object[3 + positions.size()];
                row[0] = runId;
                row[1] = loc;
                row[2] = key;
                boolean any = false;
                for (int i = 0; i < positions.size(); i++) {
                    String value = field(f, positions.get(i));
                    row[3 + i] = value;
                    any |= value != null;
                }
                if (any) {
                    batch.add(row);
                    if (batch.size() == BATCH) {
                        staged += flush(sql, batch);
                    }
                }
            }
            staged += flush(sql, batch);
        } catch (IOException e) {
            throw new BadSnapshotException(snapshot + ": cannot be read: " + e.getMessage(), e);
        } finally {
            reader.close();
        }
        return staged;
    }

    private static boolean holdsControlCharacter(String[] fields) {
        for (String f : fields) {
            if (f != null && ControlCharacters.indexInField(f) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The staged optional fields of the run's rows at one location, by SKU (values in {@link #FIELDS} order). */
    public Map<String, String[]> at(long runId, String location) {
        Map<String, String[]> bySku = new HashMap<>();
        jdbc.query(
                "select sku, " + String.join(", ", FIELDS.values())
                        + " from kibo_snapshot_field where run_id = ? and location = ?",
                rs -> {
                    String[] values = new String[FIELDS.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = rs.getString(2 + i);
                    }
                    bySku.put(rs.getString(1), values);
                },
                runId,
                location);
        return bySku;
    }

    public void drop(long runId) {
        jdbc.update("delete from kibo_snapshot_field where run_id = ?", runId);
    }

    /** An item with its optional fields (values in {@link #FIELDS} order, or null). */
    static KiboSourceItem withFields(KiboSourceItem item, String[] values) {
        if (values == null) {
            return item;
        }
        return new KiboSourceItem(
                item.sku(),
                item.upc(),
                item.partNumber(),
                item.quantity(),
                values[0],
                values[1],
                values[2],
                values[3],
                values[4],
                values[5],
                values[6],
                values[7]);
    }

    static String[] valuesOf(KiboSourceItem item) {
        return new String[] {
            item.safetyStock(),
            item.floor(),
            item.binId(),
            item.inventoryLocator(),
            item.retailPrice(),
            item.currencyId(),
            item.ltd(),
            item.attributes()
        };
    }

    private int flush(String sql, List<Object[]> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        jdbc.batchUpdate(sql, batch);
        int n = batch.size();
        batch.clear();
        return n;
    }

    private static String field(String[] fields, int index) {
        if (index < 0 || index >= fields.length) {
            return null;
        }
        String value = fields[index].strip();
        return value.isEmpty() ? null : value;
    }

    private static Map<String, Integer> header(Path snapshot) {
        try (BufferedReader in = Files.newBufferedReader(snapshot, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (line == null) {
                return Map.of();
            }
            if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            String[] names = new RFC4180ParserBuilder().build().parseLine(line);
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < names.length; i++) {
                index.putIfAbsent(names[i].strip(), i);
            }
            return index;
        } catch (IOException e) {
            throw new BadSnapshotException(snapshot + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
