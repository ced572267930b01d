package org.neurogate.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.neurogate.persistence.EmbeddedDatabase;

/** A real PostgreSQL (zonky) for {@code @QuarkusTest}s, in a fresh directory, plus a free DICOM port. */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_PASSWORD = "test-operator-secret";
    private EmbeddedDatabase database;

    @Override
    public Map<String, String> start() {
        try {
            Path dataDir = Files.createTempDirectory("neurogate-quarkustest");
            database = EmbeddedDatabase.start(dataDir.resolve("pgdata"), 0, EmbeddedDatabase.defaultBinariesDirectory());
            EmbeddedDatabase.Login login = database.login();
            return Map.of(
                    "quarkus.datasource.jdbc.url", login.jdbcUrl(),
                    "quarkus.datasource.username", login.username(),
                    "quarkus.datasource.password", login.password(),
                    "neurogate.data-dir", dataDir.toString(),
                    "neurogate.dicom-port", Integer.toString(freePort()),
                    "neurogate.allowed-calling-aes", "TESTSCU",
                    "neurogate.series-stable-seconds", "1",
                    "neurogate.admin-password", ADMIN_PASSWORD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        try {
            if (database != null) {
                database.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
