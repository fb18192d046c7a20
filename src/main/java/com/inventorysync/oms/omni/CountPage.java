package com.inventorysync.oms.omni;

import java.util.List;

/** Schema {@code CountPage}. */
public record CountPage(int pageNumber, int pageSize, long totalCount, List<Count> items) {
    public CountPage {
        items = items == null ? List.of() : items;
    }
}
