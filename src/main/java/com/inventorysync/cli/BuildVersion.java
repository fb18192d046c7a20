package com.inventorysync.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version Maven wrote into {@code inventory-sync-build.properties} at build time. */
final class BuildVersion implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties build = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream("/inventory-sync-build.properties")) {
            if (in != null) {
                build.load(in);
            }
        }
        return new String[] {
            "inventory-sync " + build.getProperty("version", "(unknown version)"),
            "Java " + System.getProperty("java.version")
        };
    }
}
