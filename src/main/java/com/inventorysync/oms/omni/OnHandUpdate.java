package com.inventorysync.oms.omni;

/** Schema {@code OnHandUpdate}: the body of {@code PUT /v1/inventory/onhand}. */
public record OnHandUpdate(String sku, String locationInternalName, QuantityType quantityType, int quantity) {}
