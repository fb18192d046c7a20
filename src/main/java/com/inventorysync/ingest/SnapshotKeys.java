package com.inventorysync.ingest;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The keys (sku, location) of every line a run stages or rejects, as 64-bit fingerprints with their
 * line numbers, to tell at the end of the ingest which lines may share a key, in memory of one size
 * however large the snapshot: the fingerprints are gathered {@code runSize} at a time, sorted, and
 * written to a temporary file, and the files are merged once the last line is in (24 MB and a 64 KB
 * buffer per file, 4 files per 4 million lines). Lines whose fingerprints meet are candidates only:
 * {@link IngestFinisher} compares their keys. One instance per job execution; it vouches only for an
 * ingest it watched from the first line.
 */
public class SnapshotKeys implements AutoCloseable {
    /** A million fingerprints a sorted run (three arrays of 8 MB): a snapshot of a million lines sorts in memory alone. */
    static final int DEFAULT_RUN_SIZE = 1 << 20;
    /** Past this many candidate lines the keys are compared in SQL over the whole snapshot instead. */
    static final int DEFAULT_MAX_CANDIDATES = 1 << 20;

    private static final int BUFFER = 1 << 16;

    private final int runSize;
    private final int maxCandidates;
    private final long indexMask;
    /** The high bits of a fingerprint with the entry's index in the low bits: sorting these sorts the run. */
    private long[] order;

    private long[] fingerprints;
    private long[] lines;
    private int size;
    /**
     * How many entries of {@link #order} are sorted in segments: each chunk's entries are sorted as the
     * chunk comes, while its rows are still being stored, so that the end of the ingest only merges.
     */
    private int segmentsEnd;

    private final List<Path> runs = new ArrayList<>();
    private Path directory;
    private boolean watching;
    private boolean gaveUp;
    private long stagedLines;

    public SnapshotKeys() {
        this(DEFAULT_RUN_SIZE, DEFAULT_MAX_CANDIDATES);
    }

    SnapshotKeys(int runSize, int maxCandidates) {
        if (Integer.bitCount(runSize) != 1) {
            throw new IllegalArgumentException("runSize must be a power of two: " + runSize);
        }
        this.runSize = runSize;
        this.maxCandidates = maxCandidates;
        this.indexMask = runSize - 1;
    }

    /** The ingest starts at the snapshot's first line: from now on every key is added. */
    public void watchFromStart() {
        if (!gaveUp && order == null) {
            order = new long[runSize];
            fingerprints = new long[runSize];
            lines = new long[runSize];
            watching = true;
        }
    }

    /** The ingest resumes after lines this instance never saw: it cannot tell which keys repeat. */
    public void giveUp() {
        gaveUp = true;
        watching = false;
        close();
    }

    /** Whether every line of the snapshot's ingest was added. */
    public boolean watchedWholeIngest() {
        return watching;
    }

    /** How many staged lines were added: the staged rows, when the whole ingest was watched. */
    public long stagedLines() {
        return stagedLines;
    }

    /**
     * Adds the keys of a chunk's lines, rejected ones too (a key on a rejected line rejects its staged
     * line as a duplicate); one call a chunk, since the writer reaches this job-scoped instance
     * through a proxy.
     */
    public void add(List<IngestedRow.Staged> staged, List<IngestedRow.Rejected> rejected) {
        for (IngestedRow.Staged s : staged) {
            add(s.sku(), s.location(), s.lineNumber());
        }
        stagedLines += staged.size();
        for (IngestedRow.Rejected r : rejected) {
            String sku = SnapshotRowValidator.keyOrNull(r.sku());
            String location = SnapshotRowValidator.keyOrNull(r.location());
            if (sku != null && location != null) {
                add(sku, location, r.lineNumber());
            }
        }
        endSegment();
    }

    /** Adds the keys of a block's rows staged as COPY text (their fingerprints computed as they were written). */
    public void add(StagedText staged) {
        if (!watching) {
            return;
        }
        for (int i = 0; i < staged.rows(); i++) {
            add(staged.fingerprint(i), staged.line(i));
        }
        this.stagedLines += staged.rows();
        endSegment();
    }

    void add(String sku, String location, long line) {
        if (watching) {
            add(fingerprint(sku, location), line);
        }
    }

    private void add(long fingerprint, long line) {
        if (!watching) {
            return;
        }
        if (size == runSize) {
            spill();
        }
        fingerprints[size] = fingerprint;
        lines[size] = line;
        order[size] = (fingerprint & ~indexMask) | size;
        size++;
    }

    /** Sorts the entries added since the last segment ended. */
    private void endSegment() {
        if (!watching || size == segmentsEnd) {
            return;
        }
        Arrays.sort(order, segmentsEnd, size);
        segmentsEnd = size;
    }

    /**
     * The lines whose key's fingerprint is on another line too, in ascending order; null when there
     * are more than the limit (or nothing was watched): then only a search over the whole snapshot
     * can tell. Merges the sorted runs; ends this instance's use.
     */
    public long[] candidateLines() {
        if (!watching) {
            return null;
        }
        try {
            if (runs.isEmpty()) {
                // The segments are sorted already: the sort only merges them (it finds ascending runs).
                int n = sortRun();
                return repeatedInOrder(n);
            }
            if (size > 0) {
                spill();
            }
            List<Cursor> cursors = new ArrayList<>();
            for (Path run : runs) {
                cursors.add(new FileCursor(run));
            }
            try {
                return merge(cursors);
            } finally {
                for (Cursor c : cursors) {
                    c.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot merge the snapshot's key fingerprints: " + e.getMessage(), e);
        } finally {
            watching = false;
            close();
        }
    }

    /** Sorts the buffered entries by fingerprint (the high bits, then arrival) and returns how many. */
    private int sortRun() {
        Arrays.sort(order, 0, size);
        return size;
    }

    private void spill() {
        try {
            if (directory == null) {
                directory = Files.createTempDirectory("inventory-sync-keys");
            }
            int n = sortRun();
            Path run = directory.resolve("run-" + runs.size());
            try (DataOutputStream out =
                    new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), BUFFER))) {
                for (int i = 0; i < n; i++) {
                    int index = (int) (order[i] & indexMask);
                    out.writeLong(fingerprints[index]);
                    out.writeLong(lines[index]);
                }
            }
            runs.add(run);
            size = 0;
            segmentsEnd = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the snapshot's key fingerprints: " + e.getMessage(), e);
        }
    }

    /**
     * The candidates of the run held in memory, its first {@code n} entries of {@link #order} sorted:
     * a pass over neighbours, in which entries of equal high bits form a group as in {@link #merge}.
     */
    private long[] repeatedInOrder(int n) {
        Candidates candidates = new Candidates(maxCandidates);
        long[] groupFingerprints = new long[16];
        long[] groupLines = new long[16];
        int from = 0;
        while (from < n) {
            long key = order[from] & ~indexMask;
            int to = from + 1;
            while (to < n && (order[to] & ~indexMask) == key) {
                to++;
            }
            int groupSize = to - from;
            if (groupSize > 1) {
                if (groupSize > groupFingerprints.length) {
                    groupFingerprints = new long[groupSize];
                    groupLines = new long[groupSize];
                }
                for (int i = 0; i < groupSize; i++) {
                    int index = (int) (order[from + i] & indexMask);
                    groupFingerprints[i] = fingerprints[index];
                    groupLines[i] = lines[index];
                }
                if (!candidates.addGroup(groupFingerprints, groupLines, groupSize)) {
                    return null;
                }
            }
            from = to;
        }
        return candidates.sorted();
    }

    /**
     * A k-way merge by the fingerprints' high bits (a binary heap of cursors); entries of equal high
     * bits form a group, and within it the lines of equal full fingerprints are the candidates.
     */
    private long[] merge(List<Cursor> cursors) throws IOException {
        Cursor[] heap = new Cursor[cursors.size()];
        int heapSize = 0;
        for (Cursor c : cursors) {
            if (c.advance()) {
                heap[heapSize++] = c;
            }
        }
        for (int i = heapSize / 2 - 1; i >= 0; i--) {
            siftDown(heap, heapSize, i);
        }
        Candidates candidates = new Candidates(maxCandidates);
        long[] groupFingerprints = new long[16];
        long[] groupLines = new long[16];
        int groupSize = 0;
        long groupKey = 0;
        while (heapSize > 0) {
            Cursor top = heap[0];
            long key = top.fingerprint & ~indexMask;
            if (groupSize > 0 && key != groupKey) {
                if (!candidates.addGroup(groupFingerprints, groupLines, groupSize)) {
                    return null;
                }
                groupSize = 0;
            }
            if (groupSize == groupFingerprints.length) {
                groupFingerprints = Arrays.copyOf(groupFingerprints, groupSize * 2);
                groupLines = Arrays.copyOf(groupLines, groupSize * 2);
            }
            groupKey = key;
            groupFingerprints[groupSize] = top.fingerprint;
            groupLines[groupSize] = top.line;
            groupSize++;
            if (top.advance()) {
                siftDown(heap, heapSize, 0);
            } else {
                heap[0] = heap[--heapSize];
                siftDown(heap, heapSize, 0);
            }
        }
        return candidates.addGroup(groupFingerprints, groupLines, groupSize) ? candidates.sorted() : null;
    }

    /** The candidate lines found so far, gathered a group (entries of equal high bits) at a time. */
    private static final class Candidates {
        private final int max;
        private long[] found = new long[16];
        private int size;

        Candidates(int max) {
            this.max = max;
        }

        /**
         * Adds the lines of a group whose full fingerprint another entry of it has; false once there are
         * more than the limit. A group is two or three entries but for a key on many lines: sorted, not
         * compared pairwise.
         */
        boolean addGroup(long[] fingerprints, long[] lines, int n) {
            if (n < 2) {
                return true;
            }
            if (found.length - size < n) {
                found = Arrays.copyOf(found, Math.max(found.length * 2, size + n));
            }
            long[] sorted = Arrays.copyOf(fingerprints, n);
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) {
                int at = Arrays.binarySearch(sorted, fingerprints[i]);
                if ((at > 0 && sorted[at - 1] == fingerprints[i])
                        || (at + 1 < n && sorted[at + 1] == fingerprints[i])) {
                    found[size++] = lines[i];
                }
            }
            return size <= max;
        }

        /** The lines found, in ascending order. */
        long[] sorted() {
            long[] result = Arrays.copyOf(found, size);
            Arrays.sort(result);
            return result;
        }
    }

    private static void siftDown(Cursor[] heap, int n, int i) {
        Cursor moving = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && heap[child + 1].before(heap[child])) {
                child++;
            }
            if (!heap[child].before(moving)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = moving;
    }

    /** Deletes the temporary files; the fingerprints held in memory go with the instance. */
    @Override
    public void close() {
        if (directory != null) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
                Files.deleteIfExists(directory);
            } catch (IOException e) {
                // a temporary file left behind is no reason to fail a run
            }
            directory = null;
            runs.clear();
        }
        size = 0;
        segmentsEnd = 0;
        order = null;
        fingerprints = null;
        lines = null;
    }

    /** One sorted run, read in order of the fingerprints' high bits. */
    private abstract class Cursor {
        long fingerprint;
        long line;

        abstract boolean advance() throws IOException;

        boolean before(Cursor other) {
            return (fingerprint & ~indexMask) < (other.fingerprint & ~indexMask);
        }

        void close() throws IOException {}
    }

    private final class FileCursor extends Cursor {
        private final DataInputStream in;

        FileCursor(Path run) throws IOException {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), BUFFER));
        }

        @Override
        boolean advance() throws IOException {
            try {
                fingerprint = in.readLong();
            } catch (EOFException end) {
                return false;
            }
            line = in.readLong();
            return true;
        }

        @Override
        void close() throws IOException {
            in.close();
        }
    }

    /** FNV-1a over both fields (the sku's length first, so that no two splits of one text meet), then mixed. */
    static long fingerprint(String sku, String location) {
        long h = 0xcbf29ce484222325L;
        h = (h ^ sku.length()) * 0x100000001b3L;
        h = fold(h, sku, 0, sku.length());
        return mix(fold(h, location, 0, location.length()));
    }

    /** The fingerprint of the key whose sku and location are ranges of one line: as {@link #fingerprint(String, String)} of the two. */
    static long fingerprint(char[] line, int skuFrom, int skuTo, int locationFrom, int locationTo) {
        long h = 0xcbf29ce484222325L;
        h = (h ^ (skuTo - skuFrom)) * 0x100000001b3L;
        for (int i = skuFrom; i < skuTo; i++) {
            h = (h ^ line[i]) * 0x100000001b3L;
        }
        for (int i = locationFrom; i < locationTo; i++) {
            h = (h ^ line[i]) * 0x100000001b3L;
        }
        return mix(h);
    }

    private static long fold(long h, String text, int from, int to) {
        for (int i = from; i < to; i++) {
            h = (h ^ text.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
