package com.inventorysync.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A block's staged rows written as the text of PostgreSQL's {@code COPY snapshot_row FROM STDIN}
 * (backslash escapes, {@code \N} for null), with each row's line number and key fingerprint
 * ({@link SnapshotKeys}). Written on the read-ahead thread, so that the ingest step's own thread
 * only sends bytes; one instance a block.
 */
public final class StagedText {
    private final long runId;
    private byte[] text;
    private int length;
    private long[] lines;
    private long[] fingerprints;
    private int rows;
    /** Room for one value in the slow lane (non-ASCII text): escaped here, then encoded. */
    private final StringBuilder escaped = new StringBuilder();

    public StagedText(long runId, int expectedRows) {
        this.runId = runId;
        int capacity = Math.max(16, expectedRows);
        this.text = new byte[capacity * 48];
        this.lines = new long[capacity];
        this.fingerprints = new long[capacity];
    }

    public long runId() {
        return runId;
    }

    /** Rows written. */
    public int rows() {
        return rows;
    }

    public byte[] bytes() {
        return text;
    }

    public int length() {
        return length;
    }

    /** The line number of each row, in the order written; {@link #rows()} of them are set. */
    long[] lines() {
        return lines;
    }

    /** The key fingerprint of each row, beside {@link #lines()}. */
    long[] fingerprints() {
        return fingerprints;
    }

    /** A validated row, whatever its characters. */
    public void add(IngestedRow.Staged row) {
        startRow(row.lineNumber(), SnapshotKeys.fingerprint(row.sku(), row.location()));
        value(row.sku()).tab();
        value(row.location()).tab().number(row.onHand()).tab();
        value(row.upc()).tab();
        value(row.partNumber()).end();
    }

    /**
     * A row whose values are ranges of one line of printable ASCII ({@link PlainLineStager}); a
     * range from -1 is null.
     */
    void addPlain(
            long lineNumber,
            String line,
            int skuFrom,
            int skuTo,
            int locationFrom,
            int locationTo,
            int onHand,
            int upcFrom,
            int upcTo,
            int partFrom,
            int partTo) {
        startRow(lineNumber, SnapshotKeys.fingerprint(line, skuFrom, skuTo, locationFrom, locationTo));
        ascii(line, skuFrom, skuTo).tab();
        ascii(line, locationFrom, locationTo).tab().number(onHand).tab();
        ascii(line, upcFrom, upcTo).tab();
        ascii(line, partFrom, partTo).end();
    }

    private void startRow(long lineNumber, long fingerprint) {
        if (rows == lines.length) {
            lines = Arrays.copyOf(lines, rows * 2);
            fingerprints = Arrays.copyOf(fingerprints, rows * 2);
        }
        lines[rows] = lineNumber;
        fingerprints[rows] = fingerprint;
        rows++;
        number(runId).tab().number(lineNumber).tab();
    }

    private StagedText ascii(String line, int from, int to) {
        if (from < 0) {
            return nullValue();
        }
        room(2 * (to - from));
        for (int i = from; i < to; i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                text[length++] = '\\';
            }
            text[length++] = (byte) c;
        }
        return this;
    }

    private StagedText value(String value) {
        if (value == null) {
            return nullValue();
        }
        escaped.setLength(0);
        boolean ascii = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            ascii &= c < 0x80;
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '\t' -> escaped.append("\\t");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                default -> escaped.append(c);
            }
        }
        if (ascii) {
            room(escaped.length());
            for (int i = 0; i < escaped.length(); i++) {
                text[length++] = (byte) escaped.charAt(i);
            }
        } else {
            byte[] utf8 = escaped.toString().getBytes(StandardCharsets.UTF_8);
            room(utf8.length);
            System.arraycopy(utf8, 0, text, length, utf8.length);
            length += utf8.length;
        }
        return this;
    }

    private StagedText nullValue() {
        room(2);
        text[length++] = '\\';
        text[length++] = 'N';
        return this;
    }

    private StagedText number(long n) {
        room(20);
        if (n < 0) {
            text[length++] = '-';
            n = -n;
        }
        int start = length;
        do {
            text[length++] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n > 0);
        for (int i = start, j = length - 1; i < j; i++, j--) {
            byte b = text[i];
            text[i] = text[j];
            text[j] = b;
        }
        return this;
    }

    private StagedText tab() {
        room(1);
        text[length++] = '\t';
        return this;
    }

    private void end() {
        room(1);
        text[length++] = '\n';
    }

    private void room(int more) {
        if (length + more > text.length) {
            text = Arrays.copyOf(text, Math.max(text.length * 2, length + more));
        }
    }
}
