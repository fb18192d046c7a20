package com.inventorysync.ingest;

import com.inventorysync.ops.Progress;
import com.inventorysync.ops.ProgressProperties;
import com.inventorysync.ops.RunLogContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Hands out a snapshot's records a block at a time, validated, so that the ingest step pays the
 * framework's per-item costs (the step-scoped proxy's call, listeners, metrics) once a block rather
 * than once a record: at a million records they took longer than parsing the file. The next block
 * is parsed and validated on a thread of its own while the current one is staged, so that the work
 * in Java overlaps PostgreSQL's {@code COPY} instead of taking turns with it. The restart position
 * counts the records handed out, never those read ahead. Progress is the rows handed out, and the
 * share of the file's bytes read by then.
 *
 * <p>Reading for PostgreSQL ({@link #writingCopyTextFor}), the read-ahead thread also writes the
 * staged rows as {@code COPY} text, the common plain lines straight from their characters ({@link
 * PlainLineStager}): the step's thread then only sends bytes, and no row object is made for them.
 */
public class SnapshotBlockReader implements ItemStreamReader<IngestBlock> {
    private final SnapshotCsvReader records;
    private final SnapshotRowValidator validator;
    /** The largest block; the first ones are smaller ({@link #FIRST_BLOCK}), doubling up to it. */
    private final int blockSize;
    /**
     * Lines in the first block: the step waits for it before anything is staged, so a small one lets
     * PostgreSQL start while the next, larger ones are read.
     */
    static final int FIRST_BLOCK = 5_000;

    /** The size of the block the read-ahead thread reads next. */
    private int nextBlockSize;

    private ExecutorService readAhead;
    private final Duration progressInterval;
    private Future<Block> next;
    /** Used on the read-ahead thread alone. */
    private PlainLineStager plainLines;

    private long handedOut;
    private Progress progress;

    /** A block of validated records, and how far into the file its last one ends (give or take the read buffers). */
    private record Block(IngestBlock ingest, long bytesRead) {}

    /** The run whose rows are written as COPY text, or null to hand out row objects. */
    private Long copyRunId;

    public SnapshotBlockReader(SnapshotCsvReader records, SnapshotRowValidator validator, int blockSize) {
        this(records, validator, blockSize, ProgressProperties.DEFAULT_INTERVAL);
    }

    /** @param validator a plain one, not a scoped proxy: it runs on the read-ahead thread, outside the step's scope */
    public SnapshotBlockReader(
            SnapshotCsvReader records, SnapshotRowValidator validator, int blockSize, Duration progressInterval) {
        this.records = records;
        this.validator = validator;
        this.blockSize = blockSize;
        this.progressInterval = progressInterval;
    }

    /** Hands out the staged rows of each block as {@code COPY} text of the run's {@code snapshot_row} rows. */
    public SnapshotBlockReader writingCopyTextFor(long runId) {
        this.copyRunId = runId;
        return this;
    }

    @Override
    public void open(ExecutionContext context) {
        records.open(context);
        handedOut = context.getLong(SnapshotCsvReader.READ_KEY, 0L);
        progress = Progress.startMeasured("ingest", fileSize(), "rows", progressInterval);
        progress.resumedAt(records.bytesRead(), handedOut);
        readAhead = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(RunLogContext.carrying(task), "snapshot-read-ahead");
            thread.setDaemon(true);
            return thread;
        });
        nextBlockSize = Math.min(blockSize, FIRST_BLOCK);
        next = readAhead.submit(this::readBlock);
    }

    @Override
    public IngestBlock read() throws IOException {
        Block block = await(next);
        if (block.ingest().lines() == 0) {
            return null;
        }
        next = readAhead.submit(this::readBlock);
        handedOut += block.ingest().lines();
        progress.set(block.bytesRead(), handedOut);
        return block.ingest();
    }

    private Block readBlock() throws IOException {
        int size = nextBlockSize;
        nextBlockSize = (int) Math.min(blockSize, 2L * size);
        StagedText text = copyRunId == null ? null : new StagedText(copyRunId);
        PlainLineStager plain = text == null ? null : stager();
        List<SnapshotLine> others = new ArrayList<>();
        int lines = 0;
        while (lines < size && records.advance()) {
            lines++;
            if (plain == null
                    || !plain.stage(
                            records.text(), records.lineStart(), records.lineEnd(), records.lineNumber(), text)) {
                others.add(records.parse(records.lineText()));
            }
        }
        List<IngestedRow> rows = validator.process(others);
        if (text != null) {
            List<IngestedRow> rejected = new ArrayList<>();
            for (IngestedRow row : rows) {
                if (row instanceof IngestedRow.Staged staged) {
                    text.add(staged);
                } else {
                    rejected.add(row);
                }
            }
            rows = rejected;
        }
        return new Block(new IngestBlock(lines, text, rows), records.bytesRead());
    }

    private PlainLineStager stager() {
        if (plainLines == null) {
            plainLines = validator.plainLineStager();
        }
        return plainLines;
    }

    /** The file's size, or unknown (-1) if it cannot be told: the read itself then says what is wrong. */
    private long fileSize() {
        try {
            return records.size();
        } catch (IOException e) {
            return -1;
        }
    }

    private static Block await(Future<Block> block) throws IOException {
        try {
            return block.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the snapshot", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) e.getCause();
        }
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(SnapshotCsvReader.READ_KEY, handedOut);
    }

    @Override
    public void close() {
        if (readAhead != null) {
            // The block in progress must end before the file is closed under it.
            readAhead.shutdown();
            try {
                next.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // already reported by read(), or of no interest once the step is over
            }
            readAhead = null;
        }
        records.close();
        if (progress != null) {
            progress.finish();
            progress = null;
        }
    }
}
