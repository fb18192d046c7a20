package com.inventorysync.oms.omni;

import com.inventorysync.http.CredentialsRefusedException;
import com.inventorysync.oms.omni.PlannedUpdate.State;
import com.inventorysync.oms.omni.PlannedUpdateStore.Outcome;
import com.inventorysync.ops.Progress;
import com.inventorysync.ops.RunLogContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Sends planned updates to Omni, {@code concurrency} PUTs at a time, in a protocol that never
 * loses what the OMS was told:
 * <ol>
 * <li>the current on-hand of every {@code Delta}'s key is read (batched GETs) and kept as
 *     {@code observed_before}, the evidence a later resolution compares with;</li>
 * <li>the chunk's updates are marked IN_FLIGHT and committed;</li>
 * <li>the PUTs go out; each outcome is committed once known (outcomes arriving together share a
 *     transaction): APPLIED with the key's new last-synced position, REJECTED with the vendor's
 *     message, UNKNOWN for a {@code Delta} whose request got no answer, or back to PENDING when
 *     the OMS said "not applied" until the retries ran out.</li>
 * </ol>
 * The sends of one chunk overlap the next chunk's read: {@code write} returns once the chunk's
 * PUTs are handed to the senders, with at most {@code window} updates out at any time, so that
 * the senders never wait for a chunk boundary. The step's reader calls {@link #endOfInput} when
 * the input is exhausted; the step ends only after every outcome is recorded. An {@code UNKNOWN}
 * Delta is read back once its settle time has passed since the request was sent (so that a request
 * the OMS applies late is seen) while the other updates keep going; when found not applied it is
 * sent again (at most {@link #MAX_ROUNDS} sends in all). When any update could not be delivered, or
 * the OMS refuses the account (401, 403, 407), or rejects more than the guard's share of the updates
 * it answered, the sender stops sending, waits for the requests already out, and fails the step; a
 * restart reads the PENDING updates again and never re-sends an applied one.
 */
public class OnHandSender implements ItemWriter<PlannedUpdate>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OnHandSender.class);
    /** Send, read back the unknown, send again the ones not applied: at most this many sends per update. */
    static final int MAX_ROUNDS = 3;
    /** Outcomes recorded together: at most this many, arriving within this window of the first. */
    static final int MAX_GROUP = 128;

    static final long GROUP_WINDOW_NANOS = 20_000_000L;
    static final String NOT_SENT = "not sent: the run stopped sending after an update could not be delivered";
    /** The rejected share is judged only once this many updates have been answered, so one bad SKU does not stop a small run. */
    static final int MIN_ANSWERED_FOR_REJECTED_SHARE = 20;

    private final OmniClient omni;
    private final PlannedUpdateStore store;
    private final UnknownOutcomeResolver resolver;
    private final Set<String> masteredElsewhere;
    private final int window;
    private final ExecutorService pool;
    private final CompletionService<Outcome> completions;
    private final MeterRegistry meters;
    private final Timer putTimer;
    private final Progress progress;

    // Touched by the step's thread only; the senders see nothing but their update and the flag.
    private final Map<Future<Outcome>, PlannedUpdate> out = new HashMap<>();
    private final Map<Long, Integer> sends = new HashMap<>();
    private final List<Settling> unknown = new ArrayList<>();
    private final List<String> undelivered = new ArrayList<>();
    private final long settleNanos;
    private final RejectedShare rejectedShare;
    private Outcome accountRefusal;
    private long received;
    private long inputTotal = -1;
    private volatile boolean stopping;

    /** A Delta whose outcome is unknown, and when it may be read back. */
    private record Settling(PlannedUpdate update, long settledAtNanos) {}

    /**
     * The guard on item-level rejections: the run stops once the OMS has rejected more than
     * {@code maxShare} of the updates it answered (applied or rejected), counted over the whole run.
     */
    public record RejectedShare(double maxShare, long answered, long rejected) {
        RejectedShare answered(boolean wasRejected) {
            return new RejectedShare(maxShare, answered + 1, rejected + (wasRejected ? 1 : 0));
        }

        boolean exceeded() {
            return answered >= MIN_ANSWERED_FOR_REJECTED_SHARE && rejected > maxShare * answered;
        }
    }

    private RejectedShare answeredSoFar;

    /**
     * @param window            updates out at most at once (sent or waiting for a sender); at least {@code concurrency}
     * @param masteredElsewhere locations whose inventory another system masters: their updates are skipped
     * @param rejectedShare     the guard on rejections, with what earlier executions of the run already counted
     * @param progress          advanced once per update, at its first outcome (or when skipped); ended by {@link #close}
     */
    public OnHandSender(
            OmniClient omni,
            PlannedUpdateStore store,
            int concurrency,
            int window,
            Set<String> masteredElsewhere,
            RejectedShare rejectedShare,
            MeterRegistry meters,
            Progress progress) {
        this.omni = omni;
        this.store = store;
        this.settleNanos = store.settleTime().toNanos();
        this.rejectedShare = rejectedShare;
        this.answeredSoFar = rejectedShare;
        this.resolver = new UnknownOutcomeResolver(omni, store);
        this.masteredElsewhere = masteredElsewhere;
        this.window = Math.max(window, concurrency);
        this.meters = meters;
        this.putTimer = Timer.builder("inventorysync.omni.put")
                .description("on-hand PUTs, retries included")
                .register(meters);
        this.progress = progress;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(RunLogContext.carrying(r), "omni-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(concurrency, threads);
        this.completions = new ExecutorCompletionService<>(pool);
    }

    @Override
    public void write(Chunk<? extends PlannedUpdate> chunk) {
        received += chunk.size();
        recordArrived(false);
        resendSettled();
        failIfUndelivered();
        List<PlannedUpdate> updates = new ArrayList<>(chunk.size());
        List<PlannedUpdate> skipped = new ArrayList<>();
        for (PlannedUpdate u : chunk) {
            (masteredElsewhere.contains(u.location()) ? skipped : updates).add(u);
        }
        if (!skipped.isEmpty()) {
            store.markSkipped(skipped, "not sent: NewStore masters this store's inventory");
            count("skipped", skipped.size());
            progress.advance(skipped.size());
        }
        send(updates);
        if (received == inputTotal) {
            finish();
        }
    }

    /**
     * The step's reader has handed out its last update: {@code total} in all. Once every one of them
     * has been written, waits for every outcome, settles the unknown ones, and fails when any update
     * could not be delivered.
     */
    public void endOfInput(long total) {
        inputTotal = total;
        if (received == inputTotal) {
            finish();
        }
    }

    /** Waits for every outcome, and for every unknown one to settle and be read back (and sent again if not applied). */
    private void finish() {
        drain();
        while (!unknown.isEmpty() && !stopping) {
            awaitFirstSettled();
            resendSettled();
            drain();
        }
        failIfUndelivered();
    }

    private void awaitFirstSettled() {
        long first = unknown.stream().mapToLong(Settling::settledAtNanos).min().orElse(System.nanoTime());
        long wait = first - System.nanoTime();
        if (wait <= 0) {
            return;
        }
        log.info(
                "waiting {} ms for {} update(s) of unknown outcome to settle before reading them back",
                wait / 1_000_000,
                unknown.size());
        try {
            TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while updates were settling; they stay UNKNOWN until resolved", e);
        }
    }

    /** Waits for every update out and records its outcome. */
    private void drain() {
        while (!out.isEmpty()) {
            recordArrived(true);
        }
    }

    /** Observes the Deltas, marks the updates IN_FLIGHT, then hands them to the senders as the window allows. */
    private void send(List<PlannedUpdate> updates) {
        if (updates.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        observeDeltas(updates);
        long observed = System.nanoTime();
        store.markInFlight(updates);
        phase("observe", observed - start);
        phase("in-flight", System.nanoTime() - observed);
        for (PlannedUpdate u : updates) {
            while (out.size() >= window) {
                recordArrived(true);
            }
            sends.merge(u.id(), 1, Integer::sum);
            out.put(completions.submit(() -> stopping ? notSent(u) : put(u)), u);
        }
    }

    /**
     * Reads back the Deltas of unknown outcome whose settle time has passed, and sends again those
     * found not applied while sends remain; one not applied after its last send stays PENDING and
     * fails the run, for a restart to send.
     */
    private void resendSettled() {
        if (unknown.isEmpty() || stopping) {
            return;
        }
        long now = System.nanoTime();
        List<PlannedUpdate> settled = new ArrayList<>();
        unknown.removeIf(s -> {
            if (s.settledAtNanos() - now > 0) {
                return false;
            }
            settled.add(s.update());
            return true;
        });
        if (settled.isEmpty()) {
            return;
        }
        List<PlannedUpdate> again = new ArrayList<>();
        for (PlannedUpdate u : resolver.resolve(store.reload(settled)).toResend()) {
            if (sends.getOrDefault(u.id(), 0) < MAX_ROUNDS) {
                again.add(u);
            } else {
                undelivered.add(u.requestId() + " (" + u.sku() + " @ " + u.location() + "): not applied after "
                        + MAX_ROUNDS + " sends whose outcome was unknown");
            }
        }
        send(again);
    }

    private void failIfUndelivered() {
        if (accountRefusal != null) {
            stopping = true;
            drain();
            throw accountRefused(accountRefusal);
        }
        if (answeredSoFar.exceeded()) {
            stopping = true;
            drain();
            throw new SendFailedException(String.format(
                    Locale.ROOT,
                    "the OMS rejected %d of the %d updates it answered (%.1f%%, more than guard.max-rejected-share %.1f%%);"
                            + " nothing more was sent. See the rejected updates in the summary; if they are expected, raise"
                            + " guard.max-rejected-share in the job file and restart the run",
                    answeredSoFar.rejected(),
                    answeredSoFar.answered(),
                    100.0 * answeredSoFar.rejected() / answeredSoFar.answered(),
                    100 * rejectedShare.maxShare()));
        }
        if (undelivered.isEmpty()) {
            return;
        }
        stopping = true;
        drain();
        throw new SendFailedException(undelivered.size() + " update(s) could not be delivered after every retry, e.g. "
                + undelivered.get(0) + "; restart the run to send them");
    }

    private RuntimeException accountRefused(Outcome o) {
        String answer = o.vendorStatus() + (o.vendorMessage() == null ? "" : " " + o.vendorMessage());
        if (PutOutcome.credentialsRefused(o.vendorStatus())) {
            return new CredentialsRefusedException(
                    "Omni refused the credentials (" + answer + "); nothing more was sent."
                            + " Fix inventory-sync.omni.subscription-key (or the proxy's credentials), then run the same sync again:"
                            + " it continues this run");
        }
        return new SendFailedException("Omni refused the account (" + answer + "); nothing more was sent."
                + " Restart the run once the account may send again (e.g. its call quota is renewed)");
    }

    /**
     * Records the outcomes that have arrived: with {@code wait}, waits for at least one and gathers
     * those arriving within a short window into the same commit; without, takes only what is there.
     * The PUTs keep going meanwhile, and an update already marked IN_FLIGHT is safe however late its
     * outcome is recorded.
     */
    private void recordArrived(boolean wait) {
        long start = System.nanoTime();
        List<Outcome> ready = new ArrayList<>();
        Future<Outcome> first = wait ? take() : completions.poll();
        if (first == null) {
            return;
        }
        ready.add(result(first));
        long groupEnds = System.nanoTime() + GROUP_WINDOW_NANOS;
        while (ready.size() < MAX_GROUP) {
            Future<Outcome> next = wait ? pollUntil(groupEnds) : completions.poll();
            if (next == null) {
                break;
            }
            ready.add(result(next));
        }
        long recordStart = System.nanoTime();
        phase("send", recordStart - start);
        store.recordOutcomes(ready);
        phase("record", System.nanoTime() - recordStart);
        meters.summary("inventorysync.omni.send.outcomes-per-commit").record(ready.size());
        long now = System.nanoTime();
        for (Outcome o : ready) {
            boolean notSent = o.attempts() == 0;
            count(notSent ? "not-sent" : o.state().name().toLowerCase(Locale.ROOT), 1);
            if (!notSent && sends.getOrDefault(o.update().id(), 1) == 1) {
                // Each update once, at its first outcome: a re-send after a read-back is not more progress.
                progress.advance(1);
            }
            if (o.state() == State.APPLIED || o.state() == State.REJECTED) {
                answeredSoFar = answeredSoFar.answered(o.state() == State.REJECTED);
                if (answeredSoFar.exceeded()) {
                    stopping = true;
                }
            }
            if (o.state() == State.PENDING && !notSent && PutOutcome.accountRefused(o.vendorStatus())) {
                stopping = true;
                if (accountRefusal == null) {
                    accountRefusal = o;
                }
            } else if (o.state() == State.PENDING && !notSent) {
                // The OMS is refusing or unreachable beyond every retry: what has not left yet stays here.
                stopping = true;
                undelivered.add(o.update().requestId() + " (" + o.update().sku() + " @ "
                        + o.update().location() + "): " + (o.vendorStatus() == 0 ? "" : o.vendorStatus() + " ")
                        + o.vendorMessage());
            } else if (o.state() == State.UNKNOWN) {
                unknown.add(new Settling(o.update(), now + settleNanos));
            }
        }
        if (!wait && ready.size() == MAX_GROUP) {
            recordArrived(false);
        }
    }

    private void observeDeltas(List<PlannedUpdate> updates) {
        List<PlannedUpdate> deltas = updates.stream()
                .filter(u -> u.quantityType() == QuantityType.Delta)
                .toList();
        if (deltas.isEmpty()) {
            return;
        }
        Map<SkuAtLocation, Integer> counts = omni.onHandOf(deltas.stream()
                .map(u -> new SkuAtLocation(u.sku(), u.location()))
                .toList());
        Map<Long, Integer> byId = new HashMap<>();
        for (PlannedUpdate u : deltas) {
            Integer c = counts.get(new SkuAtLocation(u.sku(), u.location()));
            if (c != null) {
                byId.put(u.id(), c);
            }
        }
        store.recordObservedBefore(deltas, byId);
    }

    private Outcome put(PlannedUpdate u) {
        PutOutcome r = putTimer.record(() -> omni.putOnHand(u.toOnHandUpdate(), u.requestId()));
        if (r.kind() == PutOutcome.Kind.ACCOUNT_REFUSED) {
            // Every other sender stops now, not when the step's thread next records outcomes.
            stopping = true;
        }
        State state = switch (r.kind()) {
            case APPLIED -> State.APPLIED;
            case REJECTED -> State.REJECTED;
            // Re-sending an Absolute is harmless: it goes back to the queue (and fails the step).
            case UNKNOWN -> u.quantityType() == QuantityType.Delta ? State.UNKNOWN : State.PENDING;
            case NOT_APPLIED, ACCOUNT_REFUSED -> State.PENDING;
        };
        return new Outcome(u, state, r.status(), r.vendorMessage(), r.attempts());
    }

    /** Nothing left the machine: back to PENDING, for the restart to send. */
    private static Outcome notSent(PlannedUpdate u) {
        return new Outcome(u, State.PENDING, 0, NOT_SENT, 0);
    }

    private Future<Outcome> take() {
        try {
            return completions.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while updates were in flight; they stay IN_FLIGHT until resolved", e);
        }
    }

    private Future<Outcome> pollUntil(long deadline) {
        long wait = deadline - System.nanoTime();
        try {
            return wait <= 0 ? completions.poll() : completions.poll(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while updates were in flight; they stay IN_FLIGHT until resolved", e);
        }
    }

    /** An unexpected failure inside a send leaves the outcome open: unknown for a Delta, to be re-sent for an Absolute. */
    private Outcome result(Future<Outcome> f) {
        PlannedUpdate u = out.remove(f);
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Outcome(
                    u,
                    u.quantityType() == QuantityType.Delta ? State.UNKNOWN : State.PENDING,
                    0,
                    cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                    1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Time per phase, to see where a slow send spends it. */
    private void phase(String phase, long nanos) {
        meters.timer("inventorysync.omni.send.phase", "phase", phase).record(nanos, TimeUnit.NANOSECONDS);
    }

    private void count(String outcome, int n) {
        meters.counter("inventorysync.omni.updates", "outcome", outcome).increment(n);
    }

    /**
     * At the end of the step, however it ended: no new request leaves, and the outcomes of those
     * already out are recorded before the senders stop.
     */
    @Override
    public void close() {
        stopping = true;
        try {
            drain();
        } catch (RuntimeException e) {
            log.warn(
                    "{} update(s) left IN_FLIGHT when the send step ended; the restart reads them back: {}",
                    out.size(),
                    e.toString());
        } finally {
            pool.shutdownNow();
            progress.finish();
        }
    }
}
