package org.neurogate.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A real PostgreSQL server whose cluster lives in a directory of ours, for installs without an external
 * database and for tests. Zonky's binaries come from Maven Central.
 *
 * <p>Zonky tunes its servers for throw-away test databases (fsync and synchronous commit off); NeuroGate
 * acknowledges C-STOREs on the strength of a commit, so both are switched back on here.
 *
 * <p>Zonky also leaves its servers open: {@code trust} for every local and loopback login, a socket in
 * {@code /tmp}, binaries in a world-writable {@code /tmp/embedded-pg}. Ours holds patient data, so at every
 * start: SCRAM passwords only, over loopback only, no Unix socket and no replication; the application logs
 * in as {@value ClusterCredentials#APPLICATION_ROLE}, a role that owns the schema but is no superuser (so no
 * {@code COPY ... TO PROGRAM}); and the binaries sit in a directory only our user can enter.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());
    private static final Duration STALE_SERVER_STOP_WAIT = Duration.ofSeconds(20);
    private static final String DATABASE = "postgres";

    /** Replaces initdb's and zonky's pg_hba.conf at every start, so an edit or an old cluster cannot widen it. */
    static final String HOST_BASED_AUTHENTICATION = """
            # Written by NeuroGate at every start; edits are replaced.
            # Password (SCRAM) logins over loopback only. There is no Unix socket and no replication entry.
            host    all    all    127.0.0.1/32    scram-sha-256
            host    all    all    ::1/128         scram-sha-256
            """;

    /** The one this process started, if any: what the availability watch restarts. */
    private static volatile EmbeddedDatabase current;

    private volatile EmbeddedPostgres postgres;
    private final Path clusterDirectory;
    private final Path binariesDirectory;
    private final ClusterCredentials credentials;
    private final int port;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path clusterDirectory, Path binariesDirectory,
                             ClusterCredentials credentials) {
        this.postgres = postgres;
        this.clusterDirectory = clusterDirectory;
        this.binariesDirectory = binariesDirectory;
        this.credentials = credentials;
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
            // nothing to stop
        }
        postgres = builder(clusterDirectory, binariesDirectory, credentials, true).setPort(port).start();
    }

    /**
     * Starts (and on first use initialises) the cluster in {@code clusterDirectory}, with the PostgreSQL
     * binaries unpacked under {@code binariesDirectory}, which must be private to our user.
     *
     * @param port TCP port on localhost, or 0 for any free port
     */
    public static EmbeddedDatabase start(Path clusterDirectory, int port, Path binariesDirectory) throws IOException {
        Files.createDirectories(clusterDirectory);
        requirePrivateDirectory(binariesDirectory);
        stopServerLeftBehind(clusterDirectory);
        boolean newCluster = !Files.exists(clusterDirectory.resolve("postgresql.conf"));
        boolean secured = ClusterCredentials.exist(clusterDirectory);
        ClusterCredentials credentials = secured ? ClusterCredentials.read(clusterDirectory) : ClusterCredentials.generate();
        EmbeddedPostgres postgres;
        if (newCluster) {
            // initdb sets the superuser's password from a file (zonky passes its "locale" settings to initdb
            // as --key=value, after its own "-A trust", so ours win); the credentials are kept first so that
            // an initdb cut short is redone with the same passwords.
            if (!secured) {
                credentials.write(clusterDirectory);
            }
            Path passwordFile = clusterDirectory.resolveSibling(clusterDirectory.getFileName() + ".initdb-password");
            ClusterCredentials.writePrivately(passwordFile, credentials.superuserPassword() + "\n");
            try {
                postgres = builder(clusterDirectory, binariesDirectory, credentials, true)
                        .setLocaleConfig("pwfile", passwordFile.toString())
                        .setLocaleConfig("auth", "scram-sha-256")
                        .setPort(port)
                        .start();
            } finally {
                Files.deleteIfExists(passwordFile);
            }
        } else if (secured) {
            postgres = builder(clusterDirectory, binariesDirectory, credentials, true).setPort(port).start();
        } else {
            // A cluster from before the lockdown still trusts every local login: start it as it is, set the
            // passwords, keep them, and only then close the doors.
            postgres = builder(clusterDirectory, binariesDirectory, credentials, false).setPort(port).start();
            execute(postgres, ClusterCredentials.SUPERUSER, credentials.superuserPassword(),
                    "ALTER ROLE " + ClusterCredentials.SUPERUSER + " PASSWORD '" + credentials.superuserPassword() + "'");
            credentials.write(clusterDirectory);
            Files.writeString(clusterDirectory.resolve("pg_hba.conf"), HOST_BASED_AUTHENTICATION);
            execute(postgres, ClusterCredentials.SUPERUSER, credentials.superuserPassword(), "SELECT pg_reload_conf()");
            LOG.warning("Embedded PostgreSQL cluster " + clusterDirectory + " secured: it trusted local logins;"
                    + " password logins over loopback only from now on (the socket goes at the next restart)");
        }
        bootstrapApplicationRole(postgres, credentials);
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, clusterDirectory, binariesDirectory, credentials);
        current = database;
        return database;
    }

    /** Where the binaries go unless configured: the user's own cache, private like the rest of the home. */
    public static Path defaultBinariesDirectory() {
        return Path.of(System.getProperty("user.home"), ".cache", "neurogate", "postgresql");
    }

    /**
     * Our binaries' home: created 0700, or refused when another user owns it or may write to it (they
     * could swap the postgres binary before our next start).
     */
    static void requirePrivateDirectory(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            Files.createDirectories(directory.getParent());
            Files.createDirectory(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        UserPrincipal owner = Files.getOwner(directory);
        String us = System.getProperty("user.name");
        boolean othersMayWrite = permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE);
        if (!owner.getName().equals(us) || othersMayWrite) {
            throw new IOException("the PostgreSQL binaries directory " + directory + " must be owned by " + us
                    + " and writable by no one else (owner " + owner.getName() + ", mode "
                    + PosixFilePermissions.toString(permissions) + "); chmod 700 it or choose another");
        }
    }

    private static EmbeddedPostgres.Builder builder(Path clusterDirectory, Path binariesDirectory,
                                                    ClusterCredentials credentials, boolean lockedDown) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(clusterDirectory)
                .setCleanDataDirectory(false)
                // Zonky makes its working directory world-writable; inside our 0700 directory no one else
                // can reach it.
                .setOverrideWorkingDirectory(binariesDirectory.resolve("zonky").toFile())
                .setConnectConfig("password", credentials.superuserPassword())
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "100")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setPGStartupWait(Duration.ofSeconds(60));
        if (lockedDown) {
            builder.setServerConfig("unix_socket_directories", "''")
                    .setDataDirectoryCustomizer(directory -> {
                        try {
                            Files.writeString(directory.toPath().resolve("pg_hba.conf"), HOST_BASED_AUTHENTICATION);
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot write pg_hba.conf in " + directory, e);
                        }
                    });
        }
        return builder;
    }

    /**
     * The application role owns the schema and its tables (tables made before the lockdown were the
     * superuser's), and no one else may create objects in it. Idempotent: it runs at every start.
     */
    private static void bootstrapApplicationRole(EmbeddedPostgres postgres, ClusterCredentials credentials)
            throws IOException {
        String role = ClusterCredentials.APPLICATION_ROLE;
        execute(postgres, ClusterCredentials.SUPERUSER, credentials.superuserPassword(), """
                DO $$
                DECLARE r record;
                BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%1$s') THEN
                    CREATE ROLE %1$s LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
                  END IF;
                  ALTER ROLE %1$s PASSWORD '%2$s';
                  ALTER SCHEMA public OWNER TO %1$s;
                  REVOKE CREATE ON SCHEMA public FROM PUBLIC;
                  FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                           JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                             AND pg_get_userbyid(c.relowner) <> '%1$s'
                             -- a sequence owned by a column follows its table
                             AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d
                                      WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
                  LOOP
                    EXECUTE format('ALTER %%s %%s OWNER TO %1$s',
                        CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                                       WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.name);
                  END LOOP;
                END $$""".formatted(role, credentials.applicationPassword()));
    }

    private static void execute(EmbeddedPostgres postgres, String user, String password, String sql) throws IOException {
        try (Connection c = postgres.getDatabase(user, DATABASE, Map.of("password", password)).getConnection();
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IOException("embedded PostgreSQL bootstrap failed: " + e.getMessage(), e);
        }
    }

    /** The login every NeuroGate process uses: the application role, never the superuser. */
    public Login login() {
        return new Login(jdbcUrl(port), ClusterCredentials.APPLICATION_ROLE, credentials.applicationPassword());
    }

    /** The login to the server a gateway already runs on this cluster, for a second process (the export CLI). */
    public static Optional<Login> loginToRunning(Path clusterDirectory) throws IOException {
        Optional<Integer> port = runningPort(clusterDirectory);
        if (port.isEmpty()) {
            return Optional.empty();
        }
        ClusterCredentials credentials = ClusterCredentials.read(clusterDirectory);
        return Optional.of(new Login(jdbcUrl(port.get()), ClusterCredentials.APPLICATION_ROLE,
                credentials.applicationPassword()));
    }

    /** A JDBC login; {@link #toString()} leaves the password out. */
    public record Login(String jdbcUrl, String username, String password) {
        @Override
        public String toString() {
            return username + "@" + jdbcUrl;
        }
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
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
     * The port of a server already running on this cluster (a gateway's), from its {@code postmaster.pid}.
     */
    private static Optional<Integer> runningPort(Path clusterDirectory) throws IOException {
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
