package com.inventorysync.oms.kibo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks every item against contracts/kibo-oms.yaml's RefreshItem before it is sent. Kibo refuses a
 * whole request for one bad item, so a bad item is taken out here, with its reasons, and the
 * others still go.
 *
 * <p>The item carries only the identifier the job names ({@code sku}, {@code upc} or
 * {@code part_number}): Kibo matches by sku, else upc, else partNumber, so sending a second
 * identifier could match a different item than the operator chose.
 */
public final class KiboItemValidator {
    public static final int MAX_LOCATOR_LENGTH = 50;
    public static final int MAX_ATTRIBUTES = 63;
    /** Snapshot files separate attributes with this character. */
    public static final String ATTRIBUTE_SEPARATOR = "|";

    private final String identifier;

    /** @param identifier the job's {@code kibo.identifier}: sku, upc or part_number */
    public KiboItemValidator(String identifier) {
        if (!List.of("sku", "upc", "part_number").contains(identifier)) {
            throw new IllegalArgumentException("kibo identifier must be sku, upc or part_number, was " + identifier);
        }
        this.identifier = identifier;
    }

    /** Either the item to send or the reasons it cannot be sent (never both). */
    public record Result(KiboRefreshItem item, List<String> reasons) {
        public boolean valid() {
            return item != null;
        }

        public String reasonText() {
            return String.join("; ", reasons);
        }
    }

    public Result validate(KiboSourceItem source) {
        List<String> reasons = new ArrayList<>();
        String id = switch (identifier) {
            case "upc" -> source.upc();
            case "part_number" -> source.partNumber();
            default -> source.sku();
        };
        if (id == null || id.isBlank()) {
            reasons.add(identifier + " is empty (the job sends items by " + identifier + ")");
        }
        if (source.quantity() < 0) {
            reasons.add("quantity must be >= 0, was " + source.quantity());
        } else if (source.quantity() > Integer.MAX_VALUE) {
            reasons.add("quantity is too large: " + source.quantity());
        }
        Integer binId = integer("bin_id", source.binId(), reasons);
        if (binId != null && binId < 1) {
            reasons.add("bin_id must be >= 1, was " + binId);
        }
        Integer floor = integer("floor", source.floor(), reasons);
        Integer safetyStock = integer("safety_stock", source.safetyStock(), reasons);
        Integer currencyId = integer("currency_id", source.currencyId(), reasons);
        BigDecimal retailPrice = number("retail_price", source.retailPrice(), reasons);
        BigDecimal ltd = number("ltd", source.ltd(), reasons);
        String locator = blankToNull(source.inventoryLocator());
        if (locator != null && locator.length() > MAX_LOCATOR_LENGTH) {
            reasons.add("inventory_locator is longer than " + MAX_LOCATOR_LENGTH + " characters (" + locator.length()
                    + ")");
        }
        List<String> attributes = null;
        String rawAttributes = blankToNull(source.attributes());
        if (rawAttributes != null) {
            attributes = Arrays.stream(rawAttributes.split("\\" + ATTRIBUTE_SEPARATOR, -1))
                    .map(String::strip)
                    .toList();
            if (attributes.size() > MAX_ATTRIBUTES) {
                reasons.add("more than " + MAX_ATTRIBUTES + " attributes (" + attributes.size() + ")");
            }
        }
        if (!reasons.isEmpty()) {
            return new Result(null, List.copyOf(reasons));
        }
        String trimmedId = id.strip();
        return new Result(
                new KiboRefreshItem(
                        identifier.equals("part_number") ? trimmedId : null,
                        identifier.equals("upc") ? trimmedId : null,
                        identifier.equals("sku") ? trimmedId : null,
                        binId,
                        source.quantity(),
                        ltd,
                        floor,
                        safetyStock,
                        currencyId,
                        retailPrice,
                        locator,
                        attributes),
                List.of());
    }

    private static Integer integer(String field, String raw, List<String> reasons) {
        String value = blankToNull(raw);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            reasons.add(field + " is not a whole number: '" + value + "'");
            return null;
        }
    }

    private static BigDecimal number(String field, String raw, List<String> reasons) {
        String value = blankToNull(raw);
        if (value == null) {
            return null;
        }
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            reasons.add(field + " is not a number: '" + value + "'");
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
