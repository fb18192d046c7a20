package com.inventorysync.ingest;

import com.opencsv.RFC4180Parser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStreamReader;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Streams the records of a CSV snapshot (UTF-8, BOM tolerated, RFC 4180 quoting, records may span
 * lines) after its header row, keeping each record's line number and raw text for the reject file.
 * Restartable: the count of records handed out is kept in the step's execution context, and a
 * restart skips that many.
 */
public class SnapshotCsvReader implements ItemStreamReader<SnapshotLine> {
    static final String READ_KEY = "snapshot.records.read";

    private final Path file;
    private final RFC4180Parser parser = SnapshotHeader.parser();
    private BufferedReader in;
    private long physicalLine;
    private long recordsRead;

    public SnapshotCsvReader(Path file) {
        this.file = file;
    }

    @Override
    public void open(ExecutionContext context) {
        try {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder), 1 << 16);
            if (in.readLine() == null) {
                throw new BadSnapshotException(file + ": the file is empty (no header row)");
            }
            physicalLine = 1;
            long skip = context.getLong(READ_KEY, 0L);
            while (recordsRead < skip && read() != null) {
                // skipping what an earlier execution already staged
            }
        } catch (IOException e) {
            throw new ItemStreamException(file + ": cannot be read: " + e.getMessage(), new BadSnapshotException(e.getMessage(), e));
        }
    }

    @Override
    public SnapshotLine read() throws IOException {
        String line = in.readLine();
        while (line != null && line.isEmpty()) {
            physicalLine++;
            line = in.readLine();
        }
        if (line == null) {
            return null;
        }
        long start = ++physicalLine;
        String[] fields = parser.parseLineMulti(line);
        StringBuilder raw = null;
        while (parser.isPending()) {
            String next = in.readLine();
            if (next == null) {
                // An unterminated quote: hand out what there is; the validator rejects the record.
                break;
            }
            physicalLine++;
            if (raw == null) {
                raw = new StringBuilder(line);
            }
            raw.append('\n').append(next);
            fields = concat(fields, parser.parseLineMulti(next));
        }
        recordsRead++;
        return new SnapshotLine(start, fields, raw == null ? line : raw.toString());
    }

    /** The parser completes a pending field itself (with its line break); the parts only need joining. */
    private static String[] concat(String[] head, String[] tail) {
        String[] result = new String[head.length + tail.length];
        System.arraycopy(head, 0, result, 0, head.length);
        System.arraycopy(tail, 0, result, head.length, tail.length);
        return result;
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
}
