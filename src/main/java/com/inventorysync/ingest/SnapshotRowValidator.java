package com.inventorysync.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks one snapshot record: a line that parses, no control character in any field, as many
 * fields as the header, sku and location present and at most 100 characters, on_hand a whole
 * number not below zero, location one of Omni's active inventory locations. Never filters: every
 * record comes out staged or rejected. A rejected record keeps its sku and location when they can
 * be told (even from a line that does not parse), so that a key whose line was rejected is never
 * taken for a key missing from the snapshot. Works on a block of records at a time
 * ({@link SnapshotBlockReader}).
 */
public class SnapshotRowValidator {
    static final int MAX_KEY_LENGTH = 100;

    private final SnapshotHeader header;
    private final Set<String> knownLocations;

    public SnapshotRowValidator(SnapshotHeader header, Set<String> knownLocations) {
        this.header = header;
        this.knownLocations = knownLocations;
    }

    /** Stages the common plain lines without this validator's parse, to the same values ({@link PlainLineStager}). */
    PlainLineStager plainLineStager() {
        return new PlainLineStager(header, knownLocations);
    }

    public List<IngestedRow> process(List<SnapshotLine> block) {
        List<IngestedRow> rows = new ArrayList<>(block.size());
        for (SnapshotLine line : block) {
            rows.add(validate(line));
        }
        return rows;
    }

    public IngestedRow validate(SnapshotLine line) {
        String[] f = line.fields();
        long n = line.lineNumber();
        String raw = line.rawText();
        String sku = field(f, header.sku());
        String location = field(f, header.location());
        if (!line.parsed()) {
            return new IngestedRow.Rejected(n, raw, null, line.parseError(), recoveredKey(sku), recoveredKey(location));
        }
        for (int i = 0; i < f.length; i++) {
            String value = f[i] == null ? "" : f[i];
            int at = ControlCharacters.indexInField(value);
            if (at >= 0) {
                String name = header.fieldAt(i);
                return new IngestedRow.Rejected(
                        n,
                        raw,
                        name,
                        name + " holds the control character " + ControlCharacters.name(value.charAt(at))
                                + " at position " + (at + 1),
                        recoveredKey(sku),
                        recoveredKey(location));
            }
        }
        if (f.length != header.width()) {
            return new IngestedRow.Rejected(
                    n,
                    raw,
                    null,
                    "the row has " + f.length + " fields, the header has " + header.width(),
                    sku,
                    location);
        }
        if (sku.isEmpty()) {
            return new IngestedRow.Rejected(n, raw, "sku", "sku is empty", null, location);
        }
        if (sku.length() > MAX_KEY_LENGTH) {
            return new IngestedRow.Rejected(
                    n, raw, "sku", "sku is longer than " + MAX_KEY_LENGTH + " characters", null, location);
        }
        if (location.isEmpty()) {
            return new IngestedRow.Rejected(n, raw, "location", "location is empty", sku, null);
        }
        if (location.length() > MAX_KEY_LENGTH) {
            return new IngestedRow.Rejected(
                    n, raw, "location", "location is longer than " + MAX_KEY_LENGTH + " characters", sku, null);
        }
        String quantity = field(f, header.onHand());
        if (quantity.isEmpty()) {
            return new IngestedRow.Rejected(n, raw, "on_hand", "on_hand is empty", sku, location);
        }
        int onHand;
        try {
            onHand = Integer.parseInt(quantity);
        } catch (NumberFormatException e) {
            return new IngestedRow.Rejected(
                    n, raw, "on_hand", "on_hand is not a whole number: '" + abbreviate(quantity) + "'", sku, location);
        }
        if (onHand < 0) {
            return new IngestedRow.Rejected(n, raw, "on_hand", "on_hand is negative: " + onHand, sku, location);
        }
        if (!knownLocations.contains(location)) {
            return new IngestedRow.Rejected(
                    n,
                    raw,
                    "location",
                    "unknown location '" + abbreviate(location) + "': not an active Omni inventory location",
                    sku,
                    location);
        }
        return new IngestedRow.Staged(
                n, sku, location, onHand, optional(f, header.upc()), optional(f, header.partNumber()));
    }

    /** A key as it may stand in the reject table: present, not too long, no control character. */
    static String keyOrNull(String value) {
        return value == null
                        || value.isEmpty()
                        || value.length() > MAX_KEY_LENGTH
                        || ControlCharacters.indexIn(value) >= 0
                ? null
                : value;
    }

    /**
     * The key a rejected line was most likely about: its text without control characters. Kept on the
     * rejected row, it keeps {@code missing: ZERO} from zeroing a position because its line was damaged.
     */
    private static String recoveredKey(String value) {
        StringBuilder kept = new StringBuilder(value.length());
        value.chars().filter(c -> !Character.isISOControl(c)).forEach(c -> kept.append((char) c));
        return keyOrNull(kept.toString().strip());
    }

    private static String field(String[] fields, int index) {
        return index >= 0 && index < fields.length && fields[index] != null ? fields[index].strip() : "";
    }

    private static String optional(String[] fields, int index) {
        String v = field(fields, index);
        return v.isEmpty() ? null : v.length() > MAX_KEY_LENGTH ? v.substring(0, MAX_KEY_LENGTH) : v;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
