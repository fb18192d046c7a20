package com.inventorysync.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A block's staged rows written as the text of PostgreSQL's {@code COPY snapshot_row FROM STDIN}
 * (backslash escapes, {@code \N} for null), with each row's line number and key fingerprint
 * ({@link SnapshotKeys}). Written on the read-ahead thread, so that the ingest step's own thread
 * only sends bytes; one instance a block. Kept in pages of 128 KB: arrays as large as a block's text
 * would be "humongous" to the G1 collector (half a region or more: 512 KB in a 512 MB heap), and each
 * one allocated starts a concurrent marking cycle, on the cores the ingest needs.
 */
public final class StagedText {
    private static final int PAGE_BYTES = 1 << 17;
    private static final int PAGE_ROWS_BITS = 14;
    private static final int PAGE_ROWS = 1 << PAGE_ROWS_BITS;

    private final long runId;
    /** The run's number and a tab, the same at the start of every row. */
    private final byte[] runIdPrefix;

    private final List<byte[]> pages = new ArrayList<>();
    private final List<Integer> pageLengths = new ArrayList<>();
    private byte[] text = new byte[PAGE_BYTES];
    private int length;
    private final List<long[]> lines = new ArrayList<>();
    private final List<long[]> fingerprints = new ArrayList<>();
    private int rows;
    /** Room for one value in the slow lane (non-ASCII text): escaped here, then encoded. */
    private final StringBuilder escaped = new StringBuilder();

    public StagedText(long runId) {
        this.runId = runId;
        this.runIdPrefix = (runId + "\t").getBytes(StandardCharsets.US_ASCII);
        pages.add(text);
        pageLengths.add(0);
    }

    public long runId() {
        return runId;
    }

    /** Rows written. */
    public int rows() {
        return rows;
    }

    /** Hands each page of text to {@code sink}, in order. */
    public <E extends Exception> void sendTo(Sink<E> sink) throws E {
        pageLengths.set(pages.size() - 1, length);
        for (int i = 0; i < pages.size(); i++) {
            sink.write(pages.get(i), pageLengths.get(i));
        }
    }

    /** Where the text goes: {@code COPY}, or a test's buffer. */
    @FunctionalInterface
    public interface Sink<E extends Exception> {
        void write(byte[] bytes, int length) throws E;
    }

    /** The line number of a row, by its place in the order written. */
    long line(int row) {
        return lines.get(row >>> PAGE_ROWS_BITS)[row & (PAGE_ROWS - 1)];
    }

    /** The key fingerprint of a row, by its place in the order written. */
    long fingerprint(int row) {
        return fingerprints.get(row >>> PAGE_ROWS_BITS)[row & (PAGE_ROWS - 1)];
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
            char[] line,
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

    /**
     * A plain line whose fields are the leading columns of the text, in its order ({@link
     * PlainLineStager}): its characters are the row's text, commas turned into tabs, then {@code
     * nullsAfter} null columns.
     */
    void addAsWritten(
            long lineNumber,
            char[] line,
            int start,
            int end,
            int skuFrom,
            int skuTo,
            int locationFrom,
            int locationTo,
            int nullsAfter) {
        startRow(lineNumber, SnapshotKeys.fingerprint(line, skuFrom, skuTo, locationFrom, locationTo));
        room(end - start + 3 * nullsAfter + 1);
        for (int i = start; i < end; i++) {
            char c = line[i];
            text[length++] = c == ',' ? (byte) '\t' : (byte) c;
        }
        for (int i = 0; i < nullsAfter; i++) {
            text[length++] = '\t';
            text[length++] = '\\';
            text[length++] = 'N';
        }
        text[length++] = '\n';
    }

    private void startRow(long lineNumber, long fingerprint) {
        if ((rows & (PAGE_ROWS - 1)) == 0) {
            lines.add(new long[PAGE_ROWS]);
            fingerprints.add(new long[PAGE_ROWS]);
        }
        lines.get(lines.size() - 1)[rows & (PAGE_ROWS - 1)] = lineNumber;
        fingerprints.get(fingerprints.size() - 1)[rows & (PAGE_ROWS - 1)] = fingerprint;
        rows++;
        room(runIdPrefix.length);
        System.arraycopy(runIdPrefix, 0, text, length, runIdPrefix.length);
        length += runIdPrefix.length;
        number(lineNumber).tab();
    }

    private StagedText ascii(char[] line, int from, int to) {
        if (from < 0) {
            return nullValue();
        }
        room(2 * (to - from));
        for (int i = from; i < to; i++) {
            char c = line[i];
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

    /** Room for {@code more} bytes on the current page: a row's value never spans two pages. */
    private void room(int more) {
        if (length + more > text.length) {
            pageLengths.set(pages.size() - 1, length);
            text = new byte[Math.max(PAGE_BYTES, more)];
            pages.add(text);
            pageLengths.add(0);
            length = 0;
        }
    }
}
