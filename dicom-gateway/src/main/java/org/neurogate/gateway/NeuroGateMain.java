package org.neurogate.gateway;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.neurogate.gateway.dicom.DicomScp;
import org.neurogate.persistence.EmbeddedDatabase;

/**
 * Entry point of the gateway process. Without an external database configured, it first starts the
 * embedded PostgreSQL in {@code <data dir>/pgdata}, so that one command runs the whole product.
 */
@QuarkusMain
public class NeuroGateMain implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(NeuroGateMain.class);

    @Inject
    DicomScp scp;

    @Inject
    ProcessConfig process;

    private static volatile boolean stopping;

    /** True once SIGTERM has arrived: readiness is down, and the process stops after the shutdown delay. */
    public static boolean stopping() {
        return stopping;
    }

    @ConfigProperty(name = "quarkus.http.port")
    int httpPort;

    /** Set by {@link #httpsFromTlsSettings()} when a TLS key store is configured. */
    @ConfigProperty(name = "quarkus.tls.key-store.p12.path")
    Optional<String> tlsKeyStore;

    @ConfigProperty(name = "quarkus.http.ssl-port")
    int sslPort;

    public static void main(String... args) throws IOException {
        if (args.length > 0 && args[0].equals("export")) {
            // The research export CLI: the gateway's database and data, without serving DICOM or HTTP.
            System.exit(org.neurogate.gateway.export.ExportCli.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        Path dataDir = Path.of(setting("neurogate.data-dir").orElse("data")).toAbsolutePath();
        // Patient data and keys: only our user may enter (the launcher's umask 077 keeps what we write private too).
        PrivateFiles.directory(dataDir);
        if (setting(SESSION_KEY).isEmpty()) {
            System.setProperty(SESSION_KEY, sessionKey(dataDir));
        }
        java.util.Set<ProcessConfig.Role> roles;
        try {
            roles = ProcessConfig.parse(setting("neurogate.roles").orElse(ProcessConfig.ALL_ROLES));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (roles.size() < ProcessConfig.Role.values().length && setting("quarkus.datasource.jdbc.url").isEmpty()) {
            // The embedded cluster belongs to one process; processes that split the roles share a database.
            System.err.println("NEUROGATE_ROLES=" + setting("neurogate.roles").get() + " needs an external PostgreSQL"
                    + " (QUARKUS_DATASOURCE_JDBC_URL, USERNAME, PASSWORD) that the other processes share");
            System.exit(2);
        }
        if (setting("quarkus.datasource.jdbc.url").isEmpty()) {
            int port = Integer.parseInt(setting("neurogate.embedded-db.port").orElse("0"));
            EmbeddedDatabase database = EmbeddedDatabase.start(dataDir.resolve("pgdata"), port,
                    EarlySettings.embeddedDatabaseBinaries());
            EmbeddedDatabase.Login login = database.login();
            System.setProperty("quarkus.datasource.jdbc.url", login.jdbcUrl());
            System.setProperty("quarkus.datasource.username", login.username());
            System.setProperty("quarkus.datasource.password", login.password());
            embeddedDatabaseInUse = true;
            System.out.printf("Embedded PostgreSQL on port %d, cluster in %s%n", database.port(),
                    database.clusterDirectory());
        }
        httpsFromTlsSettings();
        Quarkus.run(NeuroGateMain.class, args);
    }

    /**
     * With a TLS key store, the API and viewer are served over HTTPS too (Quarkus's TLS registry, the
     * same certificate as DICOM TLS), with HSTS; NEUROGATE_HTTP_REDIRECT_TO_HTTPS=true sends plain HTTP
     * requests to the HTTPS port. Browsers ignore HSTS received over plain HTTP (RFC 6797 8.1), so the
     * header on every response is harmless there.
     */
    private static void httpsFromTlsSettings() {
        Optional<String> keyStore = setting("neurogate.tls.key-store");
        if (keyStore.isEmpty()) {
            return;
        }
        defaultProperty("quarkus.tls.key-store.p12.path", keyStore.get());
        setting("neurogate.tls.key-store-password").ifPresent(p -> defaultProperty("quarkus.tls.key-store.p12.password", p));
        defaultProperty("quarkus.tls.protocols", "TLSv1.3,TLSv1.2");
        defaultProperty("quarkus.http.ssl-port", setting("neurogate.https-port").orElse("8443"));
        defaultProperty("quarkus.http.insecure-requests",
                Boolean.parseBoolean(setting("neurogate.http.redirect-to-https").orElse("false")) ? "redirect" : "enabled");
        defaultProperty("quarkus.http.header.\"Strict-Transport-Security\".value", "max-age=31536000");
    }

    private static void defaultProperty(String name, String value) {
        if (setting(name).isEmpty()) {
            System.setProperty(name, value);
        }
    }

    @Override
    public int run(String... args) {
        // SIGTERM is how a supervisor stops us: a graceful stop and exit status 0, not the JVM's 143
        // (which systemd and Kubernetes report as a failure).
        // Readiness goes down first, so that a load balancer stops sending before anything stops.
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {
            if (stopping) {
                return;
            }
            stopping = true;
            Thread exit = new Thread(() -> {
                LOG.infof("SIGTERM: readiness down; stopping in %s", process.shutdownDelay());
                try {
                    Thread.sleep(process.shutdownDelay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Quarkus.asyncExit(0);
            }, "sigterm");
            exit.setDaemon(true);
            exit.start();
        });
        LOG.infof("NeuroGate is running (roles %s). DICOM port: %s%s (AE title %s). Web port: %d (http://localhost:%d/q/health)%s",
                process.describe(), scp.port() < 0 ? "off" : Integer.toString(scp.port()),
                scp.tlsPort() < 0 ? "" : ", DICOM TLS port: " + scp.tlsPort(), scp.aeTitle(), httpPort, httpPort,
                tlsKeyStore.isPresent() ? ", HTTPS port: " + sslPort : "");
        Quarkus.waitForExit();
        return 0;
    }

    /** The key that encrypts the viewer's session cookies. */
    private static final String SESSION_KEY = "quarkus.http.auth.session.encryption-key";

    /**
     * The session key kept in {@code <data>/session.key} (mode 0600), made at the first start: sessions
     * survive a restart, every process on one data directory shares them, and the key is never logged.
     */
    private static volatile boolean embeddedDatabaseInUse;

    /**
     * True when this process started the embedded PostgreSQL: the datasource settings are then ours, made
     * at each start (a new port every time), not the operator's.
     */
    public static boolean embeddedDatabaseInUse() {
        return embeddedDatabaseInUse;
    }

    private static String sessionKey(Path dataDir) throws IOException {
        return PrivateFiles.key(dataDir.resolve("session.key"));
    }

    private static Optional<String> setting(String property) {
        return EarlySettings.get(property);
    }
}
