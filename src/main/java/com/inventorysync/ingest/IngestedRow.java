package com.inventorysync.ingest;

/** A snapshot record after validation: staged, or rejected with a reason. */
public sealed interface IngestedRow {

    long lineNumber();

    record Staged(long lineNumber, String sku, String location, int onHand, String upc, String partNumber)
            implements IngestedRow {}

    /** {@code field} names the offending field, null when the record as a whole is wrong. */
    record Rejected(long lineNumber, String rawText, String field, String reason, String sku, String location)
            implements IngestedRow {}
}
