package com.inventorysync.config;

/**
 * A setting the product cannot run with: unknown, missing for the run at hand, of the wrong form or out of range, or
 * pointing at a database that cannot be reached. Its message is the one line an operator is shown; it names the
 * property and says what is wrong.
 */
public class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }
}
