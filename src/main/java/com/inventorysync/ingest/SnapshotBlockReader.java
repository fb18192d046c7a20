package com.inventorysync.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import com.inventorysync.ops.RunLogContext;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Hands out a snapshot's records a block at a time, so that the ingest step pays the framework's
 * per-item costs (the step-scoped proxy's call, listeners, metrics) once a block rather than once a
 * record: at a million records they took longer than parsing the file. The next block is parsed
 * on a thread of its own while the current one is staged, so that parsing overlaps PostgreSQL's
 * {@code COPY}. The restart position counts the records handed out, never those read ahead.
 */
public class SnapshotBlockReader implements ItemStreamReader<List<SnapshotLine>> {
    private final SnapshotCsvReader records;
    private final int blockSize;
    private ExecutorService readAhead;
    private Future<List<SnapshotLine>> next;
    private long handedOut;

    public SnapshotBlockReader(SnapshotCsvReader records, int blockSize) {
        this.records = records;
        this.blockSize = blockSize;
    }

    @Override
    public void open(ExecutionContext context) {
        records.open(context);
        handedOut = context.getLong(SnapshotCsvReader.READ_KEY, 0L);
        readAhead = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(RunLogContext.carrying(task), "snapshot-read-ahead");
            thread.setDaemon(true);
            return thread;
        });
        next = readAhead.submit(this::readBlock);
    }

    @Override
    public List<SnapshotLine> read() throws IOException {
        List<SnapshotLine> block = await(next);
        if (block.isEmpty()) {
            return null;
        }
        next = readAhead.submit(this::readBlock);
        handedOut += block.size();
        return block;
    }

    private List<SnapshotLine> readBlock() throws IOException {
        List<SnapshotLine> block = new ArrayList<>(Math.min(blockSize, 4096));
        SnapshotLine line;
        while (block.size() < blockSize && (line = records.read()) != null) {
            block.add(line);
        }
        return block;
    }

    private static List<SnapshotLine> await(Future<List<SnapshotLine>> block) throws IOException {
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
    }
}
