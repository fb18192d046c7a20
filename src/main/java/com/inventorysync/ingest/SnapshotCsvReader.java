package com.inventorysync.ingest;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Streams the lines of a CSV snapshot (UTF-8, BOM tolerated) after its header row, one record per
 * physical line ({@link CsvLineParser}): inventory exports have no line breaks inside a field, and
 * a record allowed to continue on the next line lets one stray quote swallow the rest of the file.
 * A line that cannot be parsed is handed out too, with its reason, for the validator to reject.
 * Blank lines hold no record and are passed over. Restartable: the count of records handed out is
 * kept in the step's execution context, and a restart skips that many.
 */
public class SnapshotCsvReader implements ItemStreamReader<SnapshotLine> {
    static final String READ_KEY = "snapshot.records.read";

    private final Path file;
    private BufferedReader in;
    private CountingInputStream bytes;
    private long physicalLine;
    private long recordsRead;
    /**
     * The records' text as decoded, read a buffer at a time and split into lines here, so that a
     * plain line is staged from its characters without a string of its own ({@link PlainLineStager}).
     */
    private char[] text = new char[1 << 16];

    private int position;
    private int limit;
    private boolean endOfFile;
    /** The last line ended with a carriage return: a line feed right after it ends nothing more. */
    private boolean skipLineFeed;

    private int lineStart;
    private int lineEnd;

    public SnapshotCsvReader(Path file) {
        this.file = file;
    }

    @Override
    public void open(ExecutionContext context) {
        try {
            CharsetDecoder decoder = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            bytes = new CountingInputStream(Files.newInputStream(file));
            in = new BufferedReader(new InputStreamReader(bytes, decoder), 1 << 16);
            if (in.readLine() == null) {
                throw new BadSnapshotException(file + ": the file is empty (no header row)");
            }
            physicalLine = 1;
            long skip = context.getLong(READ_KEY, 0L);
            while (recordsRead < skip && advance()) {
                // skipping what an earlier execution already staged
            }
        } catch (IOException e) {
            throw new ItemStreamException(
                    file + ": cannot be read: " + e.getMessage(), new BadSnapshotException(e.getMessage(), e));
        }
    }

    @Override
    public SnapshotLine read() throws IOException {
        String line = nextLine();
        return line == null ? null : parse(line);
    }

    /** The next record's line as it stands in the file, unparsed ({@link #lineNumber()} tells where), or null at the end. */
    String nextLine() throws IOException {
        return advance() ? lineText() : null;
    }

    /**
     * Moves to the next record's line (blank lines are passed over) and returns true, or returns false
     * at the end; the line is then {@link #lineStart()} to {@link #lineEnd()} of {@link #text()}. A
     * line ends at a line feed, a carriage return or both, as {@link BufferedReader#readLine} has it.
     */
    boolean advance() throws IOException {
        while (true) {
            if (!nextPhysicalLine()) {
                return false;
            }
            physicalLine++;
            if (lineEnd > lineStart) {
                recordsRead++;
                return true;
            }
        }
    }

    private boolean nextPhysicalLine() throws IOException {
        int scanned = position;
        while (true) {
            if (skipLineFeed && position < limit) {
                if (text[position] == '\n') {
                    position++;
                    scanned = position;
                }
                skipLineFeed = false;
            }
            for (int i = scanned; i < limit; i++) {
                char c = text[i];
                if (c == '\n' || c == '\r') {
                    lineStart = position;
                    lineEnd = i;
                    position = i + 1;
                    skipLineFeed = c == '\r';
                    return true;
                }
            }
            if (endOfFile) {
                if (position == limit) {
                    return false;
                }
                lineStart = position;
                lineEnd = limit;
                position = limit;
                return true;
            }
            scanned = limit - position;
            fill();
        }
    }

    /** Keeps the unfinished line at the start of the buffer (grown if the line fills it) and reads more after it. */
    private void fill() throws IOException {
        int kept = limit - position;
        if (kept == text.length) {
            text = Arrays.copyOf(text, text.length * 2);
        } else if (position > 0) {
            System.arraycopy(text, position, text, 0, kept);
        }
        position = 0;
        limit = kept;
        int n = in.read(text, limit, text.length - limit);
        if (n < 0) {
            endOfFile = true;
        } else {
            limit += n;
        }
    }

    char[] text() {
        return text;
    }

    int lineStart() {
        return lineStart;
    }

    int lineEnd() {
        return lineEnd;
    }

    /** The current line as a string: for the lines that take the parser's way. */
    String lineText() {
        return new String(text, lineStart, lineEnd - lineStart);
    }

    /** The number of the line {@link #nextLine()} returned last (the header is line 1). */
    long lineNumber() {
        return physicalLine;
    }

    /** The line {@link #nextLine()} returned last, split into its fields. */
    SnapshotLine parse(String line) {
        try {
            return new SnapshotLine(physicalLine, CsvLineParser.parse(line), line);
        } catch (CsvLineParser.MalformedLineException e) {
            return new SnapshotLine(physicalLine, CsvLineParser.splitLeniently(line), line, e.getMessage());
        }
    }

    /** The file's size in bytes: the total that {@link #bytesRead} approaches. */
    public long size() throws IOException {
        return Files.size(file);
    }

    /** Bytes read from the file so far (ahead of the records handed out by at most the buffers' size): progress, cheaply. */
    public long bytesRead() {
        return bytes == null ? 0 : bytes.count;
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(READ_KEY, recordsRead);
    }

    @Override
    public void close() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing left to do with a file we only read
            }
            in = null;
        }
    }

    /** Counts what the decoder takes from the file. */
    private static final class CountingInputStream extends FilterInputStream {
        private volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
