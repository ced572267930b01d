package org.neurogate.gateway.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

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
    }
}
