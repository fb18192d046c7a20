package com.inventorysync.support;

import com.inventorysync.InventorySyncApplication;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One command run through the product's own entry point in this JVM, with what it printed
 * (standard output and error together) and its exit code.
 */
public record CommandLineRun(int exit, String output) {

    /**
     * @param settings {@code --property=value} arguments appended to the command (database, vendors)
     * @param words the command line, e.g. {@code sync --job ... --snapshot ...}
     */
    public static CommandLineRun run(List<String> settings, String... words) {
        List<String> args = new ArrayList<>(List.of(words));
        args.addAll(settings);
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(text, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            int exit = InventorySyncApplication.launch(args.toArray(String[]::new));
            return new CommandLineRun(exit, text.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}
