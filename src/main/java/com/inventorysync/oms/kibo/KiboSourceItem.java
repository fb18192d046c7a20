package com.inventorysync.oms.kibo;

/**
 * What the snapshot says about one key going to Kibo, before validation: the new count and the
 * optional columns as the file had them (text, {@code null} or empty when absent).
 */
public record KiboSourceItem(
        String sku,
        String upc,
        String partNumber,
        long quantity,
        String safetyStock,
        String floor,
        String binId,
        String inventoryLocator,
        String retailPrice,
        String currencyId,
        String ltd,
        String attributes) {

    public static KiboSourceItem of(String sku, long quantity) {
        return new KiboSourceItem(sku, null, null, quantity, null, null, null, null, null, null, null, null);
    }
}
