package com.inventorysync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The product run as a real child JVM with the test's own classpath, so that a test can kill it
 * with SIGKILL at a chosen moment, as a crash or a reboot would.
 */
public final class ProductProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private ProductProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * @param workDir the working directory (relative paths in args resolve against it)
     * @param properties Spring properties passed as {@code -D} system properties (datasource, vendor URLs, keys)
     * @param args the command line, e.g. {@code sync --job ... --snapshot ...}
     */
    public static ProductProcess start(Path workDir, Map<String, String> properties, String... args) {
        // C1 only: a test's processes are short, and start faster without the optimizing compiler.
        return start(workDir, List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"), properties, args);
    }

    /** @param jvmOptions e.g. {@code -Xmx512m}; a benchmark leaves out the tests' {@code -XX:TieredStopAtLevel=1} */
    public static ProductProcess start(
            Path workDir, List<String> jvmOptions, Map<String, String> properties, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("com.inventorysync.InventorySyncApplication");
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile(workDir, "product-", ".log");
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            return new ProductProcess(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as systemd or a deploy ends a service: the shutdown hooks run. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook, no finally block, no chance to tidy up. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the process to end and returns its exit code. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError("the product did not finish within " + timeout + "; output:\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
