package com.inventorysync.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The folder of the seed a sandbox started with: the only place {@code POST /admin/seed?path=} reads from. A path is
 * judged by where it really leads (after {@code ..} and symbolic links), so no name inside the folder reaches a file
 * outside it.
 */
final class SeedFolder {
    private final Path folder;

    /** @param seedFile the start seed's file; null when the seed came from no file (then nothing may be read). */
    SeedFolder(Path seedFile) {
        Path real = null;
        if (seedFile != null) {
            try {
                real = seedFile.toRealPath().getParent();
            } catch (IOException e) {
                real = null;
            }
        }
        this.folder = real;
    }

    /** Why a path was not resolved to a readable seed file; never holds a byte of any file. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** The real path of a regular file inside the folder; relative paths resolve against the working directory. */
    Path resolve(String requested) throws Refused {
        if (folder == null) {
            throw new Refused(
                    403,
                    "this sandbox started without a seed file, so it reads no seed from a path; POST the seed itself");
        }
        Path path;
        try {
            path = Path.of(requested).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw outside();
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            // Told apart from "outside" only inside the folder, so that the answer says nothing about other places.
            if (path.startsWith(folder)) {
                throw new Refused(404, "no seed file " + folder.relativize(path) + " in the seed folder");
            }
            throw outside();
        } catch (IOException e) {
            throw outside();
        }
        if (!real.startsWith(folder) || !Files.isRegularFile(real)) {
            throw outside();
        }
        return real;
    }

    private Refused outside() {
        return new Refused(403, "the sandbox reads seeds only from the folder of its start seed (" + folder + ")");
    }
}
