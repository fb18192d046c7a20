package com.inventorysync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the deployment files as they are committed (Dockerfile, docker-compose.yml, deploy/, jobs/systemd/)
 * and checks what a night's run hinges on: one run at a time, exit codes mapped to retry or stop, enough time
 * to stop at a chunk boundary on SIGTERM, secrets only from secret stores, and a compose file that works with
 * no environment. No Docker engine or cluster is needed: the files are parsed, not run.
 */
class DeploymentManifestsTest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(60);
    /** Environment names that hold secrets; URLs of token endpoints are not secrets. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(KEY|SECRET|PASSWORD|TOKEN).*");

    private static String read(String path) throws IOException {
        return Files.readString(Path.of(path));
    }

    private static List<JsonNode> yamlDocuments(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file))) {
            while (values.hasNextValue()) {
                JsonNode document = values.nextValue();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    private static Duration grace(String value) {
        return value == null ? DEFAULT_GRACE : DurationStyle.detectAndParse(value);
    }

    private static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).matches() && !name.endsWith("_URL");
    }

    @Nested
    class Kubernetes {
        private final List<JsonNode> manifests = new ArrayList<>();

        Kubernetes() throws IOException {
            try (Stream<Path> files = Files.list(Path.of("deploy"))) {
                for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml"))
                        .sorted()
                        .toList()) {
                    manifests.addAll(yamlDocuments(file));
                }
            }
        }

        private List<JsonNode> ofKind(String kind) {
            return manifests.stream()
                    .filter(m -> kind.equals(m.path("kind").asString()))
                    .toList();
        }

        /** The CronJob whose container runs the given command (the first argument). */
        private JsonNode cronJobRunning(String command) {
            List<JsonNode> found = ofKind("CronJob").stream()
                    .filter(c ->
                            command.equals(container(c).path("args").path(0).asString()))
                    .toList();
            assertThat(found).as("a CronJob running '%s'", command).hasSize(1);
            return found.get(0);
        }

        private List<JsonNode> cronJobs() {
            return List.of(cronJobRunning("sync"), cronJobRunning("restart"), cronJobRunning("reconcile"));
        }

        private static JsonNode jobSpec(JsonNode cronJob) {
            return cronJob.path("spec").path("jobTemplate").path("spec");
        }

        private static JsonNode podSpec(JsonNode cronJob) {
            return jobSpec(cronJob).path("template").path("spec");
        }

        private static JsonNode container(JsonNode cronJob) {
            JsonNode containers = podSpec(cronJob).path("containers");
            assertThat(containers.size()).as("containers of %s", name(cronJob)).isEqualTo(1);
            return containers.path(0);
        }

        private static String name(JsonNode manifest) {
            return manifest.path("metadata").path("name").asString();
        }

        private static List<String> args(JsonNode cronJob) {
            return container(cronJob)
                    .path("args")
                    .valueStream()
                    .map(JsonNode::asString)
                    .toList();
        }

        private static String option(JsonNode cronJob, String option) {
            List<String> args = args(cronJob);
            int at = args.indexOf(option);
            assertThat(at).as("%s in the args of %s", option, name(cronJob)).isNotNegative();
            return args.get(at + 1);
        }

        private static Map<String, JsonNode> env(JsonNode cronJob) {
            Map<String, JsonNode> env = new LinkedHashMap<>();
            container(cronJob).path("env").forEach(e -> env.put(e.path("name").asString(), e));
            return env;
        }

        /**
         * The action of the first rule that matches a failed pod, as the Job controller picks it; null when none
         * does (the controller then counts the failure, but the manifests say so explicitly).
         */
        private static String actionFor(JsonNode cronJob, int exitCode, Set<String> podConditions) {
            for (JsonNode rule : jobSpec(cronJob).path("podFailurePolicy").path("rules")) {
                JsonNode onExitCodes = rule.path("onExitCodes");
                if (!onExitCodes.isMissingNode()) {
                    boolean listed = onExitCodes.path("values").valueStream().anyMatch(v -> v.asInt() == exitCode);
                    boolean in = "In".equals(onExitCodes.path("operator").asString());
                    if (listed == in) {
                        return rule.path("action").asString();
                    }
                }
                for (JsonNode condition : rule.path("onPodConditions")) {
                    if (podConditions.contains(condition.path("type").asString())) {
                        return rule.path("action").asString();
                    }
                }
            }
            return null;
        }

        @Test
        void theNightlySyncRunsOneAtATimeAndTheJobMakesEachRetryPod() {
            JsonNode sync = cronJobRunning("sync");
            assertThat(sync.path("spec").path("concurrencyPolicy").asString()).isEqualTo("Forbid");
            assertThat(podSpec(sync).path("restartPolicy").asString()).isEqualTo("Never");
        }

        @Test
        void everyCronJobRetriesExit1AndFailsTheJobOn2_3And4() {
            for (JsonNode cronJob : cronJobs()) {
                String name = name(cronJob);
                assertThat(cronJob.path("spec").path("concurrencyPolicy").asString())
                        .as(name)
                        .isEqualTo("Forbid");
                assertThat(podSpec(cronJob).path("restartPolicy").asString())
                        .as(name)
                        .isEqualTo("Never");
                assertThat(jobSpec(cronJob).path("backoffLimit").asInt(-1))
                        .as("backoffLimit of %s", name)
                        .isPositive();
                assertThat(jobSpec(cronJob)
                                .path("podFailurePolicy")
                                .path("rules")
                                .isArray())
                        .as(name)
                        .isTrue();
                assertThat(actionFor(cronJob, 1, Set.of()))
                        .as("exit 1 of %s", name)
                        .isEqualTo("Count");
                for (int exitCode : new int[] {2, 3, 4}) {
                    assertThat(actionFor(cronJob, exitCode, Set.of()))
                            .as("exit %d of %s", exitCode, name)
                            .isEqualTo("FailJob");
                }
                assertThat(actionFor(cronJob, 143, Set.of("DisruptionTarget")))
                        .as("a pod of %s evicted or drained (SIGTERM, exit 143)", name)
                        .isEqualTo("Ignore");
            }
        }

        @Test
        void podsHaveMoreTimeToEndThanTheShutdownGraceTheySet() {
            for (JsonNode cronJob : cronJobs()) {
                JsonNode grace = env(cronJob).get("INVENTORY_SYNC_SHUTDOWN_GRACE");
                assertThat(grace)
                        .as("INVENTORY_SYNC_SHUTDOWN_GRACE set in %s", name(cronJob))
                        .isNotNull();
                long terminationGrace =
                        podSpec(cronJob).path("terminationGracePeriodSeconds").asLong(30);
                assertThat(terminationGrace)
                        .as("terminationGracePeriodSeconds of %s", name(cronJob))
                        .isGreaterThan(grace(grace.path("value").asString()).toSeconds());
            }
        }

        @Test
        void everySecretComesFromASecretAndNoneIsCommitted() {
            assertThat(ofKind("Secret"))
                    .as("Secrets in deploy/ (they are created by hand)")
                    .isEmpty();
            Map<String, JsonNode> configMaps = new LinkedHashMap<>();
            ofKind("ConfigMap").forEach(c -> configMaps.put(name(c), c));
            for (JsonNode cronJob : cronJobs()) {
                Map<String, JsonNode> env = env(cronJob);
                assertThat(env)
                        .as("env of %s", name(cronJob))
                        .containsKeys("SPRING_DATASOURCE_PASSWORD", "INVENTORY_SYNC_OMNI_SUBSCRIPTION_KEY");
                env.forEach((variable, entry) -> {
                    if (isSecretName(variable)) {
                        assertThat(entry.has("value"))
                                .as("a literal value for %s in %s", variable, name(cronJob))
                                .isFalse();
                        assertThat(entry.path("valueFrom")
                                        .path("secretKeyRef")
                                        .path("name")
                                        .asString())
                                .as("the Secret %s comes from in %s", variable, name(cronJob))
                                .isNotEmpty();
                    }
                });
                for (JsonNode source : container(cronJob).path("envFrom")) {
                    String configMap = source.path("configMapRef").path("name").asString();
                    if (!configMap.isEmpty()) {
                        assertThat(configMaps).as("ConfigMaps in deploy/").containsKey(configMap);
                        assertThat(configMaps.get(configMap).path("data").propertyNames())
                                .as("ConfigMap %s, which %s reads as environment", configMap, name(cronJob))
                                .noneMatch(DeploymentManifestsTest::isSecretName);
                    }
                }
            }
        }

        @Test
        void theJobFileComesFromAConfigMapMountedAsAFile() {
            for (JsonNode cronJob : cronJobs()) {
                Path jobFile = Path.of(option(cronJob, "--job"));
                JsonNode volume = volumeHolding(cronJob, jobFile);
                String configMap = volume.path("configMap").path("name").asString();
                assertThat(configMap)
                        .as("the ConfigMap %s of %s is mounted from", jobFile, name(cronJob))
                        .isNotEmpty();
                JsonNode data = ofKind("ConfigMap").stream()
                        .filter(c -> configMap.equals(name(c)))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no ConfigMap " + configMap + " in deploy/"))
                        .path("data");
                String definition = data.path(jobFile.getFileName().toString()).asString();
                assertThat(definition)
                        .as("%s in ConfigMap %s", jobFile.getFileName(), configMap)
                        .isNotBlank();
                assertThat(YAML.readTree(definition).path("name").asString())
                        .as("the job's name")
                        .isNotBlank();
            }
        }

        @Test
        void theSnapshotComesFromAVolume() {
            JsonNode sync = cronJobRunning("sync");
            JsonNode volume = volumeHolding(sync, Path.of(option(sync, "--snapshot")));
            assertThat(volume.path("persistentVolumeClaim").path("claimName").asString())
                    .isNotEmpty();
        }

        @Test
        void aMorningRestartOfTheLastFailedRunAndAReconciliationAreScheduled() {
            assertThat(args(cronJobRunning("restart"))).contains("--last-failed");
            assertThat(cronJobRunning("restart").path("spec").path("schedule").asString())
                    .isNotBlank();
            assertThat(cronJobRunning("reconcile").path("spec").path("schedule").asString())
                    .isNotBlank();
        }

        @Test
        void podsRunAsNonRootWithResourcesSet() {
            for (JsonNode cronJob : cronJobs()) {
                assertThat(podSpec(cronJob)
                                .path("securityContext")
                                .path("runAsNonRoot")
                                .asBoolean())
                        .as(name(cronJob))
                        .isTrue();
                JsonNode resources = container(cronJob).path("resources");
                assertThat(resources.path("requests").path("memory").asString())
                        .as("memory request of %s", name(cronJob))
                        .isNotEmpty();
                assertThat(resources.path("limits").path("memory").asString())
                        .as("memory limit of %s", name(cronJob))
                        .isNotEmpty();
            }
        }

        @Test
        void partitionWorkersRunAsADeploymentThatSeesTheManagersJobFilesAndSecrets() {
            List<JsonNode> workers = ofKind("Deployment").stream()
                    .filter(d -> "worker"
                            .equals(d.path("spec")
                                    .path("template")
                                    .path("spec")
                                    .path("containers")
                                    .path(0)
                                    .path("args")
                                    .path(0)
                                    .asString()))
                    .toList();
            assertThat(workers).as("a Deployment running 'worker'").hasSize(1);
            JsonNode pod = workers.get(0).path("spec").path("template").path("spec");
            assertThat(workers.get(0).path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean())
                    .isTrue();
            JsonNode container = pod.path("containers").path(0);
            assertThat(container.path("resources").path("limits").path("memory").asString())
                    .isNotEmpty();
            Map<String, JsonNode> env = new LinkedHashMap<>();
            container.path("env").forEach(e -> env.put(e.path("name").asString(), e));
            for (String secret : List.of(
                    "SPRING_DATASOURCE_PASSWORD", "INVENTORY_SYNC_OMNI_SUBSCRIPTION_KEY", "SPRING_RABBITMQ_PASSWORD")) {
                assertThat(env.get(secret)
                                .path("valueFrom")
                                .path("secretKeyRef")
                                .path("name")
                                .asString())
                        .as("%s from the Secret", secret)
                        .isEqualTo("inventory-sync");
            }
            Path jobFolder = Path.of(option(cronJobRunning("sync"), "--job")).getParent();
            assertThat(container
                            .path("volumeMounts")
                            .valueStream()
                            .map(m -> m.path("mountPath").asString()))
                    .as("the job files at the manager's path: the job repository names the file")
                    .contains(jobFolder.toString());
        }

        /** The pod volume mounted at a folder that holds the file. */
        private JsonNode volumeHolding(JsonNode cronJob, Path file) {
            String volumeName = null;
            for (JsonNode mount : container(cronJob).path("volumeMounts")) {
                if (file.startsWith(Path.of(mount.path("mountPath").asString()))) {
                    volumeName = mount.path("name").asString();
                }
            }
            assertThat(volumeName)
                    .as("a volume mounted over %s in %s", file, name(cronJob))
                    .isNotNull();
            for (JsonNode volume : podSpec(cronJob).path("volumes")) {
                if (volumeName.equals(volume.path("name").asString())) {
                    return volume;
                }
            }
            throw new AssertionError("no volume " + volumeName + " in " + name(cronJob));
        }
    }

    @Nested
    class Compose {
        private final String text = read("docker-compose.yml");
        // SnakeYAML resolves the file's anchors and aliases (x-product-environment), as compose does.
        private final JsonNode services =
                YAML.valueToTree(new org.yaml.snakeyaml.Yaml().load(text)).path("services");

        Compose() throws IOException {}

        @Test
        void everyVariableHasADefault() {
            // $$ is a literal dollar; anything else after $ is a variable, and needs ${NAME:-default} or
            // ${NAME-default}.
            Matcher variable = Pattern.compile("\\$\\$|\\$\\{([^}]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)")
                    .matcher(text);
            int found = 0;
            while (variable.find()) {
                if (variable.group().equals("$$")) {
                    continue;
                }
                found++;
                assertThat(variable.group(1))
                        .as("%s has no default", variable.group())
                        .isNotNull()
                        .matches("[A-Za-z_][A-Za-z0-9_]*:?-.*");
            }
            assertThat(found).as("variables in docker-compose.yml").isPositive();
        }

        @Test
        void partitionWorkersRunTheWorkerCommandWithTheJobsSettingsAndJobFiles() {
            JsonNode worker = services.path("worker");
            assertThat(worker.path("command").path(0).asString()).isEqualTo("worker");
            assertThat(worker.path("environment"))
                    .as("the same settings as the job: one job repository, one OMS account")
                    .isEqualTo(services.path("inventory-sync").path("environment"));
            assertThat(worker.path("environment").path("SPRING_RABBITMQ_HOST").asString())
                    .isEqualTo("rabbitmq");
            assertThat(services.path("rabbitmq").path("profiles").path(0).asString())
                    .isEqualTo(worker.path("profiles").path(0).asString());
            assertThat(worker.path("volumes").valueStream().map(JsonNode::asString))
                    .anyMatch(v -> v.endsWith(":/app/jobs:ro"));
        }

        @Test
        void postgresPublishesNoFixedHostPort() {
            JsonNode postgres = services.path("postgres");
            assertThat(postgres.isObject()).as("a postgres service").isTrue();
            for (JsonNode port : postgres.path("ports")) {
                if (port.isObject()) {
                    assertThat(port.path("published").isMissingNode())
                            .as("published port %s", port)
                            .isTrue();
                } else {
                    String[] parts = port.asString().split(":");
                    // "5432", or "127.0.0.1::5432": the host's side empty, so an ephemeral port
                    assertThat(parts.length == 1 || parts[parts.length - 2].isEmpty())
                            .as("port %s", port.asString())
                            .isTrue();
                }
            }
        }

        @Test
        void theSandboxAndTheJobAreBuiltFromTheDockerfile() {
            for (String service : List.of("sandbox", "inventory-sync")) {
                JsonNode build = services.path(service).path("build");
                String context = build.isObject() ? build.path("context").asString() : build.asString();
                assertThat(context).as("build context of %s", service).isIn(".", "./");
            }
            assertThat(services.path("sandbox").path("command").path(0).asString())
                    .isEqualTo("sandbox");
        }

        @Test
        void aPushgatewayRunsAndTheJobPushesToIt() {
            List<String> pushgateways = new ArrayList<>();
            services.forEachEntry((name, service) -> {
                if (service.path("image").asString().startsWith("prom/pushgateway")) {
                    pushgateways.add(name);
                }
            });
            assertThat(pushgateways).as("pushgateway services").hasSize(1);
            JsonNode env = services.path("inventory-sync").path("environment");
            assertThat(env.path("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ENABLED")
                            .asString())
                    .contains("true");
            assertThat(env.path("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ADDRESS")
                            .asString())
                    .contains(pushgateways.get(0) + ":9091");
        }

        @Test
        void theJobHasMoreTimeToStopThanItsShutdownGrace() {
            JsonNode job = services.path("inventory-sync");
            String stopGrace = job.path("stop_grace_period").asString("10s");
            Duration stop = Duration.parse("PT" + stopGrace.toUpperCase(Locale.ROOT));
            JsonNode grace = job.path("environment").path("INVENTORY_SYNC_SHUTDOWN_GRACE");
            assertThat(stop)
                    .as("stop_grace_period")
                    .isGreaterThan(grace(grace.isMissingNode() ? null : grace.asString()));
        }
    }

    @Nested
    class Dockerfile {
        private final List<String> instructions = instructions(read("Dockerfile"));

        Dockerfile() throws IOException {}

        /** Instructions with continuation lines joined, comments dropped. */
        private static List<String> instructions(String text) {
            List<String> result = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : text.split("\n")) {
                String trimmed = line.strip();
                if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                    continue;
                }
                if (trimmed.endsWith("\\")) {
                    current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                } else {
                    result.add(current.append(trimmed).toString());
                    current.setLength(0);
                }
            }
            return result;
        }

        private List<String> arguments(String keyword) {
            return instructions.stream()
                    .filter(i -> i.regionMatches(true, 0, keyword + " ", 0, keyword.length() + 1))
                    .map(i -> i.substring(keyword.length()).strip())
                    .toList();
        }

        /** The instructions of the last stage, the image that runs. */
        private List<String> runtimeStage() {
            int from = 0;
            for (int i = 0; i < instructions.size(); i++) {
                if (instructions.get(i).regionMatches(true, 0, "FROM ", 0, 5)) {
                    from = i;
                }
            }
            return instructions.subList(from, instructions.size());
        }

        @Test
        void theRuntimeImageRunsAsANonRootUser() {
            List<String> users = runtimeStage().stream()
                    .filter(i -> i.regionMatches(true, 0, "USER ", 0, 5))
                    .map(i -> i.substring(5).strip())
                    .toList();
            assertThat(users).as("USER in the runtime stage").isNotEmpty();
            String user = users.get(users.size() - 1).split(":")[0];
            assertThat(user).isNotIn("root", "0");
        }

        @Test
        void theJarIsSplitIntoLayersWithBootsJarmodeTools() {
            assertThat(arguments("RUN"))
                    .anyMatch(run ->
                            run.contains("-Djarmode=tools") && run.contains(" extract") && run.contains("--layers"));
            assertThat(runtimeStage()).anyMatch(i -> i.startsWith("COPY --from=") && i.contains("/dependencies/"));
        }

        @Test
        void theEntrypointIsExecFormSoTheJvmGetsSigtermAndItsExitCodeIsTheContainers() {
            List<String> entrypoints = arguments("ENTRYPOINT");
            assertThat(entrypoints).isNotEmpty();
            String last = entrypoints.get(entrypoints.size() - 1);
            assertThat(last)
                    .as("ENTRYPOINT in exec (JSON array) form, not run by a shell")
                    .startsWith("[");
            JsonNode entrypoint = JsonMapper.builder().build().readTree(last);
            assertThat(entrypoint.path(0).asString()).isEqualTo("java");
        }

        @Test
        void theBuildContextKeepsWhatTheDockerfileCopies() throws IOException {
            List<String> ignore = read(".dockerignore")
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
            if (!ignore.contains("*")) {
                return;
            }
            for (String copy : arguments("COPY")) {
                if (!copy.startsWith("--from")) {
                    String source = copy.split("\\s+")[0];
                    assertThat(ignore)
                            .as(".dockerignore re-includes %s", source)
                            .contains("!" + source);
                }
            }
        }
    }

    @Nested
    class Systemd {
        /** A unit file's keys, each with every value it is given, section names dropped. */
        private static Map<String, List<String>> unit(String file) throws IOException {
            Map<String, List<String>> keys = new LinkedHashMap<>();
            String pending = "";
            for (String line : read("jobs/systemd/" + file).split("\n")) {
                String trimmed = line.strip();
                if (trimmed.startsWith("#") || trimmed.startsWith(";") || trimmed.startsWith("[")) {
                    continue;
                }
                if (trimmed.endsWith("\\")) {
                    pending += trimmed.substring(0, trimmed.length() - 1) + " ";
                    continue;
                }
                String entry = pending + trimmed;
                pending = "";
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    keys.computeIfAbsent(entry.substring(0, eq).strip(), k -> new ArrayList<>())
                            .add(entry.substring(eq + 1).strip());
                }
            }
            return keys;
        }

        private static String last(Map<String, List<String>> unit, String key) {
            List<String> values = unit.get(key);
            return values == null ? null : values.get(values.size() - 1);
        }

        /** systemd's time span: "90", "90s", "1min 30s", "2h". */
        private static Duration timeSpan(String value) {
            if (value.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(value));
            }
            Duration total = Duration.ZERO;
            Matcher part = Pattern.compile("(\\d+)\\s*(ms|s|sec|m|min|h|hr)\\b").matcher(value);
            while (part.find()) {
                long n = Long.parseLong(part.group(1));
                total = total.plus(
                        switch (part.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s", "sec" -> Duration.ofSeconds(n);
                            case "m", "min" -> Duration.ofMinutes(n);
                            default -> Duration.ofHours(n);
                        });
            }
            return total;
        }

        private static Duration graceOf(Map<String, List<String>> unit) {
            String grace = null;
            for (String environment : unit.getOrDefault("Environment", List.of())) {
                Matcher m =
                        Pattern.compile("INVENTORY_SYNC_SHUTDOWN_GRACE=(\\S+)").matcher(environment);
                if (m.find()) {
                    grace = m.group(1);
                }
            }
            return grace(grace);
        }

        private static void stopsInTimeAndReportsFailures(String file) throws IOException {
            Map<String, List<String>> unit = unit(file);
            String timeoutStop = last(unit, "TimeoutStopSec");
            assertThat(timeoutStop).as("TimeoutStopSec in %s", file).isNotNull();
            assertThat(timeSpan(timeoutStop)).as("TimeoutStopSec in %s", file).isGreaterThan(graceOf(unit));
            String onFailure = last(unit, "OnFailure");
            assertThat(onFailure).as("OnFailure= in %s", file).isNotNull();
            String template = onFailure.replaceAll("@[^.]*\\.service$", "@.service");
            assertThat(Path.of("jobs/systemd", template))
                    .as("the OnFailure unit of %s", file)
                    .exists();
        }

        @Test
        void theNightlyServiceStopsWithinItsTimeoutAndReportsFailures() throws IOException {
            stopsInTimeAndReportsFailures("inventory-sync-nightly.service");
            assertThat(Path.of("jobs/systemd/inventory-sync-nightly.timer")).exists();
        }

        @Test
        void theNightlyServiceRetriesOnlyWhatARetryCanFix() throws IOException {
            Map<String, List<String>> nightly = unit("inventory-sync-nightly.service");
            if (last(nightly, "Restart") != null && !"no".equals(last(nightly, "Restart"))) {
                assertThat(last(nightly, "RestartPreventExitStatus"))
                        .as("RestartPreventExitStatus")
                        .isNotNull();
                assertThat(last(nightly, "RestartPreventExitStatus").split("\\s+"))
                        .contains("2", "3", "4");
            }
        }

        @Test
        void aMorningTimerRestartsTheLastFailedRun() throws IOException {
            Path timer = Path.of("jobs/systemd/inventory-sync-restart.timer");
            assertThat(timer).exists();
            assertThat(last(unit(timer.getFileName().toString()), "OnCalendar")).isNotBlank();
            Map<String, List<String>> service = unit("inventory-sync-restart.service");
            assertThat(last(service, "ExecStart")).contains("restart --last-failed");
            stopsInTimeAndReportsFailures("inventory-sync-restart.service");
        }

        @Test
        void theCronExampleListsEveryExitCode() throws IOException {
            String comments = read("jobs/schedule.cron")
                    .lines()
                    .filter(l -> l.startsWith("#"))
                    .reduce("", (a, b) -> a + " " + b);
            for (String code : List.of("0", "1", "2", "3", "4", "143")) {
                assertThat(comments).as("exit %s in jobs/schedule.cron", code).containsPattern("\\b" + code + " [a-z]");
            }
        }
    }
}
