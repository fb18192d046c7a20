package com.inventorysync.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * The parameters of a sync run. A run (job instance) is identified by the job definition's name
 * and the snapshot's SHA-256, so that a restart continues the same run and a snapshot that
 * already completed is recognised. {@code --force} and {@code --dry-run} add a nonce: a forced
 * run is a new run, and a dry run never counts as the snapshot having been synced.
 */
public final class SyncJobParameters {
    public static final String JOB_NAME = "sync";

    public static final String DEFINITION_NAME = "definition";
    public static final String SNAPSHOT_SHA256 = "snapshot.sha256";
    public static final String NONCE = "nonce";
    public static final String DEFINITION_FILE = "definition.file";
    public static final String SNAPSHOT_FILE = "snapshot.file";
    public static final String DRY_RUN = "dry-run";
    public static final String FORCE = "force";

    private SyncJobParameters() {}

    public static JobParameters of(
            String definitionName, Path definitionFile, Path snapshot, boolean dryRun, boolean force) {
        JobParametersBuilder b = new JobParametersBuilder()
                .addString(DEFINITION_NAME, definitionName, true)
                .addString(SNAPSHOT_SHA256, sha256(snapshot), true);
        if (force || dryRun) {
            b.addString(NONCE, UUID.randomUUID().toString(), true);
        }
        return b.addString(
                        DEFINITION_FILE,
                        definitionFile.toAbsolutePath().normalize().toString(),
                        false)
                .addString(SNAPSHOT_FILE, snapshot.toAbsolutePath().normalize().toString(), false)
                .addString(DRY_RUN, Boolean.toString(dryRun), false)
                .addString(FORCE, Boolean.toString(force), false)
                .toJobParameters();
    }

    /** The parameters that identify the run of this snapshot without a nonce: the one a plain {@code sync} would use. */
    public static JobParameters identifying(String definitionName, String sha256) {
        return new JobParametersBuilder()
                .addString(DEFINITION_NAME, definitionName, true)
                .addString(SNAPSHOT_SHA256, sha256, true)
                .toJobParameters();
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new com.inventorysync.ingest.BadSnapshotException(file + ": cannot be read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
