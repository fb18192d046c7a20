package com.inventorysync.oms.omni;

/** The key of an on-hand position. */
public record SkuAtLocation(String sku, String location) {}
