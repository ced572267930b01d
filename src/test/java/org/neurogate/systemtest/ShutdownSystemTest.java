package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neurogate.phantoms.AcquisitionOptions;
import org.neurogate.phantoms.PhantomStudy;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * Stopping and crashing cleanly: SIGTERM in the middle of an analysis exits 0 without a JVM crash and
 * the job is done after the restart; SIGTERM in the middle of a push lets the push finish; a JVM crash report goes to the data directory's logs/; a disk
 * without room turns readiness down.
 */
class ShutdownSystemTest {

    @Test
    void sigtermDuringAnAnalysisExitsCleanlyAndTheJobIsDoneAfterRestart() throws Exception {
        Path work = TestEnvironment.workDir("sigterm");
        GatewayProcess gateway = GatewayProcess.startWithLauncher(work.resolve("data"),
                Map.of("NEUROGATE_STUDY_STABLE_SECONDS", "2"));
        try {
            Map<String, Object> truth = PhantomStudy.write(new Subject(733, 66, Subject.Sex.F, Subject.Diagnosis.CN, 7, -5, 2,
                    Vec3.ZERO, 0, 0, 0), new AcquisitionOptions(AcquisitionOptions.Plane.AXIAL, 3, false,
                    AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30), work.resolve("study"));
            String study = (String) truth.get("study_instance_uid");
            Dcmtk.Result sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(),
                    TestEnvironment.dicomFiles(work.resolve("study/dicom")));
            assertEquals(0, sent.exitCode(), sent.output());
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!gateway.log().contains(": study " + study + ", attempt")) {
                assertTrue(System.nanoTime() < deadline, "the analysis did not start");
                Thread.sleep(50);
            }
            Thread.sleep(1500); // into the models
            int exit = gateway.terminate();
            String log = gateway.log();
            assertEquals(0, exit, "exit status after SIGTERM; log tail:\n" + tail(log));
            assertTrue(log.contains("given back at shutdown") || log.contains("done in"), tail(log));
            assertTrue(crashFiles(work.resolve("data").resolve("logs")).isEmpty(), "no JVM crash report");
            assertTrue(crashFiles(TestEnvironment.repositoryRoot()).isEmpty(), "no crash report in the working directory");

            gateway.restart();
            gateway.awaitApi("/api/studies/" + study + "/findings", f -> f.path("measurements").size() > 0,
                    Duration.ofSeconds(240));
            System.out.println("SIGTERM during analysis: " + (log.contains("given back at shutdown")
                    ? "job given back, done after restart" : "job finished within the grace period"));
        } finally {
            gateway.close();
        }
    }

    /**
     * SIGTERM while a sender is in the middle of a push: readiness goes down at once, the listener
     * stops accepting after the shutdown delay, and the open association runs to its end within the
     * grace; every instance is acknowledged and recorded, and the exit status is 0.
     */
    @Test
    void sigtermDuringAPushLetsTheOpenAssociationFinish() throws Exception {
        Path work = TestEnvironment.workDir("sigterm-push");
        GatewayProcess gateway = GatewayProcess.start(work.resolve("data"),
                Map.of("NEUROGATE_SHUTDOWN_DELAY", "1s", "NEUROGATE_SHUTDOWN_GRACE", "60s"));
        try {
            List<Path> files = new java.util.ArrayList<>();
            for (int s = 0; s < 3; s++) {
                PhantomStudy.write(new Subject(741 + s, 60, Subject.Sex.M, Subject.Diagnosis.CN, 0, 0, 0, Vec3.ZERO, 0, 0, 0),
                        new AcquisitionOptions(AcquisitionOptions.Plane.AXIAL, 0, false,
                                AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30), work.resolve("study-" + s));
                files.addAll(TestEnvironment.dicomFiles(work.resolve("study-" + s + "/dicom")));
            }
            Dcmtk.Background push = Dcmtk.storescuInBackground("STORESCU", gateway.dicomPort(), files,
                    work.resolve("storescu.log"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!gateway.log().contains("accepted:")) {
                assertTrue(System.nanoTime() < deadline, "the association did not open");
                Thread.sleep(20);
            }
            Thread.sleep(300);
            ProcessHandle.of(gateway.pid()).orElseThrow().destroy(); // SIGTERM
            assertEquals(503, gateway.get("/q/health/ready", false).statusCode(), "readiness down first");
            Dcmtk.Result sent = push.finish();
            assertEquals(0, sent.exitCode(), sent.output());
            int exit = gateway.terminate();
            String log = gateway.log();
            assertEquals(0, exit, tail(log));
            assertTrue(log.contains("waiting up to PT1M for 1 open association(s)"), "the push outlived the delay: " + tail(log));
            assertTrue(log.contains("released: " + files.size() + " stored, 0 refused"), tail(log));
            gateway.restart();
            try (java.sql.Connection c = gateway.database(); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM instance")) {
                rs.next();
                assertEquals(files.size(), rs.getLong(1), "every acknowledged instance is recorded");
            }
        } finally {
            gateway.close();
        }
    }

    @Test
    void aJvmCrashReportGoesToTheDataDirectorysLogs() throws Exception {
        Path work = TestEnvironment.workDir("crash-file");
        GatewayProcess gateway = GatewayProcess.startWithLauncher(work.resolve("data"), Map.of());
        long pid = gateway.pid();
        new ProcessBuilder("kill", "-SEGV", Long.toString(pid)).inheritIO().start().waitFor();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (gateway.alive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.isRegularFile(work.resolve("data").resolve("logs").resolve("hs_err_pid" + pid + ".log")),
                "crash report in data/logs: " + crashFiles(work.resolve("data").resolve("logs")));
        assertTrue(crashFiles(TestEnvironment.repositoryRoot()).isEmpty(), "none in the working directory");
        // The next start stops the PostgreSQL server the crashed process left behind, and serves again.
        gateway.restart();
        assertEquals(0, Dcmtk.echoscu("STORESCU", "NEUROGATE", gateway.dicomPort()).exitCode());
        gateway.close();
    }

    @Test
    void aFullDiskTurnsReadinessDownAndRefusesStores() throws Exception {
        Path work = TestEnvironment.workDir("full-disk");
        try (GatewayProcess gateway = GatewayProcess.startAlive(work.resolve("data"),
                Map.of("NEUROGATE_STORAGE_MIN_FREE_BYTES", "1000000000000000000"))) {
            var ready = gateway.get("/q/health/ready", false);
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("disk-space") && ready.body().contains("reportsFreeBytes"), ready.body());
            List<Path> series = org.neurogate.phantoms.SyntheticMrSeries.write(
                    new org.neurogate.phantoms.SyntheticMrSeries.Spec(717, 0, 2, 64, 1.0), work.resolve("series"));
            Dcmtk.Result sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), series);
            assertEquals(0, sent.successes(), sent.output());
            assertTrue(gateway.log().contains("refused with 0xA700: out of disk space"));
        }
    }

    private static List<Path> crashFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
        }
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }
}
