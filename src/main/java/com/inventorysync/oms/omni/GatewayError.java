package com.inventorysync.oms.omni;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Schema {@code GatewayError}: the API gateway's 401 and 429 body (camelCase, unlike the API's own). */
public record GatewayError(
        @JsonProperty("statusCode") int statusCode,
        @JsonProperty("message") String message) {}
