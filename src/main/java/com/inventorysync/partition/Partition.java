package com.inventorysync.partition;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition of a run's plan or send: the rows whose partition number is {@code index}, of
 * {@code count}. {@link #WHOLE} is an unpartitioned step's.
 */
public record Partition(int index, int count) {
    public static final Partition WHOLE = new Partition(0, 1);
    static final String INDEX = "partition.index";
    static final String COUNT = "partition.count";

    public Partition {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("partition " + index + " of " + count);
        }
    }

    /** The partition a worker step execution was given, or {@link #WHOLE} for a step that is not partitioned. */
    public static Partition of(ExecutionContext context) {
        return context.containsKey(INDEX) ? new Partition(context.getInt(INDEX), context.getInt(COUNT)) : WHOLE;
    }

    public String name() {
        return "p" + index;
    }

    ExecutionContext context() {
        ExecutionContext context = new ExecutionContext();
        context.putInt(INDEX, index);
        context.putInt(COUNT, count);
        return context;
    }

    /** For progress lines and logs: empty for a whole step, " p2/4" for a partition. */
    public String label() {
        return count == 1 ? "" : " " + name() + "/" + count;
    }
}
