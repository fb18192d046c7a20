package com.inventorysync.ingest;

/**
 * The keys (sku, location) a run has staged or rejected so far, kept as 64-bit fingerprints in an
 * open-addressing table (16 MB for a million keys). It tells that no key repeats, the usual case,
 * without a query over the whole staged snapshot. Two keys with one fingerprint read as a repeat,
 * which only costs that query. Past {@code maxKeys} it stops vouching (the query runs), so that a
 * very large snapshot never holds a table of its keys in memory.
 */
final class SnapshotKeys {
    /** 4 million keys: a table of 64 MB at most. */
    static final int DEFAULT_MAX_KEYS = 1 << 22;

    private final int maxKeys;
    private long[] slots = new long[1 << 16];
    private int size;

    SnapshotKeys() {
        this(DEFAULT_MAX_KEYS);
    }

    SnapshotKeys(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    /** @return false when the key, or one with its fingerprint, was added before, or when the table is full: no longer vouching */
    boolean add(String sku, String location) {
        if (size >= maxKeys) {
            return false;
        }
        long fingerprint = fingerprint(sku, location);
        int mask = slots.length - 1;
        for (int i = (int) fingerprint & mask; ; i = (i + 1) & mask) {
            if (slots[i] == fingerprint) {
                return false;
            }
            if (slots[i] == 0) {
                slots[i] = fingerprint;
                if (++size > slots.length / 2) {
                    grow();
                }
                return true;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long fingerprint : old) {
            if (fingerprint != 0) {
                int i = (int) fingerprint & mask;
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = fingerprint;
            }
        }
    }

    /** FNV-1a over both fields (the sku's length first, so that no two splits of one text meet), then mixed; never 0, the empty slot. */
    static long fingerprint(String sku, String location) {
        long h = 0xcbf29ce484222325L;
        h = (h ^ sku.length()) * 0x100000001b3L;
        for (int i = 0; i < sku.length(); i++) {
            h = (h ^ sku.charAt(i)) * 0x100000001b3L;
        }
        for (int i = 0; i < location.length(); i++) {
            h = (h ^ location.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
