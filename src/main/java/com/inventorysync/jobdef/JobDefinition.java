package com.inventorysync.jobdef;

import java.util.List;
import java.util.Map;

/**
 * One job an operator runs, as written in a YAML file under {@code jobs/}. The key names are fixed
 * because schedulers and other tools write these files; unknown keys are an error.
 * Load with {@link JobDefinitionLoader}, which fills defaults and validates.
 */
public record JobDefinition(
        String name,
        Source source,
        OmniTarget omni,
        KiboTarget kibo,
        Guard guard,
        Integer skipLimit,
        Integer chunkSize,
        Integer concurrency,
        Boolean adaptive,
        List<Pool> pools,
        Reconcile reconcile,
        NewStore newstore) {

    public enum SourceType {
        CSV,
        SHIPEDGE
    }

    public enum QuantityPolicy {
        ABSOLUTE,
        DELTA
    }

    public enum MissingKeyPolicy {
        KEEP,
        ZERO
    }

    public enum KiboBasePath {
        INVENTORY_SPECIFIC,
        V5
    }

    /**
     * Where the snapshot comes from; {@code columns} maps the product's field names to the file's header names.
     * {@code rateLimit}: requests per second at most to ShipEdge (a shipedge source only); 0 for none.
     */
    public record Source(SourceType type, Map<String, String> columns, Double rateLimit) {}

    /**
     * The Omni OMS target: the default policy, per-location overrides, what to do with keys missing from a
     * snapshot, and the requests per second at most ({@code rateLimit}, 0 for none).
     */
    public record OmniTarget(
            QuantityPolicy policy,
            Map<String, QuantityPolicy> locationPolicies,
            MissingKeyPolicy missing,
            Double rateLimit) {
        public QuantityPolicy policyFor(String location) {
            return locationPolicies.getOrDefault(location, policy);
        }
    }

    /**
     * The Kibo OMS target. {@code locations} maps a snapshot location to Kibo's locationName; other locations are
     * not sent. {@code rateLimit}: requests per second at most, 0 for none.
     */
    public record KiboTarget(
            KiboBasePath basePath,
            String identifier,
            Integer maxItems,
            Integer batchSize,
            Map<String, String> locations,
            Double rateLimit) {
        /** Without a rate limit. */
        public KiboTarget(
                KiboBasePath basePath,
                String identifier,
                Integer maxItems,
                Integer batchSize,
                Map<String, String> locations) {
            this(basePath, identifier, maxItems, batchSize, locations, 0.0);
        }
    }

    /**
     * Refuses a run whose plan looks like a truncated or wrong export (shares of the positions last
     * synced), and stops one whose updates the OMS rejects item by item beyond {@code maxRejectedShare}
     * of the updates it answered.
     */
    public record Guard(Double maxChangedShare, Double maxZeroedShare, Double maxRejectedShare) {}

    /** A virtual inventory pool, which the OMS API does not describe: its group, name, member locations and buffer. */
    public record Pool(String group, String name, List<String> members, Integer buffer) {}

    /** Optional: {@code store-mastership: true} reads NewStore's external OMS config at the start of a sync; when
     * NewStore masters store inventory, counts of Store-type locations are not sent. */
    public record NewStore(Boolean storeMastership) {
        public boolean readsStoreMastership() {
            return Boolean.TRUE.equals(storeMastership);
        }
    }

    /**
     * Reconciliation: differences at or below {@code tolerance} are not reported; more discrepancies
     * than {@code alertThreshold} exit with code 4; {@code afterSync} runs it as the nightly job's last step.
     */
    public record Reconcile(Integer tolerance, Integer alertThreshold, Boolean afterSync) {}
}
