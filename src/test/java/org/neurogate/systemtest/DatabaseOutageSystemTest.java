package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.TagFromName;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurogate.phantoms.SyntheticMrSeries;

/**
 * PostgreSQL stops while instances arrive: NeuroGate must answer failure, never success, for what it
 * could not record, and resume once the database is back. The gateway uses this test's server as an
 * external database (QUARKUS_DATASOURCE_JDBC_URL), which is also the path a hospital install takes.
 */
class DatabaseOutageSystemTest {

    @Test
    void failureStatusWhileTheDatabaseIsDownAndRecoveryAfter() throws Exception {
        Path work = TestEnvironment.workDir("db-outage");
        Path cluster = work.resolve("external-pgdata");
        int pgPort = TestEnvironment.freePort();
        List<Path> files = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(31337, 0, 150, 128, 1.0), work.resolve("series"));
        EmbeddedPostgres database = startDatabase(cluster, pgPort);
        try (GatewayProcess gateway = GatewayProcess.start(work.resolve("data"), GatewayProcess.env(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + pgPort + "/postgres",
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "NEUROGATE_AVAILABILITY_DATABASE_DOWN_LIVENESS", "3s"))) {
            Dcmtk.Background storescu = Dcmtk.storescuInBackground("STORESCU", gateway.dicomPort(), files,
                    work.resolve("storescu.log"));
            gateway.awaitMetric("neurogate_instances_received_total", 10, Duration.ofSeconds(60));
            database.close();
            Dcmtk.Result sent = storescu.finish();
            assertTrue(sent.failures() > 0, "instances sent while the database was down must fail:\n" + sent.output());
            assertTrue(gateway.log().contains("refused with 0xA701"), "database failure status in the log");
            // While the database is down, no one is told all is well: associations are refused, readiness
            // is down, and past the liveness limit liveness is down too, for a supervisor to restart us.
            Dcmtk.Result echo = Dcmtk.echoscu("STORESCU", "NEUROGATE", gateway.dicomPort());
            assertTrue(echo.exitCode() != 0, "C-ECHO must not succeed while the database is down:\n" + echo.output());
            assertEquals(503, gateway.get("/q/health/ready", false).statusCode());
            awaitStatus(gateway, "/q/health/live", 503, Duration.ofSeconds(20));

            database = startDatabase(cluster, pgPort);
            awaitStatus(gateway, "/q/health/live", 200, Duration.ofSeconds(20));
            awaitStatus(gateway, "/q/health/ready", 200, Duration.ofSeconds(20));
            assertEquals(0, Dcmtk.echoscu("STORESCU", "NEUROGATE", gateway.dicomPort()).exitCode());
            String studyUid = DicomFiles.string(files.get(0), TagFromName.StudyInstanceUID);
            // Every success the sender saw is recorded. At most one more row can exist: the commit in
            // flight when the server went down may have reached the disk while its reply did not, and
            // that sender was told "failure" (safe: its retry is then acknowledged as a duplicate).
            JsonNode study = gateway.awaitApi("/api/studies/" + studyUid, s -> true, Duration.ofSeconds(60));
            long recorded = study.path("series").path(0).path("instanceCount").asLong();
            assertTrue(recorded >= sent.successes() && recorded <= sent.successes() + 1,
                    "recorded " + recorded + ", acknowledged " + sent.successes());
            for (Path acknowledged : files.subList(0, (int) sent.successes())) {
                assertTrue(Files.isRegularFile(DicomFiles.storedPath(gateway.dataDir(), acknowledged)));
            }

            Dcmtk.Result resent = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                resent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), files);
                if (resent.successes() == files.size()) {
                    break;
                }
                Thread.sleep(1000); // the pool re-validates its connections
            }
            assertEquals(files.size(), resent.successes(), resent.output());
            JsonNode after = gateway.api("/api/studies/" + studyUid);
            assertEquals(files.size(), after.path("series").path(0).path("instanceCount").asInt());
        } finally {
            database.close();
        }
    }

    private static void awaitStatus(GatewayProcess gateway, String path, int status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = gateway.get(path, false).statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(path + " answered " + last + ", expected " + status + " within " + timeout);
    }

    private static EmbeddedPostgres startDatabase(Path cluster, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(cluster).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start();
    }
}
