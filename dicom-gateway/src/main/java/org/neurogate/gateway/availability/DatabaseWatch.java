package org.neurogate.gateway.availability;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.neurogate.gateway.store.LogText;
import org.neurogate.persistence.EmbeddedDatabase;

/**
 * Knows whether the catalog database answers, so the DICOM listener can refuse associations while it
 * does not (a C-ECHO must not say all is well when no C-STORE could succeed). When the embedded
 * server's postmaster has died, it starts it again on the same cluster and port. A database that stays
 * away past the liveness limit turns liveness down, for a supervisor to restart us.
 */
@ApplicationScoped
public class DatabaseWatch {

    private static final Logger LOG = Logger.getLogger(DatabaseWatch.class);

    private final DataSource dataSource;
    private final AvailabilityConfig config;
    private volatile boolean up = true;
    private volatile long downSinceNanos;
    private ScheduledExecutorService timer;

    public DatabaseWatch(DataSource dataSource, AvailabilityConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "database-watch");
            t.setDaemon(true);
            return t;
        });
        long period = config.databaseCheckInterval().toMillis();
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** True unless the last check failed. */
    public boolean databaseUp() {
        return up;
    }

    /** False once the database has been down longer than the liveness limit. */
    public boolean alive() {
        return up || System.nanoTime() - downSinceNanos < config.databaseDownLiveness().toNanos();
    }

    /** Called by the ingest path when a statement failed: refuse new associations at once, not at the next check. */
    public void reportFailure() {
        markDown("a statement failed");
    }

    void check() {
        Optional<EmbeddedDatabase> embedded = EmbeddedDatabase.current();
        if (embedded.isPresent() && !embedded.get().serverAlive()) {
            markDown("the embedded PostgreSQL server is not running");
            restart(embedded.get());
        }
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(2)) {
                if (!up) {
                    LOG.infof("Database reachable again after %d s; accepting associations",
                            (System.nanoTime() - downSinceNanos) / 1_000_000_000L);
                }
                up = true;
                return;
            }
            markDown("connection not valid");
        } catch (Exception e) {
            markDown(LogText.firstLine(e));
        }
    }

    private void restart(EmbeddedDatabase database) {
        long start = System.nanoTime();
        LOG.warnf("Embedded PostgreSQL on port %d has stopped; restarting it", database.port());
        try {
            database.restart();
            LOG.infof("Embedded PostgreSQL restarted in %d ms", (System.nanoTime() - start) / 1_000_000L);
        } catch (Exception e) {
            LOG.errorf("Embedded PostgreSQL did not restart: %s", LogText.firstLine(e));
        }
    }

    private synchronized void markDown(String why) {
        if (up) {
            downSinceNanos = System.nanoTime();
            up = false;
            LOG.warnf("Database unavailable (%s); refusing associations until it answers", why);
        }
    }
}
