package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neurogate.phantoms.AcquisitionOptions;
import org.neurogate.phantoms.PhantomStudy;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * Receivers, workers and a delivery process as separate processes on one external PostgreSQL (Debian's
 * server, its own process) and one shared instance store, as a scaled-out site runs them.
 */
class ScaleOutSystemTest {

    private static final int STUDIES = 20;

    /**
     * Two receivers (one also serving the web), two workers and one delivery process. Twenty phantom
     * studies go to the receivers in turn, and every fourth has its series split across both at once;
     * one worker is killed (kill -9) in the middle of a job and restarted, and one receiver in the
     * middle of a push, which the sender then sends again to the other. Each study then has exactly
     * one DONE job, the PACS (storescp) exactly one SR per study and one copy of every object, and no
     * instance is recorded twice.
     */
    @Test
    void twoReceiversTwoWorkersAndADeliveryProcessDoEverythingExactlyOnce() throws Exception {
        Path work = TestEnvironment.workDir("scale-out");
        Path store = work.resolve("store");
        Files.createDirectories(store);
        Path pacsDir = work.resolve("pacs");
        Files.createDirectories(pacsDir);
        int pacsPort = TestEnvironment.freePort();
        Process pacs = Dcmtk.start(List.of("storescp", "-aet", "PACS", "-uf", "-od", pacsDir.toString(),
                Integer.toString(pacsPort)), work.resolve("storescp.log"));
        List<GatewayProcess> processes = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try (ExternalPostgres database = ExternalPostgres.start()) {
            try {
                exactlyOnce(database, store, pacsDir, pacsPort, processes, senders);
            } finally {
                for (GatewayProcess p : processes) {
                    p.close(); // before the database goes
                }
            }
        } finally {
            senders.shutdownNow();
            pacs.destroy();
        }
    }

    private static void exactlyOnce(ExternalPostgres database, Path store, Path pacsDir, int pacsPort,
                                    List<GatewayProcess> processes, ExecutorService senders) throws Exception {
        Path work = store.getParent();
        {
            Map<String, String> shared = new HashMap<>(database.gatewayEnv());
            shared.put("NEUROGATE_FORWARD_TO", "PACS@localhost:" + pacsPort);
            shared.put("NEUROGATE_STUDY_STABLE_SECONDS", "3");
            shared.put("NEUROGATE_JOB_LEASE_SECONDS", "10");
            // Longer than a sender takes to start again elsewhere, so a cut series is not completed half-received.
            shared.put("NEUROGATE_SERIES_STABLE_SECONDS", "6");
            // Started together, as a deployment's pods are: migrations, keys and the reference pack are
            // made once whoever comes first.
            Map<String, String> roles = new java.util.LinkedHashMap<>();
            roles.put("receiver-a", "receiver,web");
            roles.put("receiver-b", "receiver");
            roles.put("worker-1", "worker");
            roles.put("worker-2", "worker");
            roles.put("delivery", "delivery");
            List<Future<GatewayProcess>> starting = new ArrayList<>();
            ExecutorService starter = Executors.newFixedThreadPool(roles.size());
            for (var role : roles.entrySet()) {
                Map<String, String> env = new HashMap<>(shared);
                env.put("NEUROGATE_ROLES", role.getValue());
                starting.add(starter.submit(() -> GatewayProcess.startNamed(store, role.getKey(), env)));
            }
            for (Future<GatewayProcess> f : starting) {
                processes.add(f.get());
            }
            starter.shutdown();
            GatewayProcess receiverA = processes.get(0);
            GatewayProcess receiverB = processes.get(1);
            GatewayProcess worker = processes.get(2);

            assertEquals(200, receiverA.get("/api/studies", true).statusCode(), "the web role serves the API");
            assertEquals(404, worker.get("/api/studies", true).statusCode(), "a worker serves no API");
            assertEquals(200, worker.get("/q/health/ready", false).statusCode(), "but its probes");
            assertEquals(0, Dcmtk.echoscu("STORESCU", "NEUROGATE", receiverB.dicomPort()).exitCode(), "receiver B answers C-ECHO");
            assertTrue(worker.log().contains("DICOM SCP off"), "a worker opens no DICOM port");

            List<Future<Dcmtk.Result>> pushes = new ArrayList<>();
            List<Path> lastTwo = new ArrayList<>();
            int instances = 0;
            for (int s = 0; s < STUDIES; s++) {
                Path study = work.resolve("study-" + s);
                PhantomStudy.write(new Subject(3100 + s, 55 + s, s % 2 == 0 ? Subject.Sex.F : Subject.Sex.M,
                        Subject.Diagnosis.CN, 0, 0, 0, Vec3.ZERO, 0, s % 3 == 0 ? 1 : 0, s % 3 == 0 ? 12 : 0),
                        new AcquisitionOptions(AcquisitionOptions.Plane.AXIAL, 0, false,
                                AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30), study);
                List<Path> series;
                try (Stream<Path> dirs = Files.list(study.resolve("dicom"))) {
                    series = dirs.sorted().toList();
                }
                if (s % 4 == 0) {
                    // The same study's series arrive at both receivers at the same time.
                    List<Path> first = new ArrayList<>();
                    List<Path> second = new ArrayList<>();
                    for (int i = 0; i < series.size(); i++) {
                        (i % 2 == 0 ? first : second).addAll(TestEnvironment.dicomFiles(series.get(i)));
                    }
                    instances += first.size() + second.size();
                    pushes.add(senders.submit(() -> Dcmtk.storescu("STORESCU", receiverA.dicomPort(), List.of(), first)));
                    pushes.add(senders.submit(() -> Dcmtk.storescu("STORESCU", receiverB.dicomPort(), List.of(), second)));
                } else if (s >= STUDIES - 2) {
                    lastTwo.addAll(TestEnvironment.dicomFiles(study.resolve("dicom")));
                    instances += TestEnvironment.dicomFiles(study.resolve("dicom")).size();
                } else {
                    List<Path> files = TestEnvironment.dicomFiles(study.resolve("dicom"));
                    instances += files.size();
                    GatewayProcess to = s % 2 == 0 ? receiverA : receiverB;
                    pushes.add(senders.submit(() -> Dcmtk.storescu("STORESCU", to.dicomPort(), List.of(), files)));
                }
            }
            // A worker killed in the middle of a job, and restarted as its supervisor would: the job's
            // lease runs out and a worker takes it again, and it still gives one report.
            GatewayProcess killed = processes.get(3);
            long midJob = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (occurrences(killed.log(), ", attempt ") <= occurrences(killed.log(), " done in ")) {
                assertTrue(System.nanoTime() < midJob, "worker-2 was never in the middle of a job");
                Thread.sleep(100);
            }
            killed.kill9();
            killed.restart();
            for (Future<Dcmtk.Result> push : pushes) {
                Dcmtk.Result sent = push.get();
                assertEquals(0, sent.exitCode(), sent.output());
            }
            // A receiver killed in the middle of a push: the sender sends everything again to the other
            // receiver. What the killed one acknowledged is kept, what it had not is not, and nothing
            // is recorded twice. Restarted, it clears its dead predecessor's spool folder.
            int opened = occurrences(receiverB.log(), "accepted:");
            Dcmtk.Background cut = Dcmtk.storescuInBackground("STORESCU", receiverB.dicomPort(), lastTwo,
                    work.resolve("storescu-cut.log"));
            while (occurrences(receiverB.log(), "accepted:") == opened) {
                Thread.sleep(20);
            }
            Thread.sleep(500);
            receiverB.kill9();
            Dcmtk.Result retried = Dcmtk.storescu("STORESCU", receiverA.dicomPort(), List.of(), lastTwo);
            assertEquals(0, retried.exitCode(), retried.output());
            assertTrue(cut.finish().exitCode() != 0, "the killed receiver's push was cut in the middle");
            receiverB.restart();

            try (Connection c = database.connect()) {
                long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
                while (count(c, "SELECT count(*) FROM analysis_job WHERE state = 'DONE'") < STUDIES
                        || count(c, "SELECT count(*) FROM outbox WHERE state <> 'SENT'") > 0
                        || count(c, "SELECT count(*) FROM outbox") == 0) {
                    assertTrue(System.nanoTime() < deadline, "not all studies analysed and delivered in time: "
                            + count(c, "SELECT count(*) FROM analysis_job WHERE state = 'DONE'") + " DONE, "
                            + count(c, "SELECT count(*) FROM outbox WHERE state <> 'SENT'") + " deliveries not sent");
                    assertEquals(0, count(c, "SELECT count(*) FROM analysis_job WHERE state = 'FAILED'"), "failed jobs");
                    Thread.sleep(1000);
                }
                Thread.sleep(5000); // time for anything sent twice to arrive
                assertEquals(STUDIES, count(c, "SELECT count(*) FROM study"), "studies");
                assertEquals(STUDIES, count(c, "SELECT count(*) FROM analysis_job"), "one job per study, and no other");
                assertEquals(STUDIES, count(c, "SELECT count(DISTINCT study_ref) FROM analysis_job WHERE state = 'DONE'"),
                        "every study has its DONE job");
                assertEquals(instances, count(c, "SELECT count(*) FROM instance"), "every instance recorded once");
                assertEquals(instances, count(c, "SELECT count(DISTINCT sop_instance_uid) FROM instance"), "no duplicates");
                assertEquals(0, count(c, "SELECT count(*) FROM series WHERE state <> 'COMPLETE'"), "series complete");
                long delivered = count(c, "SELECT count(*) FROM outbox WHERE state = 'SENT'");
                List<Path> received;
                try (Stream<Path> files = Files.list(pacsDir)) {
                    received = files.toList();
                }
                assertEquals(delivered, received.size(), "the PACS has each delivered object once");
                assertEquals(STUDIES, received.stream().filter(f -> f.getFileName().toString().startsWith("SR")).count(),
                        "one SR per study at the PACS");
                assertEquals(count(c, "SELECT count(*) FROM report_object WHERE kind = 'SEG'"),
                        received.stream().filter(f -> f.getFileName().toString().startsWith("SG")).count(),
                        "one copy of each SEG at the PACS");
                assertTrue(count(c, "SELECT count(DISTINCT worker) FROM analysis_job") >= 2, "both workers took jobs");
                assertTrue(count(c, "SELECT count(*) FROM analysis_job WHERE attempts >= 2") >= 1,
                        "the killed worker's job was taken again");
                assertEquals(0, count(c, DeployManifestsTest.workerScalingQuery()),
                        "the Kubernetes worker autoscaler's queue query runs on the real schema: nothing queued now");
                long storedByA = stored(receiverA);
                long storedByB = stored(receiverB);
                assertTrue(storedByA > 0 && storedByB > 0, "both receivers took part: " + storedByA + " and " + storedByB);
                System.out.printf("Scale-out: %d studies (%d with series split across the receivers, 2 cut by a killed "
                        + "receiver and sent again to the other), %d instances (acknowledged: %d by receiver A, %d by B in its "
                        + "finished associations), %d DONE jobs, %d SRs and %d objects at the PACS, 0 duplicates%n",
                        STUDIES, (STUDIES + 3) / 4, instances, storedByA, storedByB,
                        count(c, "SELECT count(*) FROM analysis_job WHERE state = 'DONE'"), STUDIES, received.size());
            }
        }
    }

    private static int occurrences(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    /** The instances a receiver acknowledged, from its association log lines ("released: N stored, ..."). */
    private static long stored(GatewayProcess receiver) throws java.io.IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("released: (\\d+) stored").matcher(receiver.log());
        long total = 0;
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
