package com.inventorysync.ingest;

/** The snapshot file as a whole cannot be used (unreadable, header without the mapped columns, too many bad rows). */
public class BadSnapshotException extends RuntimeException {
    public BadSnapshotException(String message) {
        super(message);
    }

    public BadSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
