package com.inventorysync.oms.kibo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;

/** One item of a refresh request, as contracts/kibo-oms.yaml's RefreshItem; absent fields are not sent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KiboRefreshItem(
        String partNumber,
        String upc,
        String sku,
        @JsonProperty("binID") Integer binId,
        long quantity,
        BigDecimal ltd,
        Integer floor,
        Integer safetyStock,
        @JsonProperty("currencyID") Integer currencyId,
        BigDecimal retailPrice,
        String inventoryLocatorName,
        List<String> attributes) {}
