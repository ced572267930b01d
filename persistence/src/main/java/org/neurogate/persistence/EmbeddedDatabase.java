package org.neurogate.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A real PostgreSQL server whose cluster lives in a directory of ours, for installs without an external
 * database and for tests. Zonky's binaries come from Maven Central.
 *
 * <p>Zonky tunes its servers for throw-away test databases (fsync and synchronous commit off); NeuroGate
 * acknowledges C-STOREs on the strength of a commit, so both are switched back on here.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());
    private static final Duration STALE_SERVER_STOP_WAIT = Duration.ofSeconds(20);

    /** The one this process started, if any: what the availability watch restarts. */
    private static volatile EmbeddedDatabase current;

    private volatile EmbeddedPostgres postgres;
    private final Path clusterDirectory;
    private final int port;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path clusterDirectory) {
        this.postgres = postgres;
        this.clusterDirectory = clusterDirectory;
        this.port = postgres.getPort();
    }

    /** The embedded server this process runs, or empty when it uses an external database. */
    public static Optional<EmbeddedDatabase> current() {
        return Optional.ofNullable(current);
    }

    /** True while this cluster's postmaster process is running. */
    public boolean serverAlive() {
        try {
            return postmasterOf(clusterDirectory).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts the server again on the same cluster and port after it died (killed, or crashed): the
     * JDBC URL the pool holds stays valid, and the pool's validation replaces its broken connections.
     * PostgreSQL's own crash recovery replays the WAL, so every committed row is back.
     */
    public synchronized void restart() throws IOException {
        try {
            postgres.close(); // releases zonky's lock on the directory; the server is already gone
        } catch (IOException ignored) {
            // nothing left to stop
        }
        postgres = builder(clusterDirectory).setPort(port).start();
    }

    /**
     * Starts (and on first use initialises) the cluster in {@code clusterDirectory}.
     *
     * @param port TCP port on localhost, or 0 for any free port
     */
    public static EmbeddedDatabase start(Path clusterDirectory, int port) throws IOException {
        Files.createDirectories(clusterDirectory);
        stopServerLeftBehind(clusterDirectory);
        EmbeddedPostgres.Builder builder = builder(clusterDirectory);
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedDatabase database = new EmbeddedDatabase(builder.start(), clusterDirectory);
        current = database;
        return database;
    }

    private static EmbeddedPostgres.Builder builder(Path clusterDirectory) {
        return EmbeddedPostgres.builder()
                .setDataDirectory(clusterDirectory)
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "100")
                .setPGStartupWait(Duration.ofSeconds(60));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    public String username() {
        return "postgres";
    }

    public int port() {
        return port;
    }

    public Path clusterDirectory() {
        return clusterDirectory;
    }

    @Override
    public void close() throws IOException {
        if (current == this) {
            current = null;
        }
        postgres.close();
    }

    /**
     * The port of a server already running on this cluster (a gateway's), from its {@code postmaster.pid},
     * so a second process (the export CLI) can use the same database instead of starting its own.
     */
    public static Optional<Integer> runningPort(Path clusterDirectory) throws IOException {
        if (postmasterOf(clusterDirectory).isEmpty()) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(clusterDirectory.resolve("postmaster.pid"), StandardCharsets.US_ASCII);
        try {
            return lines.size() < 4 ? Optional.empty() : Optional.of(Integer.parseInt(lines.get(3).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A gateway killed with SIGKILL leaves its postmaster running on our cluster, which would make the
     * next start fail. Asks it for a fast shutdown (SIGINT) and waits for it to go.
     */
    static void stopServerLeftBehind(Path clusterDirectory) throws IOException {
        Optional<ProcessHandle> postmaster = postmasterOf(clusterDirectory);
        if (postmaster.isEmpty()) {
            return;
        }
        long pid = postmaster.get().pid();
        LOG.warning("Stopping PostgreSQL server (pid " + pid + ") left running on " + clusterDirectory);
        try {
            new ProcessBuilder(List.of("kill", "-INT", Long.toString(pid))).inheritIO().start().waitFor();
            postmaster.get().onExit().get(STALE_SERVER_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the old PostgreSQL server", e);
        } catch (Exception e) {
            throw new IOException("old PostgreSQL server (pid " + pid + ") on " + clusterDirectory
                    + " did not stop within " + STALE_SERVER_STOP_WAIT.toSeconds() + " s", e);
        }
    }

    private static Optional<ProcessHandle> postmasterOf(Path clusterDirectory) throws IOException {
        Path pidFile = clusterDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        if (lines.size() < 2) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        // The pid file's second line is the cluster directory; a recycled pid belongs to someone else.
        Path recorded = Path.of(lines.get(1).trim());
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                .filter(p -> sameDirectory(recorded, clusterDirectory));
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
