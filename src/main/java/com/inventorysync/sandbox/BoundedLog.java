package com.inventorysync.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** An append-only, thread-safe log that keeps at most {@code limit} newest entries (large runs need not keep all). */
final class BoundedLog<T> {
    private final ConcurrentLinkedQueue<T> entries = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final int limit;

    BoundedLog(int limit) {
        this.limit = limit;
    }

    long nextSequence() {
        return sequence.incrementAndGet();
    }

    void add(T entry) {
        entries.add(entry);
        if (size.incrementAndGet() > limit && entries.poll() != null) {
            size.decrementAndGet();
        }
    }

    List<T> snapshot() {
        return List.copyOf(new ArrayList<>(entries));
    }

    void clear() {
        entries.clear();
        size.set(0);
        sequence.set(0);
    }
}
