package com.inventorysync.oms.omni;

/** Schema {@code InventoryLocation}. {@code locationType} is Warehouse, Store, ShippingCenter or Other. */
public record InventoryLocation(String internalName, String name, String locationType, boolean active) {
    public boolean isStore() {
        return "Store".equalsIgnoreCase(locationType);
    }
}
