package org.neurogate.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's PostgreSQL server as its own process on a free port, as a site's external database is:
 * {@code initdb}, {@code pg_ctl start}, then a database owned by a NeuroGate login role. Every
 * multi-process test shares one through {@link #gatewayEnv()}. PostgreSQL refuses to run as root, so
 * under root (CI) the server runs as the {@code postgres} user the Debian package created.
 */
final class ExternalPostgres implements AutoCloseable {

    private static final String DATABASE = "neurogate";
    private static final String ROLE = "neurogate";

    private final Path dir;
    private final Path bin;
    private final int port;
    private final String superuserPassword;
    private final String password;

    private ExternalPostgres(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.superuserPassword = secret();
        this.password = secret();
    }

    /** A new cluster in a fresh folder under /tmp (where the postgres user can reach it), started and ready. */
    static ExternalPostgres start() throws Exception {
        Path bin = serverBinaries();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "neurogate-external-pg-");
        ExternalPostgres pg = new ExternalPostgres(dir, bin, TestEnvironment.freePort());
        pg.initialise();
        pg.startServer();
        try (Connection c = DriverManager.getConnection(pg.url("postgres"), "postgres", pg.superuserPassword);
             Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + pg.password + "'");
            st.execute("CREATE DATABASE " + DATABASE + " OWNER " + ROLE);
        }
        return pg;
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} with {@code pg_ctl}. */
    private static Path serverBinaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
                        .orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            }
        }
        throw new IllegalStateException("Debian's PostgreSQL server is needed for the multi-process tests:"
                + " apt-get install postgresql");
    }

    private void initialise() throws Exception {
        Path passwordFile = dir.resolve("superuser.password");
        Files.writeString(passwordFile, superuserPassword + "\n", StandardCharsets.UTF_8);
        if (asRoot()) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
            run(List.of("chmod", "700", dir.toString()));
        }
        runAsServerUser(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("cluster").toString(), "-U", "postgres",
                "-A", "scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8", "--no-instructions"));
    }

    /** Starts the server (again, after {@link #stopServer()}) on the same port and cluster; waits until it accepts. */
    void startServer() throws Exception {
        runAsServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("cluster").toString(),
                "-l", dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c max_connections=300", "start"));
    }

    /** A fast shutdown: the server closes every connection, as a database failover does. */
    void stopServer() throws Exception {
        runAsServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("cluster").toString(),
                "-m", "fast", "-w", "stop"));
    }

    /** What a gateway process needs to use this server as its external database. */
    Map<String, String> gatewayEnv() {
        return Map.of("QUARKUS_DATASOURCE_JDBC_URL", url(DATABASE), "QUARKUS_DATASOURCE_USERNAME", ROLE,
                "QUARKUS_DATASOURCE_PASSWORD", password);
    }

    /** A connection as NeuroGate's role, to check what the processes recorded. */
    Connection connect() throws Exception {
        return DriverManager.getConnection(url(DATABASE), ROLE, password);
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() throws Exception {
        try {
            stopServer();
        } finally {
            run(List.of("rm", "-rf", dir.toString()));
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void runAsServerUser(List<String> command) throws Exception {
        List<String> full = new ArrayList<>();
        if (asRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output + "\n" + log);
        }
    }

    private static String secret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
