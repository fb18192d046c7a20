package com.inventorysync;

import com.inventorysync.cli.DemoCommand;
import com.inventorysync.cli.ExitCode;
import com.inventorysync.ops.FailureMessage;
import com.inventorysync.sandbox.SandboxCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

@SpringBootApplication
@ConfigurationPropertiesScan
public class InventorySyncApplication {

    static final String USAGE = """
            usage: java -jar target/inventory-sync.jar <command> [options]
              sync --job <file> --snapshot <csv> [--dry-run] [--force] [--kibo-full-refresh <location,...|*>]
                   (source.type shipedge: no --snapshot; ShipEdge's stock is pulled into a CSV first)
              restart (--execution <id> | --last-failed)
              status [--last N]
              reconcile --job <file> [--skus SKU,SKU...] [--output <dir>]
              sandbox [--port N] [--seed <file>]
              demo    (the nightly sync on the sample snapshots, an in-process sandbox and H2)
            exit codes: 0 completed, 1 failed (restartable), 2 bad usage/configuration/input,
                        3 refused by the guard, 4 discrepancies over the alert threshold""";

    public static void main(String[] args) {
        System.exit(launch(args));
    }

    /** Runs one command and returns its exit code. The sandbox runs without the application context. */
    public static int launch(String... args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return args.length == 0 ? ExitCode.BAD_INPUT : ExitCode.COMPLETED;
        }
        if (args[0].equals("sandbox")) {
            return SandboxCommand.run(Arrays.copyOfRange(args, 1, args.length));
        }
        if (args[0].equals("demo")) {
            return DemoCommand.run(Arrays.copyOfRange(args, 1, args.length));
        }
        ConfigurableApplicationContext context;
        try {
            context = new SpringApplicationBuilder(InventorySyncApplication.class).run(args);
        } catch (RuntimeException e) {
            System.err.println("inventory-sync could not start: " + FailureMessage.of(e));
            return ExitCode.BAD_INPUT;
        }
        return SpringApplication.exit(context);
    }
}
