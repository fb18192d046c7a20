package com.inventorysync.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The data a sandbox starts from (and returns to on reset): credentials, locations, catalog,
 * on-hand positions, pools and drift, Kibo locations, ShipEdge stock and NewStore configuration.
 * Loaded from a JSON or YAML file ({@link #load(Path)}) or built in code ({@link #builder()}).
 * Every list may be empty or absent.
 */
public record SandboxSeed(
        Credentials credentials,
        Boolean acceptUnknownSkus,
        Integer kiboTokenTtlSeconds,
        Integer newStoreTokenTtlSeconds,
        Long kiboJobDelayMillis,
        List<Location> locations,
        List<CatalogItem> catalog,
        List<Position> onHand,
        List<Pool> pools,
        List<Drift> drift,
        List<KiboLocation> kiboLocations,
        List<ShipEdgeStock> shipEdgeStock,
        NewStore newStore,
        Generate generate) {

    public SandboxSeed {
        credentials = credentials != null ? credentials : Credentials.DEMO;
        acceptUnknownSkus = acceptUnknownSkus != null && acceptUnknownSkus;
        kiboTokenTtlSeconds = kiboTokenTtlSeconds != null ? kiboTokenTtlSeconds : 3600;
        newStoreTokenTtlSeconds = newStoreTokenTtlSeconds != null ? newStoreTokenTtlSeconds : 3600;
        kiboJobDelayMillis = kiboJobDelayMillis != null ? kiboJobDelayMillis : 300L;
        locations = copy(locations);
        catalog = copy(catalog);
        onHand = copy(onHand);
        pools = copy(pools);
        drift = copy(drift);
        kiboLocations = copy(kiboLocations);
        shipEdgeStock = copy(shipEdgeStock);
        newStore = newStore != null ? newStore : new NewStore(false);
    }

    /** Credentials the sandbox accepts; the product is configured with the same values. Not real secrets. */
    public record Credentials(
            String omniSubscriptionKey,
            String kiboClientId,
            String kiboClientSecret,
            String shipEdgeAccountId,
            String shipEdgeKey,
            String newStoreClientId,
            String newStoreClientSecret) {
        public static final Credentials DEMO = new Credentials(
                "sandbox-omni-key",
                "sandbox-kibo-client",
                "sandbox-kibo-secret",
                "sandbox-account",
                "sandbox-shipedge-key",
                "sandbox-newstore-client",
                "sandbox-newstore-secret");

        public Credentials {
            omniSubscriptionKey = orDefault(omniSubscriptionKey, "sandbox-omni-key");
            kiboClientId = orDefault(kiboClientId, "sandbox-kibo-client");
            kiboClientSecret = orDefault(kiboClientSecret, "sandbox-kibo-secret");
            shipEdgeAccountId = orDefault(shipEdgeAccountId, "sandbox-account");
            shipEdgeKey = orDefault(shipEdgeKey, "sandbox-shipedge-key");
            newStoreClientId = orDefault(newStoreClientId, "sandbox-newstore-client");
            newStoreClientSecret = orDefault(newStoreClientSecret, "sandbox-newstore-secret");
        }

        private static String orDefault(String value, String fallback) {
            return value == null || value.isEmpty() ? fallback : value;
        }

        @Override
        public String toString() {
            return "Credentials[omniSubscriptionKey=****, kiboClientId=" + kiboClientId
                    + ", kiboClientSecret=****, shipEdgeAccountId=" + shipEdgeAccountId
                    + ", shipEdgeKey=****, newStoreClientId=" + newStoreClientId + ", newStoreClientSecret=****]";
        }
    }

    /** An Omni inventory location. {@code type}: Warehouse, Store, ShippingCenter or Other. */
    public record Location(String internalName, String name, String type, Boolean active) {
        public Location {
            name = name != null ? name : internalName;
            type = type != null ? type : "Warehouse";
            active = active == null || active;
        }
    }

    public record CatalogItem(String sku, String upc, String partNumber) {}

    /** Omni counts of one SKU at one location. */
    public record Position(String sku, String location, int onHand, Integer reserved, Integer allocated) {
        public Position {
            reserved = reserved != null ? reserved : 0;
            allocated = allocated != null ? allocated : 0;
        }
    }

    /** A pool: quantity = max(0, sum of available over members - buffer), plus any drift. */
    public record Pool(String group, String name, List<String> members, Integer buffer) {
        public Pool {
            members = copy(members);
            buffer = buffer != null ? buffer : 0;
        }
    }

    /** A per-(pool, SKU) amount added to the computed virtual quantity, so that reconciliation finds real discrepancies. */
    public record Drift(String group, String pool, String sku, int quantity) {}

    /** A Kibo location name and the Omni location it stands for. */
    public record KiboLocation(String name, String locationCode) {}

    public record ShipEdgeStock(String sku, String distributionCenter, int onHand, Integer allocated) {
        public ShipEdgeStock {
            allocated = allocated != null ? allocated : 0;
        }
    }

    public record NewStore(Boolean externalOmsEnabled) {
        public NewStore {
            externalOmsEnabled = externalOmsEnabled != null && externalOmsEnabled;
        }
    }

    /**
     * A generated catalog for large runs: {@code locations} locations named {@code locationPrefix}00, 01, ...
     * (each also a Kibo location of the same name) and {@code skus} SKUs named {@code skuPrefix}000000, ...
     * With {@code initialOnHand} set, every (SKU, location) starts at that count; otherwise no position exists
     * until written. Generated SKUs need no catalog entries: the sandbox accepts any SKU.
     */
    public record Generate(int skus, int locations, String skuPrefix, String locationPrefix, Integer initialOnHand) {
        public Generate {
            skuPrefix = skuPrefix != null ? skuPrefix : "SKU-";
            locationPrefix = locationPrefix != null ? locationPrefix : "LOC-";
        }

        public String sku(int i) {
            return skuPrefix + String.format(Locale.ROOT, "%06d", i);
        }

        public String location(int i) {
            return locationPrefix + String.format(Locale.ROOT, "%02d", i);
        }
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Reads a seed file: YAML when the name ends in .yml/.yaml, JSON otherwise. */
    public static SandboxSeed load(Path file) {
        try {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            return parse(Files.readString(file), name.endsWith(".yml") || name.endsWith(".yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sandbox seed " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a seed from text, YAML or JSON. */
    public static SandboxSeed parse(String text, boolean yaml) {
        try {
            return (yaml ? YAML : JSON).readValue(text, SandboxSeed.class).validated();
        } catch (JacksonException e) {
            throw new IllegalArgumentException("invalid sandbox seed: " + e.getOriginalMessage(), e);
        }
    }

    /** A seed with {@code skus} x {@code locations} generated positions, for benchmarks. */
    public static SandboxSeed generated(int skus, int locations, Integer initialOnHand) {
        return builder()
                .acceptUnknownSkus(true)
                .generate(new Generate(skus, locations, null, null, initialOnHand))
                .build();
    }

    /** Checks references between the parts of the seed, so that a typo fails at load time rather than mid-test. */
    SandboxSeed validated() {
        java.util.Set<String> locationNames = new java.util.HashSet<>();
        for (Location l : locations) {
            require(l.internalName() != null && !l.internalName().isBlank(), "a location has no internalName");
            require(locationNames.add(l.internalName()), "location " + l.internalName() + " is listed twice");
            require(
                    List.of("Warehouse", "Store", "ShippingCenter", "Other").contains(l.type()),
                    "location " + l.internalName() + " has type " + l.type()
                            + " (Warehouse, Store, ShippingCenter or Other)");
        }
        if (generate != null) {
            for (int i = 0; i < generate.locations(); i++) {
                locationNames.add(generate.location(i));
            }
        }
        java.util.Set<String> skus = new java.util.HashSet<>();
        for (CatalogItem c : catalog) {
            require(c.sku() != null && !c.sku().isBlank(), "a catalog item has no sku");
            require(skus.add(c.sku()), "catalog sku " + c.sku() + " is listed twice");
        }
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Position p : onHand) {
            require(
                    locationNames.contains(p.location()),
                    "onHand entry " + p.sku() + "@" + p.location() + ": unknown location");
            require(
                    acceptUnknownSkus || skus.contains(p.sku()),
                    "onHand entry " + p.sku() + "@" + p.location() + ": sku not in catalog");
            require(
                    keys.add(p.sku() + "\u0000" + p.location()),
                    "onHand entry " + p.sku() + "@" + p.location() + " is listed twice");
        }
        java.util.Set<String> poolNames = new java.util.HashSet<>();
        for (Pool p : pools) {
            require(p.group() != null && p.name() != null, "a pool needs a group and a name");
            require(
                    poolNames.add(p.group() + "\u0000" + p.name()),
                    "pool " + p.group() + "/" + p.name() + " is listed twice");
            for (String m : p.members()) {
                require(
                        locationNames.contains(m),
                        "pool " + p.group() + "/" + p.name() + ": unknown member location " + m);
            }
        }
        for (Drift d : drift) {
            require(
                    poolNames.contains(d.group() + "\u0000" + d.pool()),
                    "drift entry names unknown pool " + d.group() + "/" + d.pool());
        }
        for (KiboLocation k : kiboLocations) {
            require(k.name() != null && !k.name().isBlank(), "a Kibo location has no name");
        }
        return this;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid sandbox seed: " + message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a seed in code (tests). */
    public static final class Builder {
        private Credentials credentials = Credentials.DEMO;
        private boolean acceptUnknownSkus;
        private int kiboTokenTtlSeconds = 3600;
        private int newStoreTokenTtlSeconds = 3600;
        private long kiboJobDelayMillis = 300;
        private final List<Location> locations = new ArrayList<>();
        private final List<CatalogItem> catalog = new ArrayList<>();
        private final List<Position> onHand = new ArrayList<>();
        private final List<Pool> pools = new ArrayList<>();
        private final List<Drift> drift = new ArrayList<>();
        private final List<KiboLocation> kiboLocations = new ArrayList<>();
        private final List<ShipEdgeStock> shipEdgeStock = new ArrayList<>();
        private boolean newStoreExternalOms;
        private Generate generate;

        private Builder() {}

        public Builder credentials(Credentials value) {
            credentials = value;
            return this;
        }

        public Builder acceptUnknownSkus(boolean value) {
            acceptUnknownSkus = value;
            return this;
        }

        public Builder kiboTokenTtlSeconds(int value) {
            kiboTokenTtlSeconds = value;
            return this;
        }

        public Builder newStoreTokenTtlSeconds(int value) {
            newStoreTokenTtlSeconds = value;
            return this;
        }

        public Builder kiboJobDelayMillis(long value) {
            kiboJobDelayMillis = value;
            return this;
        }

        public Builder location(String internalName, String type) {
            locations.add(new Location(internalName, internalName, type, true));
            return this;
        }

        public Builder location(Location value) {
            locations.add(value);
            return this;
        }

        public Builder sku(String sku, String upc, String partNumber) {
            catalog.add(new CatalogItem(sku, upc, partNumber));
            return this;
        }

        public Builder onHand(String sku, String location, int onHand) {
            return onHand(sku, location, onHand, 0, 0);
        }

        public Builder onHand(String sku, String location, int onHand, int reserved, int allocated) {
            this.onHand.add(new Position(sku, location, onHand, reserved, allocated));
            return this;
        }

        public Builder pool(String group, String name, int buffer, String... members) {
            pools.add(new Pool(group, name, List.of(members), buffer));
            return this;
        }

        public Builder drift(String group, String pool, String sku, int quantity) {
            drift.add(new Drift(group, pool, sku, quantity));
            return this;
        }

        public Builder kiboLocation(String name, String locationCode) {
            kiboLocations.add(new KiboLocation(name, locationCode));
            return this;
        }

        public Builder shipEdgeStock(String sku, String distributionCenter, int onHand, int allocated) {
            shipEdgeStock.add(new ShipEdgeStock(sku, distributionCenter, onHand, allocated));
            return this;
        }

        public Builder newStoreExternalOmsEnabled(boolean value) {
            newStoreExternalOms = value;
            return this;
        }

        public Builder generate(Generate value) {
            generate = value;
            return this;
        }

        public SandboxSeed build() {
            return new SandboxSeed(
                            credentials,
                            acceptUnknownSkus,
                            kiboTokenTtlSeconds,
                            newStoreTokenTtlSeconds,
                            kiboJobDelayMillis,
                            locations,
                            catalog,
                            onHand,
                            pools,
                            drift,
                            kiboLocations,
                            shipEdgeStock,
                            new NewStore(newStoreExternalOms),
                            generate)
                    .validated();
        }
    }
}
