package com.inventorysync.config;

import java.beans.PropertyDescriptor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Every {@code inventory-sync.*} property the product reads: the components of the {@code @ConfigurationProperties}
 * records under {@code com.inventorysync} (found the way {@code @ConfigurationPropertiesScan} finds them, so a new
 * record is known without being listed here), nested records followed. Names are compared the way Spring Boot binds
 * them, ignoring case, dashes and underscores, so {@code max-attempts}, {@code maxAttempts} and
 * {@code INVENTORY_SYNC_HTTP_MAX_ATTEMPTS} are one name.
 */
final class KnownProperties {
    static final String ROOT = "inventory-sync";
    /** Where the product's classes are, as {@code @ConfigurationPropertiesScan} on the application class scans them. */
    static final String PRODUCT_PACKAGE = "com.inventorysync";

    /** A {@code @ConfigurationProperties} type and the prefix it binds. */
    record Target(String prefix, Class<?> type) {}

    private static volatile KnownProperties scanned;

    private final List<Target> targets;
    private final Set<String> names = new TreeSet<>();
    /** Properties under these (maps, lists) take any name below them. */
    private final Set<String> openPrefixes = new TreeSet<>();

    KnownProperties(List<Target> targets) {
        this.targets = List.copyOf(targets);
        for (Target target : targets) {
            collect(target.prefix(), target.type());
        }
    }

    /** The product's own, found once per class loader. */
    static KnownProperties ofProduct() {
        KnownProperties known = scanned;
        if (known == null) {
            known = new KnownProperties(scan(PRODUCT_PACKAGE));
            scanned = known;
        }
        return known;
    }

    static List<Target> scan(String basePackage) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<Target> targets = new ArrayList<>();
        ClassLoader loader = KnownProperties.class.getClassLoader();
        for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
            Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), loader);
            String prefix = MergedAnnotations.from(type)
                    .get(ConfigurationProperties.class)
                    .getString("prefix");
            targets.add(new Target(prefix, type));
        }
        targets.sort(Comparator.comparing(Target::prefix));
        return targets;
    }

    List<Target> targets() {
        return targets;
    }

    /** Every known name, in the dashed form the docs use. */
    Set<String> names() {
        return names;
    }

    /** Whether a property name as written in any source (file, command line, environment variable) is one the product reads. */
    boolean isKnown(String name) {
        String flat = flat(name);
        return names.stream().anyMatch(n -> flat(n).equals(flat))
                || openPrefixes.stream().anyMatch(p -> flat.startsWith(flat(p)));
    }

    /** The known name closest to {@code name} by edit distance; for an environment variable, in its environment form. */
    String closest(String name, boolean environmentVariable) {
        String given = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : names) {
            String candidate = environmentVariable ? environmentForm(known) : known;
            int distance = editDistance(given, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    static String environmentForm(String name) {
        return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private void collect(String prefix, Class<?> type) {
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                add(prefix + "." + DataObjectPropertyName.toDashedForm(component.getName()), component.getType());
            }
        } else {
            for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
                if (property.getWriteMethod() != null) {
                    add(
                            prefix + "." + DataObjectPropertyName.toDashedForm(property.getName()),
                            property.getPropertyType());
                }
            }
        }
    }

    private void add(String name, Class<?> type) {
        if (Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type) || type.isArray()) {
            names.add(name);
            openPrefixes.add(name);
        } else if (isNested(type)) {
            collect(name, type);
        } else {
            names.add(name);
        }
    }

    /** The product's own settings types nest; everything else (strings, numbers, durations, paths, enums) is a value. */
    private static boolean isNested(Class<?> type) {
        return type.getName().startsWith(PRODUCT_PACKAGE + ".") && !type.isEnum();
    }

    /** Lower case letters and digits only: how Spring Boot's relaxed binding sees a name, whatever its source. */
    static String flat(String name) {
        StringBuilder flat = new StringBuilder(name.length());
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                flat.append(c);
            }
        }
        return flat.toString();
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
