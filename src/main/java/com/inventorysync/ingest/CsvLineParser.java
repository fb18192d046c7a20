package com.inventorysync.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one physical line of a snapshot into its fields: comma-separated, RFC 4180 quoting within
 * the line ({@code "a,b"}, {@code ""} for a quote inside quotes). A record never continues on the
 * next line, so a quote the line does not close is an error of that line alone. A quote inside a
 * field that does not start with one is kept as text, as it always was.
 */
final class CsvLineParser {
    private static final char SEPARATOR = ',';
    private static final char QUOTE = '"';

    private CsvLineParser() {}

    /** A line that cannot be split; the message says why and where. */
    static final class MalformedLineException extends Exception {
        MalformedLineException(String message) {
            super(message, null, false, false);
        }
    }

    static String[] parse(String line) throws MalformedLineException {
        List<String> fields = new ArrayList<>(8);
        if (line.indexOf(QUOTE) < 0) {
            int start = 0;
            for (int comma = line.indexOf(SEPARATOR); comma >= 0; comma = line.indexOf(SEPARATOR, start)) {
                fields.add(line.substring(start, comma));
                start = comma + 1;
            }
            fields.add(line.substring(start));
            return fields.toArray(new String[0]);
        }
        int i = 0;
        int length = line.length();
        while (true) {
            if (i < length && line.charAt(i) == QUOTE) {
                int opened = i;
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= length) {
                        throw new MalformedLineException(
                                "unbalanced quote: field " + (fields.size() + 1) + " opens a quote at column "
                                        + (opened + 1) + " that the line does not close (a record never spans lines)");
                    }
                    char c = line.charAt(i);
                    if (c == QUOTE) {
                        if (i + 1 < length && line.charAt(i + 1) == QUOTE) {
                            value.append(QUOTE);
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    value.append(c);
                    i++;
                }
                fields.add(value.toString());
                if (i < length && line.charAt(i) != SEPARATOR) {
                    throw new MalformedLineException(
                            "misplaced quote: field " + fields.size() + " has text after its closing quote at column "
                                    + i + "; a quote inside a quoted field is written twice (\"\")");
                }
            } else {
                int comma = line.indexOf(SEPARATOR, i);
                int end = comma < 0 ? length : comma;
                fields.add(line.substring(i, end));
                i = end;
            }
            if (i >= length) {
                return fields.toArray(new String[0]);
            }
            i++; // past the separator
        }
    }

    /**
     * The fields of a line that cannot be parsed, as well as they can be told: split at every comma,
     * quote characters dropped. Only used to tell which key a rejected line was about.
     */
    static String[] splitLeniently(String line) {
        return line.replace(String.valueOf(QUOTE), "").split(String.valueOf(SEPARATOR), -1);
    }
}
