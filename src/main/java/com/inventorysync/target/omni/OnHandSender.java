package com.inventorysync.target.omni;

import com.inventorysync.plan.PlannedUpdate;
import com.inventorysync.plan.PlannedUpdate.State;
import com.inventorysync.plan.PlannedUpdateStore;
import com.inventorysync.plan.PlannedUpdateStore.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Sends a chunk of planned updates to Omni, {@code concurrency} PUTs at a time, in a protocol
 * that never loses what the OMS was told:
 * <ol>
 * <li>the current on-hand of every {@code Delta}'s key is read (batched GETs) and kept as
 *     {@code observed_before}, the evidence a later resolution compares with;</li>
 * <li>the chunk's updates are marked IN_FLIGHT and committed;</li>
 * <li>the PUTs go out; each outcome is committed as soon as it is known (outcomes arriving
 *     together share a transaction): APPLIED with the key's new last-synced position, REJECTED
 *     with the vendor's message, UNKNOWN for a {@code Delta} whose request got no answer, or back
 *     to PENDING when the OMS said "not applied" until the retries ran out.</li>
 * </ol>
 * When any update of the chunk could not be delivered the chunk fails, and with it the run;
 * a restart reads the PENDING updates again and never re-sends an applied one.
 */
public class OnHandSender implements ItemWriter<PlannedUpdate>, AutoCloseable {
    /** Send, read back the unknown, send again the ones not applied: at most this many times per chunk. */
    static final int MAX_ROUNDS = 3;
    /** Outcomes recorded together: at most this many, arriving within this window of the first. */
    static final int MAX_GROUP = 128;
    static final long GROUP_WINDOW_NANOS = 20_000_000L;

    private final OmniClient omni;
    private final PlannedUpdateStore store;
    private final UnknownOutcomeResolver resolver;
    private final Set<String> masteredElsewhere;
    private final ExecutorService pool;
    private final MeterRegistry meters;
    private final Timer putTimer;

    /**
     * @param masteredElsewhere locations whose inventory another system masters: their updates are skipped
     */
    public OnHandSender(OmniClient omni, PlannedUpdateStore store, int concurrency, Set<String> masteredElsewhere, MeterRegistry meters) {
        this.omni = omni;
        this.store = store;
        this.resolver = new UnknownOutcomeResolver(omni, store);
        this.masteredElsewhere = masteredElsewhere;
        this.meters = meters;
        this.putTimer = Timer.builder("inventorysync.omni.put").description("on-hand PUTs, retries included").register(meters);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "omni-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(concurrency, threads);
    }

    @Override
    public void write(Chunk<? extends PlannedUpdate> chunk) {
        List<PlannedUpdate> updates = new ArrayList<>(chunk.size());
        List<PlannedUpdate> skipped = new ArrayList<>();
        for (PlannedUpdate u : chunk) {
            (masteredElsewhere.contains(u.location()) ? skipped : updates).add(u);
        }
        if (!skipped.isEmpty()) {
            store.markSkipped(skipped, "not sent: NewStore masters this store's inventory");
            count("skipped", skipped.size());
        }
        if (updates.isEmpty()) {
            return;
        }
        List<String> undelivered = new ArrayList<>();
        List<PlannedUpdate> toSend = updates;
        for (int round = 1; !toSend.isEmpty(); round++) {
            List<PlannedUpdate> unknown = sendRound(toSend, undelivered);
            if (unknown.isEmpty() || round == MAX_ROUNDS) {
                break;
            }
            // No answer came for these: read their counts back now, while the evidence is fresh.
            toSend = resolver.resolve(store.reload(unknown)).toResend();
        }
        if (!undelivered.isEmpty()) {
            throw new SendFailedException(undelivered.size() + " update(s) could not be delivered after every retry, e.g. "
                    + undelivered.get(0) + "; restart the run to send them");
        }
    }

    /** Sends the updates once (retries included) and returns those whose outcome is unknown. */
    private List<PlannedUpdate> sendRound(List<PlannedUpdate> updates, List<String> undelivered) {
        long start = System.nanoTime();
        observeDeltas(updates);
        long observed = System.nanoTime();
        store.markInFlight(updates);
        phase("observe", observed - start);
        phase("in-flight", System.nanoTime() - observed);
        long sending = System.nanoTime();
        long recording = 0;

        CompletionService<Outcome> completions = new ExecutorCompletionService<>(pool);
        Map<Future<Outcome>, PlannedUpdate> sent = new HashMap<>();
        for (PlannedUpdate u : updates) {
            sent.put(completions.submit(() -> send(u)), u);
        }
        List<PlannedUpdate> unknown = new ArrayList<>();
        int remaining = updates.size();
        while (remaining > 0) {
            List<Outcome> ready = new ArrayList<>();
            ready.add(take(completions, sent));
            remaining--;
            // Gather the outcomes that arrive within a short window into one commit: the PUTs keep
            // going meanwhile, and an update already marked IN_FLIGHT is safe however late it is recorded.
            long groupEnds = System.nanoTime() + GROUP_WINDOW_NANOS;
            while (remaining > 0 && ready.size() < MAX_GROUP) {
                Future<Outcome> next = pollUntil(completions, groupEnds);
                if (next == null) {
                    break;
                }
                ready.add(result(next, sent.get(next)));
                remaining--;
            }
            long recordStart = System.nanoTime();
            store.recordOutcomes(ready);
            recording += System.nanoTime() - recordStart;
            meters.summary("inventorysync.omni.send.outcomes-per-commit").record(ready.size());
            for (Outcome o : ready) {
                count(o.state().name().toLowerCase(java.util.Locale.ROOT), 1);
                if (o.state() == State.PENDING) {
                    undelivered.add(o.update().requestId() + " (" + o.update().sku() + " @ " + o.update().location() + "): "
                            + (o.vendorStatus() == 0 ? "" : o.vendorStatus() + " ") + o.vendorMessage());
                } else if (o.state() == State.UNKNOWN) {
                    unknown.add(o.update());
                }
            }
        }
        phase("send", System.nanoTime() - sending - recording);
        phase("record", recording);
        return unknown;
    }

    private static Future<Outcome> pollUntil(CompletionService<Outcome> completions, long deadline) {
        long wait = deadline - System.nanoTime();
        try {
            return wait <= 0 ? completions.poll() : completions.poll(wait, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while updates were in flight; they stay IN_FLIGHT until resolved", e);
        }
    }

    private void observeDeltas(List<PlannedUpdate> updates) {
        List<PlannedUpdate> deltas = updates.stream().filter(u -> u.quantityType() == QuantityType.Delta).toList();
        if (deltas.isEmpty()) {
            return;
        }
        Map<SkuAtLocation, Integer> counts = omni.onHandOf(deltas.stream().map(u -> new SkuAtLocation(u.sku(), u.location())).toList());
        Map<Long, Integer> byId = new HashMap<>();
        for (PlannedUpdate u : deltas) {
            Integer c = counts.get(new SkuAtLocation(u.sku(), u.location()));
            if (c != null) {
                byId.put(u.id(), c);
            }
        }
        store.recordObservedBefore(deltas, byId);
    }

    private Outcome send(PlannedUpdate u) {
        PutOutcome r = putTimer.record(() -> omni.putOnHand(u.toOnHandUpdate(), u.requestId()));
        State state = switch (r.kind()) {
            case APPLIED -> State.APPLIED;
            case REJECTED -> State.REJECTED;
            // Re-sending an Absolute is harmless: it goes back to the queue (and fails this chunk).
            case UNKNOWN -> u.quantityType() == QuantityType.Delta ? State.UNKNOWN : State.PENDING;
            case NOT_APPLIED -> State.PENDING;
        };
        return new Outcome(u, state, r.status(), r.vendorMessage(), r.attempts());
    }

    private Outcome take(CompletionService<Outcome> completions, Map<Future<Outcome>, PlannedUpdate> sent) {
        try {
            Future<Outcome> f = completions.take();
            return result(f, sent.get(f));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while updates were in flight; they stay IN_FLIGHT until resolved", e);
        }
    }

    /** An unexpected failure inside a send leaves the outcome open: unknown for a Delta, to be re-sent for an Absolute. */
    private static Outcome result(Future<Outcome> f, PlannedUpdate u) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Outcome(u, u.quantityType() == QuantityType.Delta ? State.UNKNOWN : State.PENDING, 0,
                    cause.getClass().getSimpleName() + ": " + cause.getMessage(), 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Time per phase of a chunk, to see where a slow send spends it. */
    private void phase(String phase, long nanos) {
        meters.timer("inventorysync.omni.send.phase", "phase", phase).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private void count(String outcome, int n) {
        meters.counter("inventorysync.omni.updates", "outcome", outcome).increment(n);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
