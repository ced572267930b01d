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

    @ConfigProperty(name = "quarkus.http.port")
    int httpPort;

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
        if (setting("quarkus.datasource.jdbc.url").isEmpty()) {
            int port = Integer.parseInt(setting("neurogate.embedded-db.port").orElse("0"));
            EmbeddedDatabase database = EmbeddedDatabase.start(dataDir.resolve("pgdata"), port);
            System.setProperty("quarkus.datasource.jdbc.url", database.jdbcUrl());
            System.setProperty("quarkus.datasource.username", database.username());
            System.out.printf("Embedded PostgreSQL on port %d, cluster in %s%n", database.port(),
                    database.clusterDirectory());
        }
        Quarkus.run(NeuroGateMain.class, args);
    }

    @Override
    public int run(String... args) {
        // SIGTERM is how a supervisor stops us: a graceful stop and exit status 0, not the JVM's 143
        // (which systemd and Kubernetes report as a failure).
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> Quarkus.asyncExit(0));
        LOG.infof("NeuroGate is running. DICOM port: %d (AE title %s). Web port: %d (http://localhost:%d/q/health)",
                scp.port(), scp.aeTitle(), httpPort, httpPort);
        Quarkus.waitForExit();
        return 0;
    }

    /** The key that encrypts the viewer's session cookies. */
    private static final String SESSION_KEY = "quarkus.http.auth.session.encryption-key";

    /**
     * The session key kept in {@code <data>/session.key} (mode 0600), made at the first start: sessions
     * survive a restart, every process on one data directory shares them, and the key is never logged.
     */
    private static String sessionKey(Path dataDir) throws IOException {
        Path file = dataDir.resolve("session.key");
        if (!java.nio.file.Files.exists(file)) {
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            PrivateFiles.write(file, java.util.Base64.getEncoder().encodeToString(random));
        }
        return java.nio.file.Files.readString(file).strip();
    }

    private static Optional<String> setting(String property) {
        return EarlySettings.get(property);
    }
}
