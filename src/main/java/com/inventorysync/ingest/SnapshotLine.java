package com.inventorysync.ingest;

/**
 * One physical line of a snapshot file as read, before validation.
 *
 * @param lineNumber the line's number in the file (the header is line 1)
 * @param fields     the parsed fields; for a line that cannot be parsed, its fields as well as they can be told
 * @param rawText    the line as it stands in the file
 * @param parseError why the line cannot be parsed, or null when it can
 */
public record SnapshotLine(long lineNumber, String[] fields, String rawText, String parseError) {

    public SnapshotLine(long lineNumber, String[] fields, String rawText) {
        this(lineNumber, fields, rawText, null);
    }

    public boolean parsed() {
        return parseError == null;
    }
}
