package com.inventorysync;

import com.inventorysync.cli.CommandLineEntry;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class InventorySyncApplication {

    public static void main(String[] args) {
        System.exit(launch(args));
    }

    /** Runs one command line and returns its exit code; see {@link CommandLineEntry}. */
    public static int launch(String... args) {
        return CommandLineEntry.launch(args);
    }
}
