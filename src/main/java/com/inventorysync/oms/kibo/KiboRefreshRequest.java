package com.inventorysync.oms.kibo;

import java.util.List;

/** The body of a refresh request: absolute counts for up to max-items items at one Kibo location. */
public record KiboRefreshRequest(String locationName, List<KiboRefreshItem> items) {}
