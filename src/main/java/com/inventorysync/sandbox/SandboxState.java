package com.inventorysync.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Everything a sandbox holds between a reset and the next: counts, tokens, Kibo jobs, logs and counters. Thread-safe. */
final class SandboxState {

    /** Omni counts of one SKU at one location; guarded by its own monitor. */
    static final class Counts {
        int onHand;
        int reserved;
        int allocated;

        Counts(int onHand, int reserved, int allocated) {
            this.onHand = onHand;
            this.reserved = reserved;
            this.allocated = allocated;
        }

        synchronized int available() {
            return Math.max(0, onHand - reserved - allocated);
        }

        synchronized int onHand() {
            return onHand;
        }
    }

    record Token(String vendor, long expiresAtNanos) {}

    /** A queued Kibo refresh; items are resolved to SKUs when accepted. */
    static final class KiboJob {
        final long id;
        final String locationName;
        final List<String> skus;
        final List<Integer> quantities;
        final String requestId;
        volatile String status = "QUEUED";
        volatile int processedCount;
        volatile int errorCount;

        KiboJob(long id, String locationName, List<String> skus, List<Integer> quantities, String requestId) {
            this.id = id;
            this.locationName = locationName;
            this.skus = skus;
            this.quantities = quantities;
            this.requestId = requestId;
        }
    }

    final SandboxSeed seed;
    final NavigableMap<String, SandboxSeed.Location> locations = new TreeMap<>();
    final Map<String, SandboxSeed.CatalogItem> catalog = new HashMap<>();
    final Map<String, String> skuByUpc = new HashMap<>();
    final Map<String, String> skuByPartNumber = new HashMap<>();
    final ConcurrentHashMap<String, ConcurrentSkipListMap<String, Counts>> positions = new ConcurrentHashMap<>();
    /** Per location: how many SKUs it holds and a sorted copy of them, so that a page is found by index. */
    private final ConcurrentHashMap<String, SkuIndex> skuIndexes = new ConcurrentHashMap<>();
    /** group -> pool name -> pool, both sorted. */
    final NavigableMap<String, NavigableMap<String, SandboxSeed.Pool>> pools = new TreeMap<>();

    final Map<String, Integer> drift = new HashMap<>();
    final Map<String, String> kiboLocations = new LinkedHashMap<>();
    final ConcurrentHashMap<String, ConcurrentHashMap<String, Integer>> kiboQuantities = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Long, KiboJob> kiboJobs = new ConcurrentHashMap<>();
    final AtomicLong kiboJobIds = new AtomicLong(1000);
    final ConcurrentHashMap<String, Token> tokens = new ConcurrentHashMap<>();
    /** Every token handed out, expired or not. */
    final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    /** Sorted by sku, then distribution center; replaced whole when it changes, so readers need no lock. */
    volatile List<SandboxSeed.ShipEdgeStock> shipEdgeStock;

    volatile boolean newStoreExternalOms;
    final BoundedLog<Mutation> mutations;
    final BoundedLog<RequestRecord> requests;
    final ConcurrentHashMap<String, ConcurrentHashMap<Integer, LongAdder>> counters = new ConcurrentHashMap<>();

    SandboxState(SandboxSeed seed, int logLimit) {
        this.seed = seed;
        this.mutations = new BoundedLog<>(logLimit);
        this.requests = new BoundedLog<>(logLimit);
        for (SandboxSeed.Location l : seed.locations()) {
            locations.put(l.internalName(), l);
        }
        SandboxSeed.Generate generate = seed.generate();
        if (generate != null) {
            for (int i = 0; i < generate.locations(); i++) {
                String name = generate.location(i);
                locations.putIfAbsent(name, new SandboxSeed.Location(name, name, "Warehouse", true));
                kiboLocations.put(name, name);
            }
        }
        for (String location : locations.keySet()) {
            ConcurrentSkipListMap<String, Counts> atLocation = new ConcurrentSkipListMap<>();
            positions.put(location, atLocation);
            skuIndexes.put(location, new SkuIndex(atLocation));
        }
        for (SandboxSeed.CatalogItem c : seed.catalog()) {
            catalog.put(c.sku(), c);
            if (c.upc() != null && !c.upc().isEmpty()) {
                skuByUpc.putIfAbsent(c.upc(), c.sku());
            }
            if (c.partNumber() != null && !c.partNumber().isEmpty()) {
                skuByPartNumber.putIfAbsent(c.partNumber(), c.sku());
            }
        }
        if (generate != null && generate.initialOnHand() != null) {
            for (int l = 0; l < generate.locations(); l++) {
                ConcurrentSkipListMap<String, Counts> atLocation = positions.get(generate.location(l));
                SkuIndex index = skuIndexes.get(generate.location(l));
                for (int s = 0; s < generate.skus(); s++) {
                    if (atLocation.put(generate.sku(s), new Counts(generate.initialOnHand(), 0, 0)) == null) {
                        index.added();
                    }
                }
            }
        }
        for (SandboxSeed.Position p : seed.onHand()) {
            if (positions.get(p.location()).put(p.sku(), new Counts(p.onHand(), p.reserved(), p.allocated())) == null) {
                skuIndexes.get(p.location()).added();
            }
        }
        for (SandboxSeed.Pool p : seed.pools()) {
            pools.computeIfAbsent(p.group(), g -> new TreeMap<>()).put(p.name(), p);
        }
        for (SandboxSeed.Drift d : seed.drift()) {
            drift.merge(driftKey(d.group(), d.pool(), d.sku()), d.quantity(), Integer::sum);
        }
        for (SandboxSeed.KiboLocation k : seed.kiboLocations()) {
            kiboLocations.put(k.name(), k.locationCode());
        }
        shipEdgeStock = sortedStock(seed.shipEdgeStock());
        newStoreExternalOms = seed.newStore().externalOmsEnabled();
    }

    /**
     * The SKUs of one location in order. Positions are only ever added (a reset builds a new state), so the count
     * of keys tells whether the cached copy is current; a page then costs its own size rather than its offset.
     */
    static final class SkuIndex {
        private final ConcurrentSkipListMap<String, Counts> atLocation;
        private final java.util.concurrent.atomic.AtomicInteger size = new java.util.concurrent.atomic.AtomicInteger();
        private volatile String[] sorted = new String[0];

        SkuIndex(ConcurrentSkipListMap<String, Counts> atLocation) {
            this.atLocation = atLocation;
        }

        void added() {
            size.incrementAndGet();
        }

        String[] sorted() {
            String[] current = sorted;
            if (current.length == size.get()) {
                return current;
            }
            synchronized (this) {
                current = sorted;
                if (current.length != size.get()) {
                    current = atLocation.keySet().toArray(new String[0]);
                    sorted = current;
                }
                return current;
            }
        }
    }

    /** The location's SKUs in order (empty for an unknown location). */
    String[] sortedSkus(String location) {
        SkuIndex index = skuIndexes.get(location);
        return index == null ? new String[0] : index.sorted();
    }

    static String driftKey(String group, String pool, String sku) {
        return group + '\u0000' + pool + '\u0000' + sku;
    }

    boolean knownSku(String sku) {
        return seed.acceptUnknownSkus() || catalog.containsKey(sku);
    }

    Integer onHand(String sku, String location) {
        ConcurrentSkipListMap<String, Counts> atLocation = positions.get(location);
        Counts counts = atLocation == null ? null : atLocation.get(sku);
        return counts == null ? null : counts.onHand();
    }

    Integer available(String sku, String location) {
        ConcurrentSkipListMap<String, Counts> atLocation = positions.get(location);
        Counts counts = atLocation == null ? null : atLocation.get(sku);
        return counts == null ? null : counts.available();
    }

    /**
     * Applies a Delta or Absolute on-hand change and logs it; the caller has checked that the SKU and
     * location are known. The log entry is written under the position's lock, so per key the log order
     * is the order of application.
     */
    Mutation applyOnHand(
            String vendor,
            String endpoint,
            String sku,
            String location,
            boolean delta,
            int quantity,
            String requestId) {
        ConcurrentSkipListMap<String, Counts> atLocation = positions.get(location);
        Counts counts = atLocation.get(sku);
        boolean created = false;
        if (counts == null) {
            Counts fresh = new Counts(0, 0, 0);
            Counts existing = atLocation.putIfAbsent(sku, fresh);
            created = existing == null;
            counts = created ? fresh : existing;
            if (created) {
                skuIndexes.get(location).added();
            }
        }
        synchronized (counts) {
            Integer before = created ? null : counts.onHand;
            counts.onHand = delta ? counts.onHand + quantity : quantity;
            Mutation m = new Mutation(
                    mutations.nextSequence(),
                    Instant.now(),
                    vendor,
                    endpoint,
                    sku,
                    location,
                    delta ? "Delta" : "Absolute",
                    quantity,
                    before,
                    counts.onHand,
                    requestId);
            mutations.add(m);
            return m;
        }
    }

    /** The pool's SKUs: every SKU held at a member location, plus every SKU with drift for the pool. */
    Set<String> poolSkus(SandboxSeed.Pool pool) {
        TreeSet<String> skus = new TreeSet<>();
        for (String member : pool.members()) {
            ConcurrentSkipListMap<String, Counts> atLocation = positions.get(member);
            if (atLocation != null) {
                skus.addAll(atLocation.keySet());
            }
        }
        String prefix = pool.group() + '\u0000' + pool.name() + '\u0000';
        for (String key : drift.keySet()) {
            if (key.startsWith(prefix)) {
                skus.add(key.substring(prefix.length()));
            }
        }
        return skus;
    }

    /** max(0, sum of available over the members - buffer) + drift. */
    int virtualQuantity(SandboxSeed.Pool pool, String sku) {
        int sum = 0;
        for (String member : pool.members()) {
            Integer available = available(sku, member);
            sum += available == null ? 0 : available;
        }
        return Math.max(0, sum - pool.buffer()) + drift.getOrDefault(driftKey(pool.group(), pool.name(), sku), 0);
    }

    Integer kiboQuantity(String locationName, String sku) {
        ConcurrentHashMap<String, Integer> atLocation = kiboQuantities.get(locationName);
        return atLocation == null ? null : atLocation.get(sku);
    }

    /** Applies a completed Kibo job: absolute counts per (location, item), logged as Refresh. */
    /**
     * How the next refresh jobs end, in turn: {@code -1} FAILED with nothing applied, {@code n >= 0}
     * COMPLETED with the last {@code n} items not applied and counted as errors. Jobs past the queue
     * complete cleanly.
     */
    final ConcurrentLinkedQueue<Integer> kiboJobEndings = new ConcurrentLinkedQueue<>();

    void applyKiboJob(KiboJob job) {
        Integer ending = kiboJobEndings.poll();
        int errors = ending == null ? 0 : ending < 0 ? job.skus.size() : Math.min(ending, job.skus.size());
        ConcurrentHashMap<String, Integer> atLocation =
                kiboQuantities.computeIfAbsent(job.locationName, l -> new ConcurrentHashMap<>());
        for (int i = 0; i < job.skus.size() - errors; i++) {
            String sku = job.skus.get(i);
            int quantity = job.quantities.get(i);
            synchronized (atLocation) {
                Integer before = atLocation.put(sku, quantity);
                mutations.add(new Mutation(
                        mutations.nextSequence(),
                        Instant.now(),
                        "kibo",
                        "kibo.refresh",
                        sku,
                        job.locationName,
                        "Refresh",
                        quantity,
                        before,
                        quantity,
                        job.requestId));
            }
            job.processedCount = i + 1;
        }
        job.errorCount = ending == null || ending < 0 ? 0 : errors;
        job.status = ending != null && ending < 0 ? "FAILED" : "COMPLETED";
    }

    String issueToken(String vendor, int ttlSeconds) {
        String token = vendor + "-" + java.util.UUID.randomUUID();
        tokens.put(token, new Token(vendor, System.nanoTime() + ttlSeconds * 1_000_000_000L));
        issuedTokens.add(token);
        return token;
    }

    boolean validToken(String vendor, String token) {
        Token t = token == null ? null : tokens.get(token);
        return t != null && t.vendor().equals(vendor) && System.nanoTime() - t.expiresAtNanos() < 0;
    }

    void expireTokens() {
        tokens.clear();
    }

    void count(String endpoint, int status) {
        counters.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, s -> new LongAdder())
                .increment();
    }

    Map<String, Map<Integer, Long>> counters() {
        Map<String, Map<Integer, Long>> result = new TreeMap<>();
        counters.forEach((endpoint, byStatus) -> {
            Map<Integer, Long> statuses = new TreeMap<>();
            byStatus.forEach((status, count) -> statuses.put(status, count.sum()));
            result.put(endpoint, statuses);
        });
        return result;
    }

    private static List<SandboxSeed.ShipEdgeStock> sortedStock(List<SandboxSeed.ShipEdgeStock> items) {
        List<SandboxSeed.ShipEdgeStock> stock = new ArrayList<>(items);
        stock.sort((a, b) -> {
            int c = a.sku().compareTo(b.sku());
            return c != 0 ? c : a.distributionCenter().compareTo(b.distributionCenter());
        });
        return Collections.unmodifiableList(stock);
    }

    /** Sets one ShipEdge stock item's on-hand, adding the item when it is new. */
    synchronized void setShipEdgeStock(String sku, String distributionCenter, int onHand) {
        List<SandboxSeed.ShipEdgeStock> stock = new ArrayList<>();
        Integer allocated = 0;
        for (SandboxSeed.ShipEdgeStock st : shipEdgeStock) {
            if (st.sku().equals(sku) && st.distributionCenter().equals(distributionCenter)) {
                allocated = st.allocated();
            } else {
                stock.add(st);
            }
        }
        stock.add(new SandboxSeed.ShipEdgeStock(sku, distributionCenter, onHand, allocated));
        shipEdgeStock = sortedStock(stock);
    }
}
