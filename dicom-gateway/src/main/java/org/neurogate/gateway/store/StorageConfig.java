package org.neurogate.gateway.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** Where received instances live on disk. */
@ConfigMapping(prefix = "neurogate")
public interface StorageConfig {

    /**
     * Root of everything NeuroGate keeps: {@code instances/}, {@code spool/} and, with the embedded
     * database, {@code pgdata/}. Env: NEUROGATE_DATA_DIR.
     */
    @WithDefault("data")
    Path dataDir();

    Storage storage();

    /** The embedded PostgreSQL, used when no QUARKUS_DATASOURCE_JDBC_URL is set. */
    EmbeddedDb embeddedDb();

    interface EmbeddedDb {
        /**
         * Its TCP port on localhost; 0 picks a free one at each start. Read by the launcher before
         * Quarkus starts. Env: NEUROGATE_EMBEDDED_DB_PORT.
         */
        @WithDefault("0")
        int port();
    }

    interface Storage {
        /**
         * Below this many free bytes on the data directory's file system, C-STOREs are refused with 0xA700
         * rather than filling the disk that PostgreSQL also writes to.
         */
        @WithDefault("536870912")
        long minFreeBytes();

        /**
         * The largest data set accepted; a larger one is drained without being written and refused with
         * 0xA700, so one sender cannot fill the disk. Env: NEUROGATE_STORAGE_MAX_OBJECT_BYTES (default 2 GiB).
         */
        @WithDefault("2147483648")
        long maxObjectBytes();

        /**
         * What happens to an instance whose identity contradicts the store (another patient under a known
         * study, a known series under another study, a SOP Instance UID reused elsewhere): {@code refuse}
         * answers 0xC010-0xC012 and keeps nothing; {@code quarantine} keeps the file in
         * {@code quarantine/} for an administrator and answers success. Either way it is never filed or
         * analysed, and the conflict is listed at {@code GET /api/admin/conflicts}.
         * Env: NEUROGATE_STORAGE_IDENTITY_CONFLICT.
         */
        @WithDefault("refuse")
        ConflictAction identityConflict();

        /**
         * Files in {@code instances/} that no catalog row names (left by a crash between placing a file
         * and committing its row): {@code delete} removes them at start, {@code report} only counts them.
         * Either way the count is logged and exported as {@code neurogate_orphan_files}.
         * Env: NEUROGATE_STORAGE_ORPHANS.
         */
        @WithDefault("delete")
        OrphanAction orphans();

        /**
         * Group commit: C-STOREs arriving at about the same time on any association are recorded in one
         * database transaction, with one commit and one fsync per directory, at most this many together;
         * each is still answered only after that commit. 1 (the default) records each alone: on local
         * disks with sub-millisecond fsync and few cores, sharing commits measured slower than recording
         * in parallel (README, Benchmark). Worth trying (e.g. 64) where fsync is slow: network or
         * write-through storage. Env: NEUROGATE_STORAGE_GROUP_COMMIT_MAX_INSTANCES.
         */
        @WithDefault("1")
        int groupCommitMaxInstances();

        /**
         * How long a batch waits, from its first instance, for C-STOREs still arriving to join it. It
         * closes sooner once every C-STORE in progress has joined, so a lone sender never waits.
         * Env: NEUROGATE_STORAGE_GROUP_COMMIT_MAX_WAIT.
         */
        @WithDefault("3ms")
        Duration groupCommitMaxWait();
    }

    enum ConflictAction { REFUSE, QUARANTINE }

    enum OrphanAction { DELETE, REPORT }
}
