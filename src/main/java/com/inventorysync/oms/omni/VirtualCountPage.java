package com.inventorysync.oms.omni;

import java.util.List;

/** Schema {@code Page} of {@link VirtualCount}s. */
public record VirtualCountPage(int pageNumber, int pageSize, long totalCount, List<VirtualCount> items) {
    public VirtualCountPage {
        items = items == null ? List.of() : items;
    }
}
