package com.inventorysync.oms.omni;

/** {@code Delta} adds the quantity (may be negative) to on-hand; {@code Absolute} sets it (>= 0). */
public enum QuantityType {
    Delta,
    Absolute
}
