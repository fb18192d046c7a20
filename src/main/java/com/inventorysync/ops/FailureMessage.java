package com.inventorysync.ops;

import com.inventorysync.config.Secrets;

/**
 * The one message an operator is shown for a failure, wherever it surfaces (exit status, summary,
 * console): the message of the outermost exception of the product's own in the cause chain, since
 * the product's exceptions say what failed in its terms and name the setting to check; else, when
 * only library exceptions are involved, the deepest message, since framework wrappers above it
 * only repeat it at greater length. Secrets in it are masked ({@link Secrets#redact}): it is printed and kept in files
 * that bypass the logging layer's masking.
 */
public final class FailureMessage {
    private static final String PRODUCT_PACKAGE = "com.inventorysync.";

    private FailureMessage() {}

    public static String of(Throwable failure) {
        return Secrets.redact(unmasked(failure));
    }

    private static String unmasked(Throwable failure) {
        String deepest = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() == null) {
                continue;
            }
            if (t.getClass().getName().startsWith(PRODUCT_PACKAGE)) {
                return t.getMessage();
            }
            deepest = t.getMessage();
        }
        return deepest != null ? deepest : failure.getClass().getSimpleName();
    }
}
