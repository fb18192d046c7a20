package com.inventorysync.oms.omni;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * The send step's reader: the run's PENDING updates, and word to the {@link OnHandSender} when the
 * last one has been read, so that the step ends only after every update sent has its outcome.
 */
public class PendingUpdatesReader implements ItemStreamReader<PlannedUpdate> {
    private final ItemStreamReader<PlannedUpdate> pending;
    private final OnHandSender sender;
    private long read;

    public PendingUpdatesReader(ItemStreamReader<PlannedUpdate> pending, OnHandSender sender) {
        this.pending = pending;
        this.sender = sender;
    }

    @Override
    public PlannedUpdate read() throws Exception {
        PlannedUpdate u = pending.read();
        if (u == null) {
            sender.endOfInput(read);
            return null;
        }
        read++;
        return u;
    }

    @Override
    public void open(ExecutionContext context) {
        pending.open(context);
    }

    @Override
    public void update(ExecutionContext context) {
        pending.update(context);
    }

    @Override
    public void close() {
        pending.close();
    }
}
