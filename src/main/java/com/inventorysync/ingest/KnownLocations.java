package com.inventorysync.ingest;

import com.inventorysync.jobdef.JobDefinition.OmniTarget;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The locations a run may sync: Omni's active inventory locations, read once at the start of the
 * run and kept with it (table {@code sync_run_location}) together with the quantity policy each
 * location gets, so that a restart validates and plans against the same list.
 */
public class KnownLocations {
    private final JdbcTemplate jdbc;

    public KnownLocations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param storesMasteredElsewhere true when another system (NewStore) masters store inventory:
     *                                the run's Store-type locations are then marked, and not sent to
     */
    public void store(
            long runId, List<ActiveLocation> activeLocations, OmniTarget omni, boolean storesMasteredElsewhere) {
        jdbc.update("delete from sync_run_location where run_id = ?", runId);
        jdbc.batchUpdate(
                "insert into sync_run_location (run_id, location, location_type, policy, mastered_elsewhere) values (?, ?, ?, ?, ?)",
                activeLocations.stream()
                        .map(l -> new Object[] {
                            runId,
                            l.name(),
                            l.type(),
                            omni.policyFor(l.name()).name(),
                            storesMasteredElsewhere && l.store()
                        })
                        .toList());
    }

    /** An active location of the OMS, as the run keeps it: its name, its type, and whether it is a store. */
    public record ActiveLocation(String name, String type, boolean store) {}

    /** The run's locations whose inventory another system masters. */
    public Set<String> masteredElsewhere(long runId) {
        return new HashSet<>(jdbc.queryForList(
                "select location from sync_run_location where run_id = ? and mastered_elsewhere = true",
                String.class,
                runId));
    }

    /** A job without an 'omni' section: the locations its other targets map (no Omni policy applies to them). */
    public void store(long runId, Collection<String> locations) {
        jdbc.update("delete from sync_run_location where run_id = ?", runId);
        jdbc.batchUpdate(
                "insert into sync_run_location (run_id, location, location_type, policy) values (?, ?, null, 'ABSOLUTE')",
                locations.stream().map(l -> new Object[] {runId, l}).toList());
    }

    public Set<String> of(long runId) {
        return new HashSet<>(
                jdbc.queryForList("select location from sync_run_location where run_id = ?", String.class, runId));
    }
}
