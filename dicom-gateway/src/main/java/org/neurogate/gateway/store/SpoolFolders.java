package org.neurogate.gateway.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Each receiving process spools into its own folder, {@code spool/<process>/}, and holds a lock on it
 * for as long as it runs. Receivers sharing one instance store (a shared file system) then never
 * touch each other's half-received files; at start, a folder that no live process holds any more
 * (its process stopped or was killed, on whichever host: the lock is the file system's) is emptied,
 * because nothing in it was acknowledged.
 */
final class SpoolFolders {

    private static final String LOCK = ".lock";

    /** This process's folder and the lock that marks it alive. */
    record Claimed(Path folder, FileChannel channel, FileLock lock, int staleFilesRemoved) {
    }

    private SpoolFolders() {
    }

    /** Creates and locks {@code spool/<process>/}, after emptying the folders of processes that are gone. */
    static Claimed claim(Path spoolRoot, String process) throws IOException {
        Files.createDirectories(spoolRoot);
        int stale = 0;
        // Spool files of a single-process gateway of an earlier version, directly under spool/.
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(spoolRoot, "*.part")) {
            for (Path part : parts) {
                stale += Files.deleteIfExists(part) ? 1 : 0;
            }
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(spoolRoot, Files::isDirectory)) {
            for (Path folder : folders) {
                if (!folder.getFileName().toString().equals(process)) {
                    stale += emptyIfAbandoned(folder);
                }
            }
        }
        Path folder = spoolRoot.resolve(process);
        Files.createDirectories(folder);
        FileChannel channel = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new IOException("spool folder " + folder + " is held by another running process");
        }
        return new Claimed(folder, channel, lock, stale);
    }

    /** Removes a folder whose lock nobody holds, with its files; answers how many spool files it held. */
    private static int emptyIfAbandoned(Path folder) throws IOException {
        Path lockFile = folder.resolve(LOCK);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException ours) {
                return 0;
            }
            if (lock == null) {
                return 0; // a live receiver's
            }
            int removed = 0;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.part")) {
                for (Path part : files) {
                    removed += Files.deleteIfExists(part) ? 1 : 0;
                }
            }
            Files.deleteIfExists(lockFile);
            lock.release();
            Files.deleteIfExists(folder);
            return removed;
        } catch (java.nio.file.DirectoryNotEmptyException | java.nio.file.NoSuchFileException raced) {
            return 0; // another starting receiver emptied it at the same moment, or a file is not ours to judge
        }
    }
}
