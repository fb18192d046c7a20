package com.inventorysync.ops;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far a long step has come, as plain log lines at INFO on the logger
 * {@code com.inventorysync.progress.<name>}:
 * <pre>
 * send: 24,000/60,000 (40%) 268/s, ETA 2 min 14 s
 * send: 60,000/60,000 (100%) in 3 min 44 s, 268/s
 * </pre>
 * A line is written when the step advances and at least the interval has passed since the last
 * one (so a step that stalls says nothing until it moves again), and a final line when the step
 * ends. No timer thread: nothing can log after its step. The rate is the average since the step
 * started, so that it does not jump about with the OMS's latency from one interval to the next;
 * the ETA is the rest at that rate. Work done by an earlier execution (see {@link #resumedAt}) counts
 * in the percentage, not in the rate. Safe to advance from many threads.
 * <p>
 * Two kinds: {@linkplain #start counted} ({@code done/total}), and {@linkplain #startMeasured
 * measured}, where the share done is measured in something cheaper to know in advance than the
 * items counted (a file's bytes, while the rows read are shown).
 */
public final class Progress {
    /** Parent of every step's progress logger: {@code logging.level.com.inventorysync.progress=WARN} silences them all. */
    public static final String LOGGER_PREFIX = "com.inventorysync.progress.";

    private final String name;
    private final String unit;
    private final boolean measured;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Consumer<String> out;
    private final long startedAt;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong nextLineAt;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile long total;
    private volatile long doneBefore;
    private volatile long countBefore;
    private volatile Supplier<String> detail;

    Progress(
            String name,
            long total,
            String unit,
            boolean measured,
            Duration interval,
            LongSupplier nanoTime,
            Consumer<String> out) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the progress interval must be positive, was " + interval);
        }
        this.name = name;
        this.total = total;
        this.unit = unit;
        this.measured = measured;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.out = out;
        this.startedAt = nanoTime.getAsLong();
        this.nextLineAt = new AtomicLong(startedAt + intervalNanos);
    }

    /**
     * A step of {@code total} items, e.g. {@code send: 24,000/60,000 (40%) 268/s, ETA 2 min 14 s}.
     *
     * @param total the items the step will do; negative when not known yet ({@link #total(long)})
     */
    public static Progress start(String name, long total, Duration interval) {
        return start(name, total, null, interval);
    }

    /** As {@link #start(String, long, Duration)}, naming what is counted: {@code kiboPoll: 3/10 jobs finished (30%) ...}. */
    public static Progress start(String name, long total, String unit, Duration interval) {
        return new Progress(name, total, unit, false, interval, System::nanoTime, logger(name));
    }

    /**
     * A step whose share done is measured in something else than the items it counts, e.g. a file's
     * bytes while its rows are counted: {@code ingest: 480,000 rows (40%) 96,000 rows/s, ETA 12 s}.
     * Advance it with {@link #set(long, long)}.
     *
     * @param total the measure of the whole (the file's size)
     * @param unit  what is counted (rows)
     */
    public static Progress startMeasured(String name, long total, String unit, Duration interval) {
        return new Progress(name, total, unit, true, interval, System::nanoTime, logger(name));
    }

    private static Consumer<String> logger(String name) {
        Logger log = LoggerFactory.getLogger(LOGGER_PREFIX + name);
        return log::info;
    }

    /** Something said at the end of every line but the final one, e.g. {@code limit 24, paced 1,800/s}. */
    public void detail(Supplier<String> detail) {
        this.detail = detail;
    }

    /** The total, once it is known (e.g. from the first page of a paged API). */
    public void total(long total) {
        this.total = total;
    }

    /**
     * What an earlier execution of the step already did, before this one started: counted in the
     * percentage and the ETA's rest, not in the rate. Call it before the first advance.
     */
    public void resumedAt(long done, long count) {
        doneBefore = done;
        countBefore = count;
        this.done.set(done);
        this.count.set(count);
    }

    /** {@code n} more items done. */
    public void advance(long n) {
        done.addAndGet(n);
        count.addAndGet(n);
        maybeLog();
    }

    /** So many items done in all. */
    public void set(long done) {
        set(done, done);
    }

    /** A measured step: {@code done} of the total measure (e.g. bytes), {@code count} items (e.g. rows) in all. */
    public void set(long done, long count) {
        this.done.set(done);
        this.count.set(count);
        maybeLog();
    }

    /** The step ended: writes its final line, once. */
    public void finish() {
        if (finished.compareAndSet(false, true)) {
            out.accept(finalLine(nanoTime.getAsLong()));
        }
    }

    private void maybeLog() {
        long t = total;
        if (finished.get() || (t >= 0 && done.get() >= t)) {
            return; // all done: the final line says so
        }
        long now = nanoTime.getAsLong();
        long next = nextLineAt.get();
        // Only one of the threads that find the interval over writes the line.
        if (now - next >= 0 && nextLineAt.compareAndSet(next, now + intervalNanos)) {
            out.accept(line(now));
        }
    }

    /** E.g. {@code send: 24,000/60,000 (40%) 268/s, ETA 2 min 14 s}. */
    String line(long now) {
        long d = done.get();
        long c = count.get();
        long t = total;
        double seconds = (now - startedAt) / 1e9;
        StringBuilder line = new StringBuilder(amount(c, d, t));
        line.append(' ').append(rate((c - countBefore) / Math.max(seconds, 1e-9)));
        long doneHere = d - doneBefore;
        if (t < 0 || doneHere <= 0 || seconds <= 0) {
            line.append(", ETA unknown");
        } else {
            double rest = Math.max(0, t - d) * seconds / doneHere;
            line.append(", ETA ").append(duration(Duration.ofNanos((long) (rest * 1e9))));
        }
        Supplier<String> more = detail;
        if (more != null) {
            line.append(", ").append(more.get());
        }
        return line.toString();
    }

    /** E.g. {@code send: 60,000/60,000 (100%) in 3 min 44 s, 268/s}. */
    String finalLine(long now) {
        long c = count.get();
        long nanos = now - startedAt;
        return amount(c, done.get(), total) + " in " + duration(Duration.ofNanos(nanos)) + ", "
                + rate((c - countBefore) / Math.max(nanos / 1e9, 1e-9));
    }

    private String amount(long count, long done, long total) {
        String what = unit == null ? "" : " " + unit;
        if (measured) {
            return name + ": " + number(count) + what + (total < 0 ? "" : " (" + percent(done, total) + ")");
        }
        if (total < 0) {
            return name + ": " + number(count) + what + " (total unknown)";
        }
        return name + ": " + number(count) + "/" + number(total) + what + " (" + percent(done, total) + ")";
    }

    /** Whole percent, rounded down, so that 100% means all of it. */
    static String percent(long done, long total) {
        if (total <= 0) {
            return "100%";
        }
        return Math.max(0, Math.min(100, (long) Math.floor(100.0 * done / total))) + "%";
    }

    /** With thousands separators: {@code 1,234,567}. */
    public static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Per second, whole from 10 up, one decimal below: {@code 1,268/s}, {@code 2.5/s}. */
    static String rate(double perSecond) {
        if (perSecond >= 9.95) {
            return number(Math.round(perSecond)) + "/s";
        }
        return String.format(Locale.ROOT, "%.1f/s", perSecond);
    }

    /**
     * Hours, minutes and seconds, leading zero units dropped: {@code 1 h 0 min 5 s}, {@code 2 min 14 s},
     * {@code 45 s}; under ten seconds with a decimal: {@code 3.2 s}.
     */
    public static String duration(Duration d) {
        double seconds = d.toNanos() / 1e9;
        if (seconds < 9.95) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = s % 3600 / 60;
        if (h > 0) {
            return h + " h " + m + " min " + s % 60 + " s";
        }
        if (m > 0) {
            return m + " min " + s % 60 + " s";
        }
        return s + " s";
    }
}
