package com.inventorysync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project keeps its own copy of the wire contracts in {@code contracts/} so that a fresh clone is complete.
 * Where the shared originals exist beside the repository ({@code ../shared/contracts}, also looked up beside the
 * main checkout when this is a linked git worktree), the copy must equal them byte for byte. Always: every
 * contract file loads as OpenAPI 3 and the validator built from it really rejects a deviation.
 */
class ContractFolderTest {
    static final Path CONTRACTS = Path.of("contracts");

    @Test
    void theProjectCopyEqualsTheSharedContractsWhereThoseExist() throws IOException {
        Optional<Path> shared = sharedContracts();
        List<String> ours = fileNames(CONTRACTS);
        assertThat(ours).contains("README.md", "omni-oms.yaml", "kibo-oms.yaml", "shipedge-oms.yaml", "newstore.yaml");
        if (shared.isPresent()) {
            assertThat(fileNames(shared.get())).as("files in " + shared.get()).isEqualTo(ours);
            for (String name : ours) {
                assertThat(Files.readAllBytes(CONTRACTS.resolve(name)))
                        .as("contracts/" + name + " differs from "
                                + shared.get().resolve(name))
                        .isEqualTo(Files.readAllBytes(shared.get().resolve(name)));
            }
        }
        // Either way, the README's table names every contract file the folder holds.
        String readme = Files.readString(CONTRACTS.resolve("README.md"));
        ours.stream()
                .filter(n -> n.endsWith(".yaml"))
                .forEach(n -> assertThat(readme).contains(n));
    }

    @Test
    void everyContractFileLoadsAsOpenApi3WithPaths() throws IOException {
        for (String name : fileNames(CONTRACTS)) {
            if (!name.endsWith(".yaml")) {
                continue;
            }
            SwaggerParseResult result = ContractFiles.parse(CONTRACTS.resolve(name));
            assertThat(result.getOpenAPI()).as(name).isNotNull();
            assertThat(result.getOpenAPI().getOpenapi()).as(name).startsWith("3.");
            assertThat(result.getOpenAPI().getPaths()).as(name).isNotEmpty();
            assertThat(ContractFiles.unexpectedMessages(result)).as(name).isEmpty();
        }
    }

    @Test
    void theValidatorRejectsAnswersOutsideTheContract() {
        var omni = ContractFiles.validator("omni-oms.yaml", "/omni");
        var missingFields = SimpleResponse.Builder.ok()
                .withContentType("application/json")
                .withBody("{\"Items\":[]}")
                .build();
        assertThat(omni.validateResponse("/omni/v1/inventory/onhand", Request.Method.GET, missingFields)
                        .hasErrors())
                .isTrue();
        var undocumentedStatus = SimpleResponse.Builder.status(418).build();
        assertThat(omni.validateResponse("/omni/v1/inventory/onhand", Request.Method.PUT, undocumentedStatus)
                        .hasErrors())
                .isTrue();
        var extraField = SimpleResponse.Builder.ok()
                .withContentType("application/json")
                .withBody(
                        "{\"jobID\":1,\"type\":\"X\",\"status\":\"DONE\",\"itemCount\":1,\"processedCount\":1,\"errorCount\":0}")
                .build();
        assertThat(ContractFiles.validator("kibo-oms.yaml", "/kibo")
                        .validateResponse("/kibo/api/v1/queue/1", Request.Method.GET, extraField)
                        .hasErrors())
                .isTrue();
    }

    /** {@code ../shared/contracts} beside the repository, or beside the main checkout of a linked worktree. */
    static Optional<Path> sharedContracts() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        List<Path> candidates = new ArrayList<>();
        candidates.add(root.resolveSibling("shared").resolve("contracts"));
        Path gitFile = root.resolve(".git");
        if (Files.isRegularFile(gitFile)) {
            // A linked worktree: ".git" holds "gitdir: <main>/.git/worktrees/<name>".
            String line = Files.readString(gitFile).trim();
            if (line.startsWith("gitdir:")) {
                Path gitDir = Path.of(line.substring("gitdir:".length()).trim());
                for (Path p = gitDir; p != null; p = p.getParent()) {
                    if (p.getFileName() != null && p.getFileName().toString().equals(".git")) {
                        candidates.add(p.getParent().resolveSibling("shared").resolve("contracts"));
                        break;
                    }
                }
            }
        }
        return candidates.stream().filter(Files::isDirectory).findFirst();
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }
}
