package com.inventorysync.ingest;

/**
 * One record of a snapshot file as read, before validation.
 *
 * @param lineNumber the physical line the record starts on (the header is line 1)
 * @param fields     the parsed fields
 * @param rawText    the record's text as it stands in the file (several lines when a quoted field spans lines)
 */
public record SnapshotLine(long lineNumber, String[] fields, String rawText) {
}
