package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.TagFromName;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    /** Three associations at once with group commit on, so the outage also meets C-STOREs waiting on a shared commit. */
    private static final int ASSOCIATIONS = 3;

    @Test
    void failureStatusWhileTheDatabaseIsDownAndRecoveryAfter() throws Exception {
        Path work = TestEnvironment.workDir("db-outage");
        Path cluster = work.resolve("external-pgdata");
        int pgPort = TestEnvironment.freePort();
        List<List<Path>> series = new ArrayList<>();
        for (int s = 0; s < ASSOCIATIONS; s++) {
            series.add(SyntheticMrSeries.write(new SyntheticMrSeries.Spec(31337, s, 150, 128, 1.0),
                    work.resolve("series-" + s)));
        }
        EmbeddedPostgres database = startDatabase(cluster, pgPort);
        try (GatewayProcess gateway = GatewayProcess.start(work.resolve("data"), GatewayProcess.env(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + pgPort + "/postgres",
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "NEUROGATE_AVAILABILITY_DATABASE_DOWN_LIVENESS", "3s",
                "NEUROGATE_STORAGE_GROUP_COMMIT_MAX_INSTANCES", "64"))) {
            List<Dcmtk.Background> senders = new ArrayList<>();
            for (int s = 0; s < ASSOCIATIONS; s++) {
                senders.add(Dcmtk.storescuInBackground("STORESCU", gateway.dicomPort(), series.get(s),
                        work.resolve("storescu-" + s + ".log")));
            }
            gateway.awaitMetric("neurogate_instances_received_total", 30, Duration.ofSeconds(60));
            database.close();
            List<Dcmtk.Result> sent = new ArrayList<>();
            for (Dcmtk.Background sender : senders) {
                sent.add(sender.finish());
            }
            assertTrue(sent.stream().allMatch(r -> r.failures() > 0),
                    "instances sent while the database was down must fail on every association");
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
            String studyUid = DicomFiles.string(series.get(0).get(0), TagFromName.StudyInstanceUID);
            // Every success a sender saw is recorded. At most one more row per association can exist:
            // the commit in flight when the server went down may have reached the disk while its reply
            // did not, and those senders were told "failure" (safe: a retry is acknowledged as a duplicate).
            JsonNode study = gateway.awaitApi("/api/studies/" + studyUid, st -> true, Duration.ofSeconds(60));
            for (int s = 0; s < ASSOCIATIONS; s++) {
                long acknowledged = sent.get(s).successes();
                long recorded = instanceCount(study, series.get(s).get(0));
                assertTrue(recorded >= acknowledged && recorded <= acknowledged + 1,
                        "series " + s + ": recorded " + recorded + ", acknowledged " + acknowledged);
                for (Path file : series.get(s).subList(0, (int) acknowledged)) {
                    assertTrue(Files.isRegularFile(DicomFiles.storedPath(gateway.dataDir(), file)));
                }
            }

            for (int s = 0; s < ASSOCIATIONS; s++) {
                List<Path> files = series.get(s);
                Dcmtk.Result resent = null;
                for (int attempt = 0; attempt < 20; attempt++) {
                    resent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), files);
                    if (resent.successes() == files.size()) {
                        break;
                    }
                    Thread.sleep(1000); // the pool re-validates its connections
                }
                assertEquals(files.size(), resent.successes(), resent.output());
            }
            JsonNode after = gateway.api("/api/studies/" + studyUid);
            for (int s = 0; s < ASSOCIATIONS; s++) {
                assertEquals(series.get(s).size(), instanceCount(after, series.get(s).get(0)), "series " + s);
            }
        } finally {
            database.close();
        }
    }

    private static long instanceCount(JsonNode study, Path fileOfSeries) throws Exception {
        String seriesUid = DicomFiles.string(fileOfSeries, TagFromName.SeriesInstanceUID);
        for (JsonNode node : study.path("series")) {
            if (seriesUid.equals(node.path("seriesInstanceUid").asText())) {
                return node.path("instanceCount").asLong();
            }
        }
        return 0;
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
