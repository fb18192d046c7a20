package com.inventorysync.jobdef;

import com.inventorysync.jobdef.JobDefinition.Guard;
import com.inventorysync.jobdef.JobDefinition.KiboBasePath;
import com.inventorysync.jobdef.JobDefinition.KiboTarget;
import com.inventorysync.jobdef.JobDefinition.MissingKeyPolicy;
import com.inventorysync.jobdef.JobDefinition.OmniTarget;
import com.inventorysync.jobdef.JobDefinition.Pool;
import com.inventorysync.jobdef.JobDefinition.QuantityPolicy;
import com.inventorysync.jobdef.JobDefinition.Reconcile;
import com.inventorysync.jobdef.JobDefinition.Source;
import com.inventorysync.jobdef.JobDefinition.SourceType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads a job definition YAML file, fills in defaults and refuses anything it cannot use. */
public final class JobDefinitionLoader {

    /** The snapshot fields a {@code source.columns} mapping may name. */
    public static final Set<String> SNAPSHOT_FIELDS = Set.of(
            "sku",
            "location",
            "on_hand",
            "upc",
            "part_number",
            "safety_stock",
            "floor",
            "bin_id",
            "inventory_locator",
            "retail_price",
            "currency_id",
            "ltd",
            "attributes");

    public static final Set<String> KIBO_IDENTIFIERS = Set.of("sku", "upc", "part_number");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            // A whole-number setting written as 1.5 (or .inf) is refused rather than cut to an int.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private JobDefinitionLoader() {}

    public static JobDefinition load(Path file) {
        JobDefinition raw;
        try (InputStream in = Files.newInputStream(file)) {
            raw = MAPPER.readValue(in, JobDefinition.class);
        } catch (NoSuchFileException e) {
            throw new JobDefinitionException(file + ": no such job definition file");
        } catch (UnrecognizedPropertyException e) {
            throw new JobDefinitionException(
                    file + lineOfKey(file, String.valueOf(e.getPropertyName())) + ": unknown key '"
                            + e.getPropertyName() + "' (known here: " + e.getKnownPropertyIds() + ")",
                    e);
        } catch (JacksonException e) {
            throw new JobDefinitionException(file + where(e.getLocation()) + ": " + describe(e), e);
        } catch (IOException e) {
            throw new JobDefinitionException(file + ": cannot be read: " + e.getMessage(), e);
        }
        if (raw == null) {
            throw new JobDefinitionException(file + ": the file is empty");
        }
        List<String> problems = new ArrayList<>();
        JobDefinition definition = withDefaults(raw, problems);
        if (!problems.isEmpty()) {
            throw new JobDefinitionException(file + ": " + String.join("; ", problems));
        }
        return definition;
    }

    /** Records are built after all their keys are read, so the parser's location is past the key: find its line. */
    private static String lineOfKey(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            Pattern keyPattern = Pattern.compile("(^|[{,\\s-])" + Pattern.quote(key) + "\\s*:");
            for (int i = 0; i < lines.size(); i++) {
                if (keyPattern.matcher(lines.get(i)).find()) {
                    return ": line " + (i + 1);
                }
            }
        } catch (IOException ignored) {
            // the message is still useful without a line number
        }
        return "";
    }

    /**
     * The parser's message, led by the key it was reading. YAML's {@code .nan} and {@code .inf} are
     * floats the parser cannot turn into a number, which it reports as a malformed numeric value.
     */
    private static String describe(JacksonException e) {
        String key = keyPath(e);
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Malformed numeric value")) {
            message = "not a finite number (NaN and infinity are refused)";
        }
        return key.isEmpty() ? message : key + ": " + message;
    }

    private static String keyPath(JacksonException e) {
        StringBuilder path = new StringBuilder();
        if (!e.getPath().isEmpty()) {
            for (JacksonException.Reference r : e.getPath()) {
                if (r.getPropertyName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(r.getPropertyName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
            return path.toString();
        }
        if (e.processor() instanceof JsonParser parser) {
            List<String> parts = new ArrayList<>();
            for (TokenStreamContext c = parser.streamReadContext(); c != null && !c.inRoot(); c = c.getParent()) {
                parts.add(
                        c.inArray() ? "[" + c.getCurrentIndex() + "]" : c.currentName() == null ? "" : c.currentName());
            }
            for (int i = parts.size() - 1; i >= 0; i--) {
                String part = parts.get(i);
                path.append(path.isEmpty() || part.startsWith("[") ? "" : ".").append(part);
            }
        }
        return path.toString();
    }

    private static String where(TokenStreamLocation location) {
        return location == null || location.getLineNr() < 1
                ? ""
                : ": line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static JobDefinition withDefaults(JobDefinition d, List<String> problems) {
        if (d.name() == null || !NAME.matcher(d.name()).matches()) {
            problems.add("'name' is required: letters, digits, '.', '_' or '-', at most 80 characters");
        }
        Source source = source(d.source(), problems);
        OmniTarget omni = d.omni() == null
                ? null
                : new OmniTarget(
                        d.omni().policy() != null ? d.omni().policy() : QuantityPolicy.ABSOLUTE,
                        d.omni().locationPolicies() != null
                                ? Map.copyOf(d.omni().locationPolicies())
                                : Map.of(),
                        d.omni().missing() != null ? d.omni().missing() : MissingKeyPolicy.KEEP,
                        rateLimit("omni.rate-limit", d.omni().rateLimit(), problems));
        KiboTarget kibo = d.kibo() == null ? null : kibo(d.kibo(), problems);
        Guard guard = new Guard(
                share("guard.max-changed-share", d.guard() != null ? d.guard().maxChangedShare() : null, 0.5, problems),
                share("guard.max-zeroed-share", d.guard() != null ? d.guard().maxZeroedShare() : null, 0.2, problems),
                share(
                        "guard.max-rejected-share",
                        d.guard() != null ? d.guard().maxRejectedShare() : null,
                        0.1,
                        problems));
        int skipLimit = range("skip-limit", d.skipLimit(), 1000, 0, Integer.MAX_VALUE, problems);
        int chunkSize = range("chunk-size", d.chunkSize(), 500, 1, 10_000, problems);
        int concurrency = range("concurrency", d.concurrency(), 16, 1, 256, problems);
        List<Pool> pools = pools(d.pools(), problems);
        Reconcile reconcile = new Reconcile(
                range(
                        "reconcile.tolerance",
                        d.reconcile() != null ? d.reconcile().tolerance() : null,
                        0,
                        0,
                        Integer.MAX_VALUE,
                        problems),
                range(
                        "reconcile.alert-threshold",
                        d.reconcile() != null ? d.reconcile().alertThreshold() : null,
                        0,
                        0,
                        Integer.MAX_VALUE,
                        problems),
                d.reconcile() != null && Boolean.TRUE.equals(d.reconcile().afterSync()));
        return new JobDefinition(
                d.name(),
                source,
                omni,
                kibo,
                guard,
                skipLimit,
                chunkSize,
                concurrency,
                d.adaptive() == null || d.adaptive(),
                pools,
                reconcile,
                d.newstore() != null ? d.newstore() : new JobDefinition.NewStore(false));
    }

    private static Source source(Source s, List<String> problems) {
        SourceType type = s != null && s.type() != null ? s.type() : SourceType.CSV;
        Map<String, String> columns = new LinkedHashMap<>();
        SNAPSHOT_FIELDS.forEach(f -> columns.put(f, f));
        if (type == SourceType.SHIPEDGE && s.columns() != null && !s.columns().isEmpty()) {
            problems.add(
                    "source.columns: a shipedge source has fixed fields (sku, distribution_center as location, on_hand); remove it");
        } else if (s != null && s.columns() != null) {
            s.columns().forEach((field, header) -> {
                if (!SNAPSHOT_FIELDS.contains(field)) {
                    problems.add("source.columns: unknown field '" + field + "' (fields: " + SNAPSHOT_FIELDS + ")");
                } else if (header == null || header.isBlank()) {
                    problems.add("source.columns." + field + ": the header name is empty");
                } else {
                    columns.put(field, header);
                }
            });
        }
        Double rateLimit = s != null ? s.rateLimit() : null;
        if (rateLimit != null && type != SourceType.SHIPEDGE) {
            problems.add("source.rate-limit: only a shipedge source calls an API; remove it");
        }
        return new Source(type, Map.copyOf(columns), rateLimit("source.rate-limit", rateLimit, problems));
    }

    private static KiboTarget kibo(KiboTarget k, List<String> problems) {
        String identifier = k.identifier() != null ? k.identifier() : "sku";
        if (!KIBO_IDENTIFIERS.contains(identifier)) {
            problems.add("kibo.identifier: '" + identifier + "' is not one of " + KIBO_IDENTIFIERS);
        }
        int maxItems = range("kibo.max-items", k.maxItems(), 12_000, 1, 12_000, problems);
        int batchSize = range("kibo.batch-size", k.batchSize(), 3_000, 1, 12_000, problems);
        if (batchSize > maxItems) {
            problems.add("kibo.batch-size (" + batchSize + ") is larger than kibo.max-items (" + maxItems + ")");
        }
        if (k.locations() == null || k.locations().isEmpty()) {
            problems.add("kibo.locations: name at least one snapshot location and its Kibo locationName");
        }
        return new KiboTarget(
                k.basePath() != null ? k.basePath() : KiboBasePath.INVENTORY_SPECIFIC,
                identifier,
                maxItems,
                batchSize,
                k.locations() != null ? Map.copyOf(k.locations()) : Map.of(),
                rateLimit("kibo.rate-limit", k.rateLimit(), problems));
    }

    private static List<Pool> pools(List<Pool> pools, List<String> problems) {
        if (pools == null) {
            return List.of();
        }
        List<Pool> result = new ArrayList<>();
        for (int i = 0; i < pools.size(); i++) {
            Pool p = pools.get(i);
            String at = "pools[" + i + "]";
            if (p.group() == null
                    || p.group().isBlank()
                    || p.name() == null
                    || p.name().isBlank()) {
                problems.add(at + ": 'group' and 'name' are required");
            }
            if (p.members() == null || p.members().isEmpty()) {
                problems.add(at + ": 'members' must list at least one location");
            }
            for (int j = 0; j < i; j++) {
                if (p.name() != null
                        && p.name().equals(pools.get(j).name())
                        && p.group() != null
                        && p.group().equals(pools.get(j).group())) {
                    problems.add(
                            at + ": pool " + p.group() + " / " + p.name() + " is already defined at pools[" + j + "]");
                }
            }
            int buffer = range(at + ".buffer", p.buffer(), 0, 0, Integer.MAX_VALUE, problems);
            result.add(
                    new Pool(p.group(), p.name(), p.members() != null ? List.copyOf(p.members()) : List.of(), buffer));
        }
        return List.copyOf(result);
    }

    private static double share(String key, Double value, double fallback, List<String> problems) {
        double v = value != null ? value : fallback;
        if (Double.isNaN(v) || v < 0 || v > 1) {
            problems.add(key + " must be between 0 and 1, was " + v);
        }
        return v;
    }

    /** Requests per second at most: absent is 0 (none); otherwise a positive number, fractions allowed (0.5: one every 2 s). */
    private static double rateLimit(String key, Double value, List<String> problems) {
        if (value == null) {
            return 0;
        }
        if (!(value > 0) || value.isInfinite()) {
            problems.add(key + " must be a positive number of requests per second, was " + value);
        }
        return value;
    }

    private static int range(String key, Integer value, int fallback, int min, int max, List<String> problems) {
        int v = value != null ? value : fallback;
        if (v < min || v > max) {
            problems.add(key + " must be between " + min + " and " + max + ", was " + v);
        }
        return v;
    }
}
