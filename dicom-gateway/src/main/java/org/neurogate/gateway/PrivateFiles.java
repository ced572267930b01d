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
     * A random 32-byte key kept Base64-encoded in {@code file} (0600), made the first time it is asked for;
     * answers the Base64 text.
     */
    public static String key(Path file) throws IOException {
        if (!Files.exists(file)) {
            // Processes starting together on one shared data directory must agree on one key: each
            // writes its own candidate, and the first link into place wins.
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            Path candidate = file.resolveSibling(file.getFileName() + "." + ProcessIdentity.name() + ".tmp");
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(candidate);
            Files.createFile(candidate, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(candidate, java.util.Base64.getEncoder().encodeToString(random));
            try {
                Files.createLink(file, candidate);
            } catch (java.nio.file.FileAlreadyExistsException another) {
                // another process's key is the key
            } finally {
                Files.delete(candidate);
            }
        }
        return Files.readString(file).strip();
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
