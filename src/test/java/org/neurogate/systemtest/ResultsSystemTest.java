package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neurogate.phantoms.AcquisitionOptions;
import org.neurogate.phantoms.PhantomStudy;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * The loop hospitals buy NeuroGate for: a study arrives from the scanner (storescu), is analysed, and
 * its SR and SEGs arrive at the PACS (DCMTK storescp), valid, with the phantom's true values; across
 * a PACS outage and a kill -9 of the gateway, exactly once.
 */
class ResultsSystemTest {

    private static final Pattern NUM = Pattern.compile("NUM:\\(,,\"%s\"\\)=\"([-0-9.eE]+)\"");

    /** storescp as the PACS; -uf gives every received object its own file, so a duplicate would show. */
    private static Process pacs(Path dir, int port) throws IOException {
        Files.createDirectories(dir);
        return Dcmtk.start(List.of("storescp", "-aet", "PACS", "-uf", "-od", dir.toString(), Integer.toString(port)),
                dir.resolveSibling(dir.getFileName() + "-storescp.log"));
    }

    private static List<Path> received(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }

    private static List<Path> await(Path dir, String prefix, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Path> files = received(dir, prefix);
            if (files.size() >= count) {
                Thread.sleep(500); // let storescp finish writing
                return received(dir, prefix);
            }
            Thread.sleep(250);
        }
        throw new AssertionError(count + " " + prefix + " object(s) did not arrive in " + dir + " within " + timeout);
    }

    private static Map<String, Object> phantom(Path dir, long seed, int lesions, double shift) throws IOException {
        return PhantomStudy.write(new Subject(seed, 68, Subject.Sex.M, Subject.Diagnosis.CN, 7, -5, 2, Vec3.ZERO, shift,
                lesions, lesions == 0 ? 0 : 14), new AcquisitionOptions(AcquisitionOptions.Plane.AXIAL, 3, false,
                AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30), dir);
    }

    private static double number(String dump, String meaning) {
        Matcher m = Pattern.compile(String.format(NUM.pattern(), Pattern.quote(meaning))).matcher(dump);
        assertTrue(m.find(), "no NUM '" + meaning + "' in the SR:\n" + dump);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aPhantomStudysSrAndSegArriveAtThePacsWithTheTrueValues() throws Exception {
        Path work = TestEnvironment.workDir("results");
        int pacsPort = TestEnvironment.freePort();
        Process pacs = pacs(work.resolve("pacs"), pacsPort);
        try (GatewayProcess gateway = GatewayProcess.start(work.resolve("data"), GatewayProcess.env(
                "NEUROGATE_FORWARD_TO", "PACS@localhost:" + pacsPort, "NEUROGATE_STUDY_STABLE_SECONDS", "2"))) {
            Map<String, Object> truth = phantom(work.resolve("study"), 901, 1, 6);
            Dcmtk.Result sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(),
                    TestEnvironment.dicomFiles(work.resolve("study/dicom")));
            assertEquals(0, sent.exitCode(), sent.output());
            List<Path> srs = await(work.resolve("pacs"), "SR", 1, Duration.ofSeconds(180));
            List<Path> segs = await(work.resolve("pacs"), "SG", 4, Duration.ofSeconds(30));
            List<Path> checked = new ArrayList<>(segs);
            checked.add(srs.get(0));
            for (Path object : checked) {
                Dcmtk.Result check = Dcmtk.run(List.of("dciodvfy", object.toString()));
                List<String> errors = check.output().lines().filter(l -> l.startsWith("Error")).toList();
                assertTrue(errors.isEmpty(), object.getFileName() + ": " + errors);
            }
            String dump = Dcmtk.run(List.of("dsrdump", srs.get(0).toString())).output();
            double lesion = number(dump, "Infarct");
            double expectedLesion = ((Number) truth.get("lesion_volume_ml")).doubleValue();
            assertTrue(Math.abs(lesion - expectedLesion) / expectedLesion <= 0.10,
                    "SR lesion volume " + lesion + " mL, truth " + expectedLesion + " mL");
            double shift = number(dump, "Midline shift");
            assertEquals(((Number) truth.get("midline_shift_mm")).doubleValue(), shift, 0.5, "SR midline shift");

            String study = (String) truth.get("study_instance_uid");
            // SR, 4 SEGs (infarct, core, structures, ICV), the PDF and the key images.
            JsonNode reports = gateway.awaitApi("/api/studies/" + study + "/reports", r -> r.size() >= 8
                    && allSent(r), Duration.ofSeconds(30));
            Map<String, Integer> kinds = new java.util.TreeMap<>();
            reports.forEach(r -> kinds.merge(r.path("kind").asText(), 1, Integer::sum));
            assertEquals(1, kinds.get("SR"), kinds.toString());
            assertEquals(4, kinds.get("SEG"), kinds.toString());
            assertEquals(1, kinds.get("PDF"), kinds.toString());
            assertTrue(kinds.get("KEY_IMAGES") >= 3, kinds.toString());
            JsonNode findings = gateway.api("/api/studies/" + study + "/findings");
            boolean stored = false;
            for (JsonNode m : findings.path("measurements")) {
                if (m.path("analysis").asText().equals("lesion") && m.path("name").asText().equals("total_volume_ml")) {
                    assertEquals(lesion, m.path("value").asDouble(), 1e-4, "the SR shows the stored value");
                    stored = true;
                }
            }
            assertTrue(stored, findings.toString());
            assertEquals(200, gateway.get("/api/reports/" + reports.get(0).path("sopInstanceUid").asText(), true)
                    .statusCode());
            gateway.awaitMetric("neurogate_outbox_rows{state=\"SENT\"}", reports.size(), Duration.ofSeconds(10));
        } finally {
            pacs.destroy();
        }
    }

    private static boolean allSent(JsonNode reports) {
        for (JsonNode r : reports) {
            if (r.path("deliveries").size() != 1 || !"SENT".equals(r.path("deliveries").path(0).path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void onlyTheKindsInDeliverGoToThePacs() throws Exception {
        Path work = TestEnvironment.workDir("deliver");
        int pacsPort = TestEnvironment.freePort();
        Process pacs = pacs(work.resolve("pacs"), pacsPort);
        try (GatewayProcess gateway = GatewayProcess.start(work.resolve("data"), GatewayProcess.env(
                "NEUROGATE_FORWARD_TO", "PACS@localhost:" + pacsPort, "NEUROGATE_STUDY_STABLE_SECONDS", "2",
                "NEUROGATE_DELIVER", "SR,PDF"))) {
            Map<String, Object> truth = phantom(work.resolve("study"), 904, 0, 0);
            Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), TestEnvironment.dicomFiles(work.resolve("study/dicom")));
            String study = (String) truth.get("study_instance_uid");
            JsonNode reports = gateway.awaitApi("/api/studies/" + study + "/reports", r -> {
                int sent = 0;
                for (JsonNode o : r) {
                    sent += "SENT".equals(o.path("deliveries").path(0).path("state").asText()) ? 1 : 0;
                }
                return sent == 2;
            }, Duration.ofSeconds(180));
            for (JsonNode r : reports) {
                String kind = r.path("kind").asText();
                int deliveries = r.path("deliveries").size();
                assertEquals(kind.equals("SR") || kind.equals("PDF") ? 1 : 0, deliveries, kind + " " + r);
            }
            assertTrue(reports.size() > 2, "SEGs and key images are made and kept all the same: " + reports);
            Thread.sleep(2000);
            assertEquals(1, received(work.resolve("pacs"), "SR").size());
            assertEquals(1, received(work.resolve("pacs"), "PDF").size());
            assertEquals(0, received(work.resolve("pacs"), "SG").size() + received(work.resolve("pacs"), "SC").size());
        } finally {
            pacs.destroy();
        }
    }

    @Test
    void resultsGoBackToTheSenderWaitWhileItIsDownAndArriveOnceItReturns() throws Exception {
        Path work = TestEnvironment.workDir("pacs-down");
        int pacsPort = TestEnvironment.freePort();
        // No FORWARD_TO: the results go back to the sender, STORESCU, at its configured address.
        try (GatewayProcess gateway = GatewayProcess.start(work.resolve("data"), GatewayProcess.env(
                "NEUROGATE_AE_ADDRESSES", "STORESCU@localhost:" + pacsPort, "NEUROGATE_STUDY_STABLE_SECONDS", "2",
                "NEUROGATE_DELIVERY_BACKOFF_SECONDS", "1", "NEUROGATE_DELIVERY_MAX_BACKOFF_SECONDS", "2"))) {
            Map<String, Object> truth = phantom(work.resolve("study"), 902, 0, 0);
            Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), TestEnvironment.dicomFiles(work.resolve("study/dicom")));
            String study = (String) truth.get("study_instance_uid");
            JsonNode failing = gateway.awaitApi("/api/studies/" + study + "/reports", r -> r.size() >= 2
                    && r.path(0).path("deliveries").path(0).path("attempts").asInt() >= 2, Duration.ofSeconds(180));
            assertEquals("PENDING", failing.path(0).path("deliveries").path(0).path("state").asText());
            int objects = failing.size();
            Process pacs = pacs(work.resolve("pacs"), pacsPort);
            try {
                gateway.awaitApi("/api/studies/" + study + "/reports", ResultsSystemTest::allSent, Duration.ofSeconds(60));
                Thread.sleep(3000);
                assertEquals(objects, received(work.resolve("pacs"), "").size(), "each object once, no duplicates");
            } finally {
                pacs.destroy();
            }
        }
    }

    @Test
    void killNineDuringAnalysisStillGivesExactlyOneReport() throws Exception {
        Path work = TestEnvironment.workDir("kill-during-job");
        int pacsPort = TestEnvironment.freePort();
        Process pacs = pacs(work.resolve("pacs"), pacsPort);
        try (GatewayProcess gateway = GatewayProcess.start(work.resolve("data"), GatewayProcess.env(
                "NEUROGATE_FORWARD_TO", "PACS@localhost:" + pacsPort, "NEUROGATE_STUDY_STABLE_SECONDS", "2",
                "NEUROGATE_JOB_LEASE_SECONDS", "6"))) {
            phantom(work.resolve("study"), 903, 1, 3);
            Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), TestEnvironment.dicomFiles(work.resolve("study/dicom")));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!gateway.log().contains("Analysis job") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(gateway.log().contains("Analysis job"), "the analysis started");
            gateway.kill9();
            gateway.restart();
            await(work.resolve("pacs"), "SR", 1, Duration.ofSeconds(180));
            Thread.sleep(8000); // time for a second report, if there were one
            assertEquals(1, received(work.resolve("pacs"), "SR").size(), "exactly one SR");
            assertEquals(4, received(work.resolve("pacs"), "SG").size(), "exactly one SEG of each kind");
            assertTrue(gateway.log().contains("attempt 2"), "the crashed job was taken up again");
        } finally {
            pacs.destroy();
        }
    }

    @Test
    void aRealT1GivesAnSrWithVolumesThroughAnImportedMeshNetPack() throws Exception {
        List<Path> t1 = TestEnvironment.dicomFiles(TestEnvironment.sharedData("dicom-philips-adni-mprage-t1"));
        Path models = TestEnvironment.sharedData("models-brainchop-meshnet-tfjs");
        Path work = TestEnvironment.workDir("real-t1");
        Path pack = work.resolve("meshnet-pack");
        for (String model : List.of("mindgrab", "model18cls")) {
            org.neurogate.inference.models.MeshNetImporter.importInto(models.resolve(model), pack, model, "minmax");
        }
        // The brain-age CNN, imported as an administrator would: ./neurogate models import-brainage.
        Path brainAge = work.resolve("brain-age-pack");
        Process importer = new ProcessBuilder(TestEnvironment.repositoryRoot().resolve("neurogate").toString(), "models",
                "import-brainage", TestEnvironment.sharedData("models-brainage-2dproj-onnx").toString(), "--out",
                brainAge.toString()).directory(TestEnvironment.repositoryRoot().toFile()).redirectErrorStream(true).start();
        String imported = new String(importer.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, importer.waitFor(), imported);
        int pacsPort = TestEnvironment.freePort();
        Process pacs = pacs(work.resolve("pacs"), pacsPort);
        try (GatewayProcess gateway = GatewayProcess.start(work.resolve("data"), GatewayProcess.env(
                "NEUROGATE_FORWARD_TO", "PACS@localhost:" + pacsPort, "NEUROGATE_STUDY_STABLE_SECONDS", "2",
                "NEUROGATE_MODEL_PACKS", pack + ":" + brainAge))) {
            Dcmtk.Result sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), t1);
            assertEquals(0, sent.exitCode(), sent.output());
            List<Path> srs = await(work.resolve("pacs"), "SR", 1, Duration.ofSeconds(420));
            String dump = Dcmtk.run(List.of("dsrdump", srs.get(0).toString())).output();
            double icv = number(dump, "Intracranial volume");
            assertTrue(icv > 1200 && icv < 1900, "ICV " + icv + " mL");
            double left = number(dump, "Left hippocampus");
            assertTrue(left > 3 && left < 6, "left hippocampus " + left + " mL");
            assertTrue(dump.contains("model18cls"), "the SR names the model that produced the volumes");
            // A 41-year-old man: the CNN's age, labelled with the model that produced it.
            double age = number(dump, "Predicted brain age");
            assertTrue(Math.abs(age - 41) <= 8, "brain age " + age + " y for a healthy 41-year-old");
            assertTrue(dump.contains("brainage-2dproj"), "the SR names the brain-age model");
            // On real anatomy too: the structure and ICV SEGs, the key images and the PDF, all valid; OHIF's
            // parser places the hippocampi on the real images and loads both SEGs on the real series.
            List<Path> segs = await(work.resolve("pacs"), "SG", 2, Duration.ofSeconds(60));
            List<Path> everything = new ArrayList<>(segs);
            everything.addAll(srs);
            everything.addAll(await(work.resolve("pacs"), "PDF", 1, Duration.ofSeconds(60)));
            everything.addAll(await(work.resolve("pacs"), "SC", 2, Duration.ofSeconds(60)));
            for (Path object : everything) {
                List<String> errors = Dcmtk.run(List.of("dciodvfy", object.toString())).output().lines()
                        .filter(l -> l.startsWith("Error")).toList();
                assertTrue(errors.isEmpty(), object.getFileName() + ": " + errors);
            }
            JsonNode ohif = Dcmjs.check(srs.get(0), segs, TestEnvironment.sharedData("dicom-philips-adni-mprage-t1"));
            assertTrue(ohif.path("reports").path(0).path("regions").size() >= 2, "both hippocampi: " + ohif);
        } finally {
            pacs.destroy();
        }
    }
}
