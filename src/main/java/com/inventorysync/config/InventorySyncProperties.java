package com.inventorysync.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Connection settings for every vendor, bound from {@code inventory-sync.*} properties or the
 * environment ({@code INVENTORY_SYNC_OMNI_SUBSCRIPTION_KEY}, ...). Secrets are never logged: the
 * records' {@code toString} masks them.
 */
@ConfigurationProperties("inventory-sync")
public record InventorySyncProperties(Omni omni, Kibo kibo, ShipEdge shipedge, NewStore newstore) {

    public InventorySyncProperties {
        omni = omni != null ? omni : new Omni(null, null);
        kibo = kibo != null ? kibo : new Kibo(null, null, null, null);
        shipedge = shipedge != null ? shipedge : new ShipEdge(null, null, null);
        newstore = newstore != null ? newstore : new NewStore(null, null, null, null);
    }

    public record Omni(String baseUrl, String subscriptionKey) {
        @Override
        public String toString() {
            return "Omni[baseUrl=" + baseUrl + ", subscriptionKey=" + Secrets.mask(subscriptionKey) + "]";
        }
    }

    public record Kibo(String baseUrl, String tokenUrl, String clientId, String clientSecret) {
        @Override
        public String toString() {
            return "Kibo[baseUrl=" + baseUrl + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId
                    + ", clientSecret=" + Secrets.mask(clientSecret) + "]";
        }
    }

    public record ShipEdge(String baseUrl, String accountId, String key) {
        @Override
        public String toString() {
            return "ShipEdge[baseUrl=" + baseUrl + ", accountId=" + accountId + ", key=" + Secrets.mask(key) + "]";
        }
    }

    public record NewStore(String baseUrl, String tokenUrl, String clientId, String clientSecret) {
        @Override
        public String toString() {
            return "NewStore[baseUrl=" + baseUrl + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId
                    + ", clientSecret=" + Secrets.mask(clientSecret) + "]";
        }
    }
}
