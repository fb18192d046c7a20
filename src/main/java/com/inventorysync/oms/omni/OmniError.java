package com.inventorysync.oms.omni;

/** Schema {@code Error}: the body of a 400 or 404. */
public record OmniError(String message) {}
