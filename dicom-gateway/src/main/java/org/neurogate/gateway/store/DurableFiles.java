package org.neurogate.gateway.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * File system steps that survive a power cut: a rename is only durable once the directory that holds
 * it is fsync'd, and so is a newly created directory (see fsync(2), "Notes").
 */
public final class DurableFiles {

    private DurableFiles() {
    }

    /** Creates {@code dir} and any missing parents below {@code root}, syncing each parent that gained an entry. */
    public static void createDirectories(Path root, Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null && !parent.equals(root)) {
            createDirectories(root, parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException raced) {
            return; // another association created it; it synced the parent
        }
        syncDirectory(parent);
    }

    /** Atomically renames {@code from} to {@code to} and makes the rename durable. */
    public static void moveDurably(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(to.getParent());
    }

    /**
     * Puts {@code from} at {@code to} without ever replacing a file there ({@link FileAlreadyExistsException}
     * instead), and makes it durable: a hard link, which fails atomically on an existing name, then the
     * spool name is removed. Where links are not supported, an existence check and a rename do the same
     * under the caller's lock on the name.
     */
    public static void placeWithoutReplacing(Path from, Path to) throws IOException {
        linkWithoutReplacing(from, to);
        syncDirectory(to.getParent());
    }

    /**
     * {@link #placeWithoutReplacing} without the directory sync, for a caller that syncs each directory
     * once after placing several files.
     */
    public static void linkWithoutReplacing(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
            Files.delete(from);
        } catch (FileAlreadyExistsException exists) {
            throw exists;
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException noHardLinks) {
            if (Files.exists(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(to.toString());
            }
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
