package com.inventorysync.oms.omni;

/** Schema {@code Count}: an on-hand or available count of one SKU at one location. */
public record Count(String sku, String locationInternalName, int quantity) {}
