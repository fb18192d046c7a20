package com.inventorysync.config;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of logs, reports and exception messages. {@link #mask} hides a value a message is about to show;
 * {@link #redact} hides, in finished text, every secret value {@link #register registered} (configured keys and
 * client secrets, tokens as they are issued) and the well-known shapes that carry one (an {@code Authorization}
 * header, {@code Ocp-Apim-Subscription-Key}, ShipEdge's {@code Key}, {@code client_secret=}, {@code "access_token":}).
 */
public final class Secrets {
    public static final String MASK = "****";

    /** Shorter values would mask ordinary words; no real key or token is that short. */
    static final int SHORTEST_REGISTERED = 4;

    private static final Set<String> known = ConcurrentHashMap.newKeySet();
    private static volatile List<String> longestFirst = List.of();

    private static final String VALUE = "[^\\s\"'\\[\\],;&}]+";
    private static final String SEPARATOR = "[\"']?\\s*[:=]\\s*[\\[\"']?\\s*";
    private static final List<Pattern> SHAPES = List.of(
            Pattern.compile(
                    "(?i)((?<![\\w.-])(?:proxy-)?authorization" + SEPARATOR + "(?:bearer|basic|digest)\\s+)" + VALUE),
            Pattern.compile("(?i)(\\bbearer\\s+)[A-Za-z0-9._~+/=-]{8,}"),
            // Not after a dot: a setting's name in a message ("inventory-sync.omni.subscription-key: must be set")
            // stays.
            Pattern.compile(
                    "(?i)((?<![\\w.-])(?:ocp-apim-subscription-key|subscription-?key|client[_-]?secret|access[_-]?token"
                            + "|refresh[_-]?token|id[_-]?token|password)" + SEPARATOR + ")" + VALUE),
            // ShipEdge's header is plainly "Key"; matched in its header spelling only, so prose about keys stays.
            Pattern.compile("((?<![\\w.-])Key" + SEPARATOR + ")" + VALUE));

    private Secrets() {}

    public static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "(unset)" : MASK;
    }

    /** From now on, {@link #redact} hides this value wherever it appears. Null, blank and very short values are ignored. */
    public static void register(String secret) {
        if (secret == null || secret.isBlank() || secret.length() < SHORTEST_REGISTERED || known.contains(secret)) {
            return;
        }
        synchronized (known) {
            if (known.add(secret)) {
                longestFirst = known.stream()
                        .sorted(Comparator.comparingInt(String::length).reversed())
                        .toList();
            }
        }
    }

    /** The text with every registered secret value and every well-known secret-carrying shape masked. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : longestFirst) {
            if (result.contains(secret)) {
                result = result.replace(secret, MASK);
            }
        }
        for (Pattern shape : SHAPES) {
            result = shape.matcher(result).replaceAll("$1" + MASK);
        }
        return result;
    }
}
