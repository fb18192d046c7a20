package com.inventorysync.ops;

/**
 * Every CSV the product writes is opened in spreadsheets, and its text cells can hold what a
 * snapshot or a vendor sent (a SKU, a raw line, a message). A cell that a spreadsheet would read
 * as a formula gets a leading single quote, which spreadsheets show as text.
 */
public final class SpreadsheetCells {
    private SpreadsheetCells() {}

    /**
     * Makes a text cell inert: one starting with {@code =}, {@code +}, {@code -} or {@code @} (also
     * after leading spaces), or with a tab or carriage return, gets a {@code '} in front. Null
     * becomes an empty cell. Numeric columns are not passed through here.
     */
    public static String inert(String cell) {
        if (cell == null || cell.isEmpty()) {
            return "";
        }
        int i = 0;
        while (i < cell.length() && cell.charAt(i) == ' ') {
            i++;
        }
        char first = i < cell.length() ? cell.charAt(i) : cell.charAt(0);
        boolean formula = switch (first) {
                    case '=', '+', '-', '@' -> true;
                    default -> false;
                }
                || cell.charAt(0) == '\t'
                || cell.charAt(0) == '\r';
        return formula ? "'" + cell : cell;
    }
}
