package com.inventorysync.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options after a command name: {@code --name value} and bare {@code --flag}s. Every option a
 * command does not declare is a usage error rather than being ignored.
 */
public final class CommandArguments {
    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private CommandArguments(String command) {
        this.command = command;
    }

    /**
     * @param valueOptions options that take a value, without the leading dashes
     * @param flagOptions options that take none
     */
    public static CommandArguments parse(String command, List<String> args, Set<String> valueOptions, Set<String> flagOptions) {
        CommandArguments parsed = new CommandArguments(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException(command + ": unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String inlineValue = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                inlineValue = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (valueOptions.contains(name)) {
                String value = inlineValue;
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException(command + ": --" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                parsed.values.put(name, value);
            } else if (flagOptions.contains(name) && inlineValue == null) {
                parsed.flags.add(name);
            } else if (name.startsWith("spring.") || name.startsWith("inventory-sync.") || name.startsWith("logging.")) {
                // Spring Boot property overrides on the command line are read by Spring itself.
                if (inlineValue == null) {
                    i++;
                }
            } else {
                throw new UsageException(command + ": unknown option --" + name);
            }
        }
        return parsed;
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String required(String name) {
        return value(name).orElseThrow(() -> new UsageException(command + ": --" + name + " is required"));
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }
}
