package com.inventorysync.config;

/** Keeps secrets out of logs, reports and exception messages. */
public final class Secrets {
    private Secrets() {
    }

    public static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "(unset)" : "****";
    }
}
