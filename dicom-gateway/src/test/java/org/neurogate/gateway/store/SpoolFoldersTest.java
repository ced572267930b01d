package org.neurogate.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolFoldersTest {

    @Test
    void aStartingReceiverEmptiesOnlyTheFoldersNobodyHolds(@TempDir Path spool) throws IOException {
        Path gone = Files.createDirectories(spool.resolve("host-a-1-aaaaaa"));
        Files.createFile(gone.resolve(".lock"));
        Files.writeString(gone.resolve("instance-1-1.part"), "never acknowledged");
        Files.writeString(spool.resolve("instance-9-9.part"), "an earlier version's flat spool file");
        SpoolFolders.Claimed live = SpoolFolders.claim(spool, "host-b-1-bbbbbb");
        Files.writeString(live.folder().resolve("instance-1-2.part"), "arriving now");
        try {
            assertEquals(2, live.staleFilesRemoved());
            assertFalse(Files.exists(gone), "the stopped receiver's folder is removed");
            assertFalse(Files.exists(spool.resolve("instance-9-9.part")));
            // The live receiver's lock is held: a third receiver starting now leaves its files alone
            // (within one JVM the lock shows as overlapping, across processes as held).
            SpoolFolders.Claimed third = SpoolFolders.claim(spool, "host-c-1-cccccc");
            assertEquals(0, third.staleFilesRemoved());
            assertTrue(Files.exists(live.folder().resolve("instance-1-2.part")));
            third.lock().release();
            third.channel().close();
        } finally {
            live.lock().release();
            live.channel().close();
        }
        SpoolFolders.Claimed after = SpoolFolders.claim(spool, "host-d-1-dddddd");
        assertEquals(1, after.staleFilesRemoved(), "once its process is gone, its files are stale");
        after.channel().close();
    }

    @Test
    void aFolderIsOneProcesssOnly(@TempDir Path spool) throws IOException {
        SpoolFolders.Claimed first = SpoolFolders.claim(spool, "host-a-1-aaaaaa");
        try {
            assertThrows(java.nio.channels.OverlappingFileLockException.class,
                    () -> SpoolFolders.claim(spool, "host-a-1-aaaaaa"));
        } finally {
            first.channel().close();
        }
    }
}
