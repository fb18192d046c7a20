package com.inventorysync.oms.kibo;

import java.util.List;

/** What Kibo answered to one refresh request. Transient failures never end up here: they are retried or thrown. */
public sealed interface KiboRefreshOutcome {

    /** 200: queued as job {@code jobId}. */
    record Accepted(long jobId) implements KiboRefreshOutcome {}

    /** 400: nothing was queued; {@code errors} name the offending item indexes (-1 = the request itself). */
    record Refused(String message, List<ItemError> errors) implements KiboRefreshOutcome {}

    record ItemError(int index, String message) {}
}
