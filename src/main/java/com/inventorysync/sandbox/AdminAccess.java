package com.inventorysync.sandbox;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who may call the admin API. Without a token: callers on a loopback address only (403 for others). With a token:
 * any address, but every call must carry {@code Authorization: Bearer <token>} (401 otherwise).
 */
record AdminAccess(String token) {

    /** The HTTP status refusing the call, or 0 when it may proceed. */
    int refusal(InetAddress caller, String authorization) {
        if (token == null) {
            return caller != null && caller.isLoopbackAddress() ? 0 : 403;
        }
        String prefix = "Bearer ";
        if (authorization == null || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return 401;
        }
        return sameSecret(authorization.substring(prefix.length()).trim(), token) ? 0 : 401;
    }

    /** Compares digests, so that neither the time taken nor an early exit on length tells how much of a guess was right. */
    static boolean sameSecret(String offered, String expected) {
        return MessageDigest.isEqual(sha256(offered), sha256(expected));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "AdminAccess[token=" + (token == null ? "(none)" : "****") + "]";
    }
}
