package com.inventorysync.ingest;

import java.util.Set;

/**
 * Stages the common line in one pass over its characters, without splitting it into strings: a
 * line of printable ASCII without quotes, as many fields as the header, sku and location of at most
 * 100 characters, on_hand of one to nine digits, a known location and optional fields of at most 100
 * characters. Such a line is one {@link SnapshotRowValidator} would stage with the same values
 * (spaces around a value trimmed). Any other line is left to the parser and the validator, which
 * stage or reject it with a reason; so this class never rejects.
 */
final class PlainLineStager {
    private final SnapshotHeader header;
    private final Set<String> knownLocations;
    private final int[] from;
    private final int[] to;
    /** The last location looked up: snapshot lines come grouped by sku or by location, so most lines repeat it. */
    private String lastLocation = "";

    private boolean lastLocationKnown;
    /**
     * Whether the header is sku, location, on_hand, then upc and part_number as far as present, in
     * that order and nothing else: the order of the staged text's columns, so that a plain line's
     * characters are its row's text ({@link StagedText#addAsWritten}).
     */
    private final boolean inTextOrder;
    /** Whether the line last split holds a backslash, which the staged text escapes. */
    private boolean backslash;

    PlainLineStager(SnapshotHeader header, Set<String> knownLocations) {
        this.header = header;
        this.knownLocations = knownLocations;
        this.from = new int[header.width()];
        this.to = new int[header.width()];
        int width = header.width();
        this.inTextOrder = header.sku() == 0
                && header.location() == 1
                && header.onHand() == 2
                && (width == 3
                        || (width == 4 && header.upc() == 3)
                        || (width == 5 && header.upc() == 3 && header.partNumber() == 4));
    }

    /**
     * Writes the line ({@code start} to {@code end} of {@code line}) to {@code out} and returns true,
     * or returns false and leaves it for the validator.
     */
    boolean stage(char[] line, int start, int end, long lineNumber, StagedText out) {
        if (!split(line, start, end)) {
            return false;
        }
        if (inTextOrder && !backslash && stageAsWritten(line, start, end, lineNumber, out)) {
            return true;
        }
        trim(line);
        int sku = header.sku();
        int location = header.location();
        int onHand = header.onHand();
        if (!isKey(sku) || !isKey(location) || onHand < 0) {
            return false;
        }
        int quantity = digits(line, from[onHand], to[onHand]);
        if (quantity < 0 || !isKnownLocation(line, from[location], to[location])) {
            return false;
        }
        int upc = header.upc();
        int part = header.partNumber();
        if (!isOptional(upc) || !isOptional(part)) {
            return false;
        }
        out.addPlain(
                lineNumber,
                line,
                from[sku],
                to[sku],
                from[location],
                to[location],
                quantity,
                present(upc) ? from[upc] : -1,
                present(upc) ? to[upc] : -1,
                present(part) ? from[part] : -1,
                present(part) ? to[part] : -1);
        return true;
    }

    /**
     * The line as written, when it is its row's text: every field present, none longer than the
     * validator keeps and no spaces around a value (each of these the validator would change or make
     * null). On_hand's digits are as written: leading zeros read as the same integer.
     */
    private boolean stageAsWritten(char[] line, int start, int end, long lineNumber, StagedText out) {
        for (int f = 0; f < from.length; f++) {
            int length = to[f] - from[f];
            if (length == 0
                    || length > SnapshotRowValidator.MAX_KEY_LENGTH
                    || line[from[f]] == ' '
                    || line[to[f] - 1] == ' ') {
                return false;
            }
        }
        int onHand = header.onHand();
        if (digits(line, from[onHand], to[onHand]) < 0 || !isKnownLocation(line, from[1], to[1])) {
            return false;
        }
        out.addAsWritten(lineNumber, line, start, end, from[0], to[0], from[1], to[1], 5 - from.length);
        return true;
    }

    /** Finds the header's number of fields; false for anything but plain text. */
    private boolean split(char[] line, int start, int end) {
        int width = from.length;
        int field = 0;
        boolean escapes = false;
        from[0] = start;
        for (int i = start; i < end; i++) {
            char c = line[i];
            if (c < 0x20 || c > 0x7E || c == '"') {
                return false;
            }
            escapes |= c == '\\';
            if (c == ',') {
                if (field + 1 == width) {
                    return false;
                }
                to[field++] = i;
                from[field] = i + 1;
            }
        }
        if (field + 1 != width) {
            return false;
        }
        to[field] = end;
        backslash = escapes;
        return true;
    }

    /** Trims the spaces around each field the line was split into. */
    private void trim(char[] line) {
        for (int f = 0; f < from.length; f++) {
            while (from[f] < to[f] && line[from[f]] == ' ') {
                from[f]++;
            }
            while (to[f] > from[f] && line[to[f] - 1] == ' ') {
                to[f]--;
            }
        }
    }

    private boolean isKey(int field) {
        if (field < 0) {
            return false;
        }
        int length = to[field] - from[field];
        return length > 0 && length <= SnapshotRowValidator.MAX_KEY_LENGTH;
    }

    /** Absent, or not longer than the validator keeps. */
    private boolean isOptional(int field) {
        return field < 0 || to[field] - from[field] <= SnapshotRowValidator.MAX_KEY_LENGTH;
    }

    private boolean present(int field) {
        return field >= 0 && to[field] > from[field];
    }

    /** The value of one to nine digits (no sign, so it fits an int and is not negative), or -1. */
    private static int digits(char[] line, int start, int end) {
        if (end - start < 1 || end - start > 9) {
            return -1;
        }
        int value = 0;
        for (int i = start; i < end; i++) {
            char c = line[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private boolean isKnownLocation(char[] line, int start, int end) {
        if (!sameAsLastLocation(line, start, end)) {
            lastLocation = new String(line, start, end - start);
            lastLocationKnown = knownLocations.contains(lastLocation);
        }
        return lastLocationKnown;
    }

    private boolean sameAsLastLocation(char[] line, int start, int end) {
        if (end - start != lastLocation.length()) {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (line[i] != lastLocation.charAt(i - start)) {
                return false;
            }
        }
        return true;
    }
}
