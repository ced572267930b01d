package org.neurogate.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files and folders only the gateway's own user may read: keys, generated passwords, the data directory. */
public final class PrivateFiles {

    private PrivateFiles() {
    }

    /** Writes {@code text} to {@code file}, created with mode 0600 and put in place atomically. */
    public static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, text);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * A random 32-byte key kept Base64-encoded in {@code file} (0600), made the first time it is asked for
     * (the same kind of file as the research export's site secret, and made the same way: processes
     * starting together on a shared data directory agree on one); answers the Base64 text.
     */
    public static String key(Path file) throws IOException {
        return java.util.Base64.getEncoder().encodeToString(org.neurogate.reports.deid.Pseudonyms.siteSecret(file));
    }

    /** Creates {@code dir} if needed and makes it 0700, whatever the umask made it. */
    public static void directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions: its own ACLs apply
        }
    }
}
