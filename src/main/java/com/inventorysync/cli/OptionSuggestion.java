package com.inventorysync.cli;

import java.util.Collection;

/**
 * The option a mistyped one was most likely meant to be. picocli suggests only options that share
 * the first two letters, so {@code --jbo} and {@code --lst-failed} would get no suggestion.
 */
final class OptionSuggestion {

    private OptionSuggestion() {}

    /** The closest of {@code names} to {@code typed} (its value after '=' ignored), or null if none is close. */
    static String closest(String typed, Collection<String> names) {
        String option = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            int distance = distance(option, name);
            if (distance < bestDistance) {
                best = name;
                bestDistance = distance;
            }
        }
        // a third of the name may be wrong, at least two letters: '--jbo' is '--job', '--sku' is not '--job'
        return best != null && bestDistance <= Math.max(2, best.length() / 3) ? best : null;
    }

    /** Edits (insert, delete, replace, swap of two neighbours) that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
