# inventory-sync image. Build the jar first, then the image (CI needs neither Docker nor this file):
#   mvn -B -q package -DskipTests && docker build -t inventory-sync .
#   docker run --rm inventory-sync demo
#   docker run --rm --env-file /etc/inventory-sync/env -v /exports:/exports:ro inventory-sync \
#       sync --job jobs/nightly.yml --snapshot /exports/onhand.csv
# Every command and exit code of the jar is the container's: 0, 1, 2, 3, 4, 143 (docs/deploying.md).

# Stage 1: split the Spring Boot jar into its layers (dependencies change less often than the code).
FROM eclipse-temurin:17-jre AS extract
WORKDIR /build
COPY target/inventory-sync.jar inventory-sync.jar
# Boot 4's layout: lib/ holds the dependencies, inventory-sync.jar the application classes and a
# manifest whose Class-Path names lib/*.jar, so "java -jar inventory-sync.jar" runs it.
RUN java -Djarmode=tools -jar inventory-sync.jar extract --layers --destination extracted

# Stage 2: the runtime.
FROM eclipse-temurin:17-jre
# A fixed numeric user, so that Kubernetes' runAsNonRoot can check it and volumes can be chowned to it.
RUN groupadd --system --gid 10001 inventory-sync \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin inventory-sync
WORKDIR /app
COPY --from=extract /build/extracted/dependencies/ ./
COPY --from=extract /build/extracted/spring-boot-loader/ ./
COPY --from=extract /build/extracted/snapshot-dependencies/ ./
COPY --from=extract /build/extracted/application/ ./
# Job definitions and the demo data; a deployment mounts its own job files over them or beside them.
COPY jobs/ ./jobs/
# out/: summaries, rejects and reports (mount a volume here); data/: the embedded H2 of "demo".
RUN mkdir -p out data && chown inventory-sync:inventory-sync out data
USER 10001:10001
# Heap sized from the container's memory limit. Proxies are added here too (-Dhttps.proxyHost=...,
# docs/deploying.md). Not -XX:+ExitOnOutOfMemoryError: it exits 3, which means "refused by the guard".
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# Exec form: java is PID 1 and gets SIGTERM itself (the run stops at a chunk boundary and exits 143),
# and the container's exit code is the command's.
ENTRYPOINT ["java", "-jar", "/app/inventory-sync.jar"]
