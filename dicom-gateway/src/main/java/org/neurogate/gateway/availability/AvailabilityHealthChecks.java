package org.neurogate.gateway.availability;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.neurogate.gateway.store.StorageConfig;

/**
 * Readiness: the database answers and the disks that instances and reports are written to have room.
 * Liveness: the database has not been gone longer than the liveness limit.
 */
@ApplicationScoped
public class AvailabilityHealthChecks {

    private final DatabaseWatch database;
    private final StorageConfig storage;

    public AvailabilityHealthChecks(DatabaseWatch database, StorageConfig storage) {
        this.database = database;
        this.storage = storage;
    }

    @Produces
    @Readiness
    HealthCheck catalogDatabase() {
        return () -> HealthCheckResponse.named("catalog-database").status(database.databaseUp()).build();
    }

    /** Down from the moment SIGTERM arrives, before anything stops (see {@link org.neurogate.gateway.NeuroGateMain}). */
    @Produces
    @Readiness
    HealthCheck notStopping() {
        return () -> HealthCheckResponse.named("not-stopping").status(!org.neurogate.gateway.NeuroGateMain.stopping()).build();
    }

    @Produces
    @Liveness
    HealthCheck catalogDatabaseNotLost() {
        return () -> HealthCheckResponse.named("catalog-database-not-lost").status(database.alive()).build();
    }

    @Produces
    @Readiness
    HealthCheck diskSpace() {
        return () -> {
            Path data = storage.dataDir().toAbsolutePath();
            long min = storage.storage().minFreeBytes();
            long instances = usable(data.resolve("instances"));
            long reports = usable(data.resolve("reports"));
            return HealthCheckResponse.named("disk-space")
                    .status(instances >= min && reports >= min)
                    .withData("instancesFreeBytes", instances)
                    .withData("reportsFreeBytes", reports)
                    .withData("minFreeBytes", min)
                    .build();
        };
    }

    /** Free bytes where {@code dir} is (or would be: its nearest existing parent). */
    private static long usable(Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        try {
            return p == null ? 0 : Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }
}
