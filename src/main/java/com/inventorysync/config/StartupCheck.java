package com.inventorysync.config;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindMethod;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Checks the settings before anything starts (no bean, no connection pool, no migration, no job execution) and stops
 * the start with one line naming the property and what is wrong ({@link SettingsException}, exit 2):
 * <ol>
 * <li>an {@code inventory-sync.*} property the product does not read, from any source (a file, the command line,
 * a {@code -D} system property, an {@code INVENTORY_SYNC_*} environment variable), with the closest known name;</li>
 * <li>a value of the wrong form or out of range for its {@code @ConfigurationProperties} record ({@code max-attempts=0},
 * {@code request-timeout=soon});</li>
 * <li>a database that cannot be reached, named by its URL (password left out) with the cause.</li>
 * </ol>
 * Settings a run needs only for some jobs (a vendor's URL and credentials) are checked per run by {@link RunSettingsCheck}.
 */
public final class StartupCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    /** The test suite's own settings (INVENTORY_SYNC_TEST_PG_URL, ...) share the prefix and are not the product's. */
    static final String TEST_SUITE_VARIABLES = "INVENTORY_SYNC_TEST_";

    @Override
    public int getOrder() {
        // after logging is set up and the configured secrets are registered for masking
        return LoggingApplicationListener.DEFAULT_ORDER + 3;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        KnownProperties known = KnownProperties.ofProduct();
        List<String> problems = new ArrayList<>(unknownProperties(environment, known));
        problems.addAll(invalidValues(environment, known));
        if (!problems.isEmpty()) {
            throw new SettingsException(String.join("; ", problems));
        }
        String database = databaseProblem(environment);
        if (database != null) {
            throw new SettingsException(database);
        }
    }

    static List<String> unknownProperties(ConfigurableEnvironment environment, KnownProperties known) {
        List<String> problems = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            boolean variables = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(source.getName());
            for (String name : enumerable.getPropertyNames()) {
                if (!isProductProperty(name, variables) || known.isKnown(name)) {
                    continue;
                }
                String problem = name + " (" + whereSet(source, name, variables)
                        + ") is not a setting of inventory-sync; did you mean " + known.closest(name, variables) + "?";
                if (!problems.contains(problem)) {
                    problems.add(problem);
                }
            }
        }
        return problems;
    }

    private static boolean isProductProperty(String name, boolean environmentVariable) {
        if (environmentVariable) {
            String upper = name.toUpperCase(Locale.ROOT);
            return upper.startsWith("INVENTORY_SYNC_") && !upper.startsWith(TEST_SUITE_VARIABLES);
        }
        int dot = name.indexOf('.');
        return dot > 0
                && KnownProperties.flat(name.substring(0, dot)).equals(KnownProperties.flat(KnownProperties.ROOT));
    }

    private static String whereSet(PropertySource<?> source, String name, boolean environmentVariable) {
        if (environmentVariable) {
            return "an environment variable";
        }
        if ("commandLineArgs".equals(source.getName())) {
            return "on the command line";
        }
        if (StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(source.getName())) {
            return "a -D system property";
        }
        if (source instanceof OriginLookup<?>) {
            @SuppressWarnings("unchecked")
            var origin = ((OriginLookup<String>) source).getOrigin(name);
            if (origin != null) {
                return "set in " + origin;
            }
        }
        return "set in " + source.getName();
    }

    /** Binds every settings record as Spring Boot will, with its Bean Validation constraints; one problem per record at most. */
    static List<String> invalidValues(ConfigurableEnvironment environment, KnownProperties known) {
        List<String> problems = new ArrayList<>();
        Binder binder = Binder.get(environment);
        try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
            SpringValidatorAdapter validator = new SpringValidatorAdapter(factory.getValidator());
            for (KnownProperties.Target target : known.targets()) {
                // one handler per record: a handler keeps what it bound, and would report a record's errors again
                ValidationBindHandler validation = new ValidationBindHandler(validator);
                Bindable<?> bindable = Bindable.of(target.type())
                        .withBindMethod(target.type().isRecord() ? BindMethod.VALUE_OBJECT : BindMethod.JAVA_BEAN);
                try {
                    if (target.type().isRecord()) {
                        binder.bindOrCreate(target.prefix(), bindable, validation);
                    } else {
                        binder.bind(target.prefix(), bindable, validation);
                    }
                } catch (BindException e) {
                    problems.add(describe(e));
                }
            }
        }
        return problems;
    }

    static String describe(BindException e) {
        if (e.getCause() instanceof BindValidationException invalid) {
            ValidationErrors errors = invalid.getValidationErrors();
            return errors.getAllErrors().stream()
                    .map(error -> describe(errors, error))
                    .distinct()
                    .collect(Collectors.joining("; "));
        }
        String name = e.getName().toString();
        Object value = e.getProperty() != null ? e.getProperty().getValue() : null;
        Class<?> type = e.getTarget().getType().resolve(Object.class);
        String expected = type == Duration.class
                ? "a duration such as 500ms, 30s, 2m or 1h"
                : type == int.class || type == Integer.class || type == long.class || type == Long.class
                        ? "a whole number"
                        : "a " + type.getSimpleName();
        return name + "=" + value + ": not " + expected + " (" + deepestMessage(e) + ")";
    }

    private static String describe(ValidationErrors errors, ObjectError error) {
        if (error instanceof FieldError field) {
            String name = errors.getName() + "." + dashed(field.getField());
            // the value as written (30s), not as bound (PT30S)
            Object value = errors.getBoundProperties().stream()
                    .filter(p -> p.getName().toString().equals(name))
                    .map(ConfigurationProperty::getValue)
                    .findFirst()
                    .orElse(field.getRejectedValue());
            return name + "=" + value + ": " + field.getDefaultMessage();
        }
        return errors.getName() + ": " + error.getDefaultMessage();
    }

    private static String dashed(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("\\.")) {
            parts.add(DataObjectPropertyName.toDashedForm(part));
        }
        return String.join(".", parts);
    }

    private static String deepestMessage(Throwable failure) {
        String message = failure.getMessage();
        for (Throwable t = failure.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }

    /**
     * Opens and closes one connection to a server database. An embedded H2 database has nothing to reach (it is a file
     * or memory of this process), so it is left to the start itself.
     */
    static String databaseProblem(ConfigurableEnvironment environment) {
        String url = environment.getProperty("spring.datasource.url");
        if (url == null || url.isBlank() || url.startsWith("jdbc:h2:")) {
            return null;
        }
        DataSource probe = DataSourceBuilder.create(StartupCheck.class.getClassLoader())
                .type(SimpleDriverDataSource.class)
                .url(url)
                .driverClassName(environment.getProperty("spring.datasource.driver-class-name"))
                .username(environment.getProperty("spring.datasource.username"))
                .password(environment.getProperty("spring.datasource.password"))
                .build();
        try (Connection ignored = probe.getConnection()) {
            return null;
        } catch (SQLException | RuntimeException e) {
            return "cannot reach the database at " + withoutPassword(url) + ": " + deepestMessage(e);
        }
    }

    /** The URL as it can be shown: no {@code password=} parameter, no password before the host. */
    static String withoutPassword(String url) {
        return url.replaceAll("(?i)([?&;:])password=[^&;]*", "$1password=****")
                .replaceAll("//([^/:@]+):[^/@]*@", "//$1:****@");
    }
}
