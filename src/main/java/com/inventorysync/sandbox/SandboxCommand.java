package com.inventorysync.sandbox;

/** {@code sandbox}: runs the local vendor server in the foreground. */
public final class SandboxCommand {
    private SandboxCommand() {
    }

    public static int run(String[] args) {
        System.err.println("sandbox: not built yet");
        return 2;
    }
}
