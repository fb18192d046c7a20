package com.inventorysync.config;

import jakarta.validation.Valid;
import org.hibernate.validator.constraints.URL;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Connection settings for every vendor, bound from {@code inventory-sync.*} properties or the
 * environment ({@code INVENTORY_SYNC_OMNI_SUBSCRIPTION_KEY}, ...). All are optional here: which ones a run
 * needs depends on its job file, and {@link RunSettingsCheck} asks for them before the run starts. Secrets are
 * never logged: the records' {@code toString} masks them.
 *
 * @param omni     the Omni OMS account (jobs with an omni: section, reconciliation)
 * @param kibo     the Kibo OMS account (jobs with a kibo: section)
 * @param shipedge the ShipEdge account (jobs whose source.type is shipedge)
 * @param newstore the NewStore account (jobs with newstore: {store-mastership: true})
 */
@Validated
@ConfigurationProperties("inventory-sync")
public record InventorySyncProperties(
        @DefaultValue @Valid Omni omni,
        @DefaultValue @Valid Kibo kibo,
        @DefaultValue @Valid ShipEdge shipedge,
        @DefaultValue @Valid NewStore newstore) {

    /** What a base or token URL must look like: absolute, http or https. */
    static final String HTTP_URL = "(?i)https?://.+";

    /**
     * @param baseUrl         Omni's API root, e.g. https://omni.example.com/omni/v1
     * @param subscriptionKey the API gateway's subscription key (a secret), sent as Ocp-Apim-Subscription-Key
     */
    public record Omni(@URL(regexp = HTTP_URL) String baseUrl, String subscriptionKey) {
        @Override
        public String toString() {
            return "Omni[baseUrl=" + baseUrl + ", subscriptionKey=" + Secrets.mask(subscriptionKey) + "]";
        }
    }

    /**
     * @param baseUrl      Kibo's API root (tenant and site are part of the host name)
     * @param tokenUrl     Kibo's OAuth 2 token endpoint
     * @param clientId     the application's client id
     * @param clientSecret the application's client secret (a secret)
     */
    public record Kibo(
            @URL(regexp = HTTP_URL) String baseUrl,
            @URL(regexp = HTTP_URL) String tokenUrl,
            String clientId,
            String clientSecret) {
        @Override
        public String toString() {
            return "Kibo[baseUrl=" + baseUrl + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret="
                    + Secrets.mask(clientSecret) + "]";
        }
    }

    /**
     * @param baseUrl   ShipEdge's API root
     * @param accountId the ShipEdge account whose stock is pulled
     * @param key       the account's API key (a secret), sent as Key
     */
    public record ShipEdge(@URL(regexp = HTTP_URL) String baseUrl, String accountId, String key) {
        @Override
        public String toString() {
            return "ShipEdge[baseUrl=" + baseUrl + ", accountId=" + accountId + ", key=" + Secrets.mask(key) + "]";
        }
    }

    /**
     * @param baseUrl      NewStore's API root
     * @param tokenUrl     NewStore's OAuth 2 token endpoint
     * @param clientId     the application's client id
     * @param clientSecret the application's client secret (a secret)
     */
    public record NewStore(
            @URL(regexp = HTTP_URL) String baseUrl,
            @URL(regexp = HTTP_URL) String tokenUrl,
            String clientId,
            String clientSecret) {
        @Override
        public String toString() {
            return "NewStore[baseUrl=" + baseUrl + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId
                    + ", clientSecret=" + Secrets.mask(clientSecret) + "]";
        }
    }
}
