package com.inventorysync.oms.omni;

/** Schema {@code VirtualCount}: the OMS's computed quantity of one SKU in one pool. */
public record VirtualCount(String inventoryPoolGroupName, String inventoryPoolName, String sku, int quantity) {}
