package com.inventorysync.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each snapshot field stands in a file, from its header row and the job definition's
 * {@code source.columns} (field -> header name). sku, location and on_hand must be present.
 */
public record SnapshotHeader(
        int width, int sku, int location, int onHand, int upc, int partNumber, List<String> names) {

    public SnapshotHeader {
        names = List.copyOf(names);
    }

    public static final List<String> REQUIRED = List.of("sku", "location", "on_hand");

    static final char BOM = '\uFEFF';

    /** The name of the field in column {@code index} (0-based): the product's for the fields it keys and counts by, else the header's. */
    public String fieldAt(int index) {
        if (index == sku) {
            return "sku";
        } else if (index == location) {
            return "location";
        } else if (index == onHand) {
            return "on_hand";
        } else if (index == upc) {
            return "upc";
        } else if (index == partNumber) {
            return "part_number";
        }
        return index < names.size() && !names.get(index).isBlank()
                ? names.get(index).strip()
                : "column " + (index + 1);
    }

    /** Reads the header of {@code file}; a file whose header lacks a mapped required column is refused. */
    public static SnapshotHeader read(Path file, Map<String, String> columns) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (line == null) {
                throw new BadSnapshotException(file + ": the file is empty (no header row)");
            }
            return parse(file, line, columns);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadSnapshotException(file + ": no such snapshot file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadSnapshotException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new BadSnapshotException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    static SnapshotHeader parse(Path file, String line, Map<String, String> columns) {
        if (!line.isEmpty() && line.charAt(0) == BOM) {
            line = line.substring(1);
        }
        String[] names;
        try {
            names = CsvLineParser.parse(line);
        } catch (CsvLineParser.MalformedLineException e) {
            throw new BadSnapshotException(file + ": line 1: the header row cannot be parsed: " + e.getMessage(), e);
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            index.putIfAbsent(names[i].strip(), i);
        }
        for (String field : REQUIRED) {
            String header = columns.getOrDefault(field, field);
            if (!index.containsKey(header)) {
                throw new BadSnapshotException(file + ": line 1: the header has no column '" + header + "' (field "
                        + field + "); it has " + List.of(names));
            }
        }
        return new SnapshotHeader(
                names.length,
                index.get(columns.getOrDefault("sku", "sku")),
                index.get(columns.getOrDefault("location", "location")),
                index.get(columns.getOrDefault("on_hand", "on_hand")),
                index.getOrDefault(columns.getOrDefault("upc", "upc"), -1),
                index.getOrDefault(columns.getOrDefault("part_number", "part_number"), -1),
                List.of(names));
    }
}
