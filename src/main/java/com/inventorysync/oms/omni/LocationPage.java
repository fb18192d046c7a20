package com.inventorysync.oms.omni;

import java.util.List;

/** Schema {@code Page} of {@link InventoryLocation}s. */
public record LocationPage(int pageNumber, int pageSize, long totalCount, List<InventoryLocation> items) {
    public LocationPage {
        items = items == null ? List.of() : items;
    }
}
