package org.neurogate.gateway.availability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the gateway watches what it depends on: the database and the disk. */
@ConfigMapping(prefix = "neurogate.availability")
public interface AvailabilityConfig {

    /** How often the database is checked (a {@code SELECT 1}). Env: NEUROGATE_AVAILABILITY_DATABASE_CHECK_INTERVAL. */
    @WithDefault("2s")
    Duration databaseCheckInterval();

    /**
     * A database unreachable for this long, and not brought back by restarting the embedded server,
     * turns liveness down, so that a supervisor (systemd, Kubernetes) restarts the gateway.
     * Env: NEUROGATE_AVAILABILITY_DATABASE_DOWN_LIVENESS.
     */
    @WithDefault("60s")
    Duration databaseDownLiveness();
}
