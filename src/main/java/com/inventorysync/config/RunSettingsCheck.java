package com.inventorysync.config;

import com.inventorysync.jobdef.JobDefinition;
import com.inventorysync.jobdef.JobDefinition.SourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The vendor settings a run needs, asked for before it starts: which ones depends on the job file's sections
 * (omni, or reconciliation: {@code omni.base-url} and {@code subscription-key}; kibo: {@code kibo.*}; a ShipEdge source:
 * {@code shipedge.*}; NewStore store mastership: {@code newstore.*}). A run missing one would fail in its first step
 * that calls the vendor, as a restartable failure that no restart can fix; refused here, it leaves nothing to restart
 * and sends nothing.
 */
@Component
public class RunSettingsCheck {
    private final InventorySyncProperties vendors;

    public RunSettingsCheck(InventorySyncProperties vendors) {
        this.vendors = vendors;
    }

    /** What a sync (or a restart of one) of this job lacks, in one line; null when it lacks nothing. */
    public String syncProblem(JobDefinition job) {
        Map<String, String> needed = new LinkedHashMap<>();
        if (job.omni() != null) {
            omni(needed, "its omni section");
        } else if (job.reconcile() != null && job.reconcile().afterSync()) {
            omni(needed, "reconcile.after-sync");
        }
        if (job.kibo() != null) {
            InventorySyncProperties.Kibo kibo = vendors.kibo();
            String why = "its kibo section";
            needed.put("inventory-sync.kibo.base-url", missing(kibo.baseUrl(), why));
            needed.put("inventory-sync.kibo.token-url", missing(kibo.tokenUrl(), why));
            needed.put("inventory-sync.kibo.client-id", missing(kibo.clientId(), why));
            needed.put("inventory-sync.kibo.client-secret", missing(kibo.clientSecret(), why));
        }
        if (job.source() != null && job.source().type() == SourceType.SHIPEDGE) {
            InventorySyncProperties.ShipEdge shipEdge = vendors.shipedge();
            String why = "source.type shipedge";
            needed.put("inventory-sync.shipedge.base-url", missing(shipEdge.baseUrl(), why));
            needed.put("inventory-sync.shipedge.account-id", missing(shipEdge.accountId(), why));
            needed.put("inventory-sync.shipedge.key", missing(shipEdge.key(), why));
        }
        if (job.newstore() != null && job.newstore().readsStoreMastership()) {
            InventorySyncProperties.NewStore newStore = vendors.newstore();
            String why = "newstore.store-mastership";
            needed.put("inventory-sync.newstore.base-url", missing(newStore.baseUrl(), why));
            needed.put("inventory-sync.newstore.token-url", missing(newStore.tokenUrl(), why));
            needed.put("inventory-sync.newstore.client-id", missing(newStore.clientId(), why));
            needed.put("inventory-sync.newstore.client-secret", missing(newStore.clientSecret(), why));
        }
        return problem(job, needed);
    }

    /** What a reconciliation of this job lacks (it reads Omni), in one line; null when it lacks nothing. */
    public String reconcileProblem(JobDefinition job) {
        Map<String, String> needed = new LinkedHashMap<>();
        omni(needed, "reconciliation reads Omni");
        return problem(job, needed);
    }

    private void omni(Map<String, String> needed, String why) {
        needed.put("inventory-sync.omni.base-url", missing(vendors.omni().baseUrl(), why));
        needed.put(
                "inventory-sync.omni.subscription-key", missing(vendors.omni().subscriptionKey(), why));
    }

    private static String missing(String value, String why) {
        return value == null || value.isBlank() ? why : null;
    }

    /** "job 'nightly' needs settings that are not set: inventory-sync.omni.base-url (INVENTORY_SYNC_OMNI_BASE_URL) for its omni section; ..." */
    private static String problem(JobDefinition job, Map<String, String> needed) {
        Map<String, List<String>> missingByReason = new LinkedHashMap<>();
        needed.forEach((property, why) -> {
            if (why != null) {
                missingByReason
                        .computeIfAbsent(why, w -> new ArrayList<>())
                        .add(property + " (" + KnownProperties.environmentForm(property) + ")");
            }
        });
        if (missingByReason.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        missingByReason.forEach((why, properties) -> parts.add(String.join(", ", properties) + " for " + why));
        return "job '" + job.name() + "' needs settings that are not set: " + String.join("; ", parts)
                + "; nothing was started";
    }
}
