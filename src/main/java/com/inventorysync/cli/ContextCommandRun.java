package com.inventorysync.cli;

import com.inventorysync.InventorySyncApplication;
import com.inventorysync.ops.FailureMessage;
import com.inventorysync.ops.GracefulStop;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the application context for a command that parsed and runs it there. Kept apart from
 * {@link CommandLineEntry} so that help, version and usage errors load no Spring class.
 */
final class ContextCommandRun {

    private ContextCommandRun() {}

    /**
     * @param springArgs the Spring Boot property overrides from the command line
     * @param args       the words after the command's name
     * @return the process exit code
     */
    static int run(ContextCommand parsed, List<String> springArgs, List<String> args) {
        ConfigurableApplicationContext context;
        try {
            context =
                    new SpringApplicationBuilder(InventorySyncApplication.class).run(springArgs.toArray(String[]::new));
        } catch (RuntimeException e) {
            System.err.println("inventory-sync could not start: " + FailureMessage.of(e));
            return ExitCode.BAD_INPUT;
        }
        try (context) {
            // On SIGTERM the context's close waits for the command to print what came of its run (GracefulStop).
            return context.getBean(GracefulStop.class).command(() -> {
                try {
                    return context.getBean(parsed.getClass()).run(args, System.out);
                } finally {
                    System.out.flush();
                }
            });
        }
    }
}
