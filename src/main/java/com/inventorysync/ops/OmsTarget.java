package com.inventorysync.ops;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One OMS account a job writes to, as the run lock names it: the vendor, its base URL (normalised,
 * so that {@code HTTPS://Host:443/api/} and {@code https://host/api} are the same OMS) and a
 * fingerprint of the account's key, never the key itself. {@link #toString()} shows no fingerprint.
 */
public record OmsTarget(String vendor, String baseUrl, String accountFingerprint) {

    public static OmsTarget of(String vendor, String baseUrl, String account) {
        return new OmsTarget(vendor, normalise(baseUrl), fingerprint(account));
    }

    /** The name the lock is taken on. */
    String lockName() {
        return vendor + " " + baseUrl + " " + accountFingerprint;
    }

    @Override
    public String toString() {
        return vendor + " OMS at " + baseUrl;
    }

    static String normalise(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            return "(no base URL set)";
        }
        try {
            URI uri = new URI(baseUrl.trim()).normalize();
            if (uri.getScheme() == null || uri.getHost() == null) {
                return baseUrl.trim();
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            if (scheme.equals("https") && port == 443 || scheme.equals("http") && port == 80) {
                port = -1;
            }
            String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port == -1 ? "" : ":" + port) + path;
        } catch (URISyntaxException e) {
            return baseUrl.trim();
        }
    }

    /** The first 16 hex digits of the account key's SHA-256: tells two accounts apart, reveals nothing usable. */
    static String fingerprint(String account) {
        if (account == null || account.isEmpty()) {
            return "-";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("inventory-sync/account/" + account).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
