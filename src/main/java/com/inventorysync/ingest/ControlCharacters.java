package com.inventorysync.ingest;

/**
 * Control characters (U+0000-U+001F, U+007F-U+009F) in snapshot text. No inventory key or count
 * holds one, PostgreSQL cannot store U+0000 at all, and the others are invisible in a report: a
 * field with one is rejected (a tab only counts inside the value), and text kept for the reject
 * file shows each as {@code \\uXXXX}.
 */
public final class ControlCharacters {
    private ControlCharacters() {}

    /** The index of the first control character in {@code text}, or -1. */
    public static int indexIn(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of the first control character in a field, or -1. Tabs around the value are padding
     * the validator trims, as it trims spaces; any other control character counts wherever it stands.
     */
    public static int indexInField(String field) {
        int first = 0;
        int last = field.length() - 1;
        while (first <= last && isPadding(field.charAt(first))) {
            first++;
        }
        while (last >= first && isPadding(field.charAt(last))) {
            last--;
        }
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (Character.isISOControl(c) && (c != '\t' || (i >= first && i <= last))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isPadding(char c) {
        return c == ' ' || c == '\t';
    }

    /** {@code U+0000} style name of a character, for messages. */
    public static String name(char c) {
        return String.format("U+%04X", (int) c);
    }

    /** {@code text} with every control character written as {@code \\uXXXX}, so that it can be stored and read. */
    public static String escape(String text) {
        if (text == null || indexIn(text) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
