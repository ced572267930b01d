package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL holds every patient: a local account that is not ours must not reach it, our
 * own account only with the password the gateway keeps, and even then not as a superuser. Attacks as
 * #15 describes them, with Debian's psql as the attacker's client.
 */
class EmbeddedDatabaseSecuritySystemTest {

    private static GatewayProcess gateway;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        work = TestEnvironment.workDir("db-security");
        gateway = GatewayProcess.start(work.resolve("data"), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void anotherLocalUserCannotLogInOrReadTheCredentials() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to act as another user (CI runs as root)");
        int port = gateway.databasePort();
        for (String role : List.of("postgres", "neurogate")) {
            Result psql = run(List.of("runuser", "-u", "nobody", "--", "psql", "-w", "-h", "127.0.0.1", "-p",
                    Integer.toString(port), "-U", role, "-d", "postgres", "-c", "SELECT 1"), Map.of());
            assertNotEquals(0, psql.exit(), "nobody logged in as " + role + ":\n" + psql.output());
            assertTrue(psql.output().contains("password"), psql.output());
        }
        Result read = run(List.of("runuser", "-u", "nobody", "--", "cat",
                gateway.dataDir().resolve("pgdata.credentials").toString()), Map.of());
        assertNotEquals(0, read.exit(), "nobody read the database passwords");
        assertTrue(read.output().contains("Permission denied"), read.output());
    }

    @Test
    void ourOwnUserNeedsThePasswordAndThereIsNoSocket() throws Exception {
        int port = gateway.databasePort();
        for (String host : List.of("127.0.0.1", "::1")) {
            Result psql = run(List.of("psql", "-w", "-h", host, "-p", Integer.toString(port), "-U", "postgres",
                    "-d", "postgres", "-c", "SELECT 1"), Map.of());
            assertNotEquals(0, psql.exit(), "superuser login without a password over " + host + ":\n" + psql.output());
        }
        // No Unix socket anywhere psql would look for one, and none the server says it made.
        assertFalse(Files.exists(Path.of("/tmp/.s.PGSQL." + port)), "a socket in /tmp");
        assertFalse(Files.exists(Path.of("/var/run/postgresql/.s.PGSQL." + port)), "a socket in /var/run/postgresql");
        try (Connection c = gateway.databaseAsSuperuser(); Statement st = c.createStatement()) {
            assertEquals("", single(st, "SHOW unix_socket_directories"));
            assertEquals("localhost", single(st, "SHOW listen_addresses"));
            assertEquals("scram-sha-256", single(st, "SHOW password_encryption"));
        }
        String hba = Files.readString(gateway.dataDir().resolve("pgdata").resolve("pg_hba.conf"));
        List<String> entries = hba.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertFalse(entries.isEmpty());
        for (String entry : entries) {
            assertTrue(entry.startsWith("host ") && entry.endsWith("scram-sha-256"), "pg_hba entry: " + entry);
            assertFalse(entry.contains("replication"), "pg_hba entry: " + entry);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(gateway.dataDir().resolve("pgdata.credentials"))));
    }

    @Test
    void theApplicationRoleIsNoSuperuserAndCannotRunPrograms() throws Exception {
        try (Connection c = gateway.database(); Statement st = c.createStatement()) {
            assertEquals("neurogate", single(st, "SELECT current_user"));
            assertEquals("f", single(st, "SELECT rolsuper::text::char FROM pg_roles WHERE rolname = current_user"));
            SQLException refused = assertThrows(SQLException.class,
                    () -> st.execute("COPY (SELECT 1) TO PROGRAM 'id'"));
            assertTrue(refused.getMessage().contains("superuser") || refused.getMessage().contains("pg_execute_server_program"),
                    refused.getMessage());
            assertThrows(SQLException.class, () -> st.execute("ALTER ROLE neurogate SUPERUSER"));
            // It owns what it needs: every table of the catalog.
            assertEquals("0", single(st, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'neurogate'"));
        }
    }

    @Test
    void thePostgresBinariesLieInADirectoryOnlyWeCanWrite() throws Exception {
        List<String> pidFile = Files.readAllLines(gateway.dataDir().resolve("pgdata").resolve("postmaster.pid"));
        Path executable = Path.of("/proc", pidFile.get(0).trim(), "exe").toRealPath();
        assertFalse(executable.startsWith("/tmp"), "postgres runs from " + executable);
        // Every directory above the binary is ours alone to write, or root's; a writable one anywhere on
        // the way would let another user swap the binary before our next start.
        for (Path dir = executable.getParent(); dir != null; dir = dir.getParent()) {
            String owner = Files.getOwner(dir).getName();
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
            boolean othersWrite = mode.charAt(4) == 'w' || mode.charAt(7) == 'w';
            boolean shieldedBelowPrivate = hasPrivateAncestor(dir);
            assertTrue(!othersWrite || shieldedBelowPrivate, dir + " is " + mode + " (owner " + owner + ")");
            assertTrue(owner.equals(System.getProperty("user.name")) || owner.equals("root"), dir + " owned by " + owner);
        }
    }

    @Test
    void aClusterFromBeforeTheLockdownIsSecuredAtStart() throws Exception {
        // A data directory as earlier versions left it: the whole schema owned by the superuser, who logs in
        // without a password from anywhere local (zonky's trust-everyone pg_hba.conf), and no credentials file.
        Path data = work.resolve("legacy-data");
        GatewayProcess.start(data, Map.of()).close();
        Path cluster = data.resolve("pgdata");
        Files.writeString(cluster.resolve("pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n"
                + "host all all ::1/128 trust\n");
        Files.delete(data.resolve("pgdata.credentials"));
        try (EmbeddedPostgres legacy = EmbeddedPostgres.builder().setDataDirectory(cluster)
                .setCleanDataDirectory(false).setPort(TestEnvironment.freePort()).start();
             Connection c = legacy.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("REASSIGN OWNED BY neurogate TO postgres");
            st.execute("DROP OWNED BY neurogate");
            st.execute("DROP ROLE neurogate");
            st.execute("ALTER ROLE postgres PASSWORD NULL");
            st.execute("CREATE TABLE legacy_probe (id bigserial PRIMARY KEY, note text)");
            st.execute("INSERT INTO legacy_probe (note) VALUES ('kept')");
        }
        try (GatewayProcess upgraded = GatewayProcess.start(data, Map.of())) {
            int port = upgraded.databasePort();
            Result psql = run(List.of("psql", "-w", "-h", "127.0.0.1", "-p", Integer.toString(port),
                    "-U", "postgres", "-d", "postgres", "-c", "SELECT 1"), Map.of());
            assertNotEquals(0, psql.exit(), "the old cluster still trusts:\n" + psql.output());
            try (Connection c = upgraded.database(); Statement st = c.createStatement()) {
                assertEquals("kept", single(st, "SELECT note FROM legacy_probe"));
                assertEquals("0", single(st, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                        + " AND tableowner <> 'neurogate'"));
                st.execute("INSERT INTO legacy_probe (note) VALUES ('the sequence followed its table')");
            }
            assertTrue(upgraded.log().contains("secured: it trusted local logins"), "the upgrade is logged");
        }
    }

    private static boolean hasPrivateAncestor(Path dir) throws IOException {
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
            if (mode.endsWith("------") && Files.getOwner(p).getName().equals(System.getProperty("user.name"))) {
                return true;
            }
        }
        return false;
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    record Result(int exit, String output) {
    }

    private static Result run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        builder.environment().remove("PGPASSWORD");
        builder.environment().putAll(env);
        builder.environment().put("PGCONNECT_TIMEOUT", "5");
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still running: " + command);
        return new Result(p.exitValue(), output);
    }
}
