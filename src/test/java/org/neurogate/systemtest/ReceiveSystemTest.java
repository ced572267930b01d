package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurogate.phantoms.AcquisitionOptions;
import org.neurogate.phantoms.PhantomStudy;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.geometry.Vec3;

/** The packaged gateway receiving real scanner data from DCMTK peers. */
class ReceiveSystemTest {

    private static GatewayProcess gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = GatewayProcess.start(TestEnvironment.workDir("receive").resolve("data"), Map.of());
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void realPhilipsT1SeriesIsStoredByteForByteAndCompletes() throws Exception {
        Path sample = TestEnvironment.sharedData("dicom-philips-adni-mprage-t1");
        List<Path> files = TestEnvironment.dicomFiles(sample);
        assertEquals(170, files.size());

        Dcmtk.Result sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), files);
        assertEquals(0, sent.exitCode(), sent.output());
        assertEquals(170, sent.successes(), "every instance acknowledged");
        assertEquals(0, sent.failures());

        String studyUid = DicomFiles.string(files.get(0), TagFromName.StudyInstanceUID);
        JsonNode study = gateway.awaitApi("/api/studies/" + studyUid,
                s -> "COMPLETE".equals(s.path("series").path(0).path("state").asText()), Duration.ofSeconds(30));
        assertEquals(1, study.path("series").size());
        JsonNode series = study.path("series").path(0);
        assertEquals(170, series.path("instanceCount").asInt());
        assertEquals("MR", series.path("modality").asText());
        assertEquals("ADNI_Sag3D MPRAGE", series.path("seriesDescription").asText());
        int studiesWithThisUid = 0;
        for (JsonNode s : gateway.api("/api/studies")) {
            if (studyUid.equals(s.path("studyInstanceUid").asText())) {
                studiesWithThisUid++;
            }
        }
        assertEquals(1, studiesWithThisUid);

        // What storescu put on the wire, captured bit for bit by storescp +B, must be what we stored.
        Map<String, byte[]> wire = captureWithStorescp(
                port -> Dcmtk.storescuCommand("STORESCU", port, List.of(), files));
        assertEquals(170, wire.size());
        for (Path original : files) {
            Path stored = DicomFiles.storedPath(gateway.dataDir(), original);
            assertTrue(Files.isRegularFile(stored), "stored: " + stored);
            String sop = DicomFiles.string(original, TagFromName.SOPInstanceUID);
            assertArrayEquals(wire.get(sop), DicomFiles.dataSetBytes(stored), "data set bytes of " + sop);
        }
    }

    @Test
    void enhancedMultiFrameAndEveryTransferSyntaxAreStoredAsReceived() throws Exception {
        List<Path> syntaxes = TestEnvironment.dicomFiles(TestEnvironment.sharedData("dicom-transfer-syntaxes"));
        List<Path> enhanced = TestEnvironment.dicomFiles(TestEnvironment.sharedData("dicom-siemens-xa30-enhanced"));
        assertEquals(9, syntaxes.size());
        // dcmsend proposes each file's own transfer syntax, compressed ones included. What it put on the
        // wire (captured bit for bit by storescp +B) is what must be stored.
        for (List<Path> batch : List.of(syntaxes, enhanced)) {
            Dcmtk.Result sent = Dcmtk.run(dcmsendCommand(gateway.dicomPort(), batch));
            assertEquals(0, sent.exitCode(), sent.output());
            assertTrue(sent.output().contains("with status SUCCESS  : " + batch.size()), sent.output());
            Map<String, byte[]> wire = captureWithStorescp(port -> dcmsendCommand(port, batch));
            for (Path original : batch) {
                Path stored = DicomFiles.storedPath(gateway.dataDir(), original);
                String sop = DicomFiles.string(original, TagFromName.SOPInstanceUID);
                assertArrayEquals(wire.get(sop), DicomFiles.dataSetBytes(stored), "data set bytes of " + original);
                assertEquals(DicomFiles.string(original, TagFromName.SOPClassUID), DicomFiles.string(stored, TagFromName.SOPClassUID));
            }
        }
        // Compressed syntaxes cannot be converted by the sender: they must arrive and stay as they were.
        for (Path original : syntaxes) {
            String syntax = DicomFiles.string(original, TagFromName.TransferSyntaxUID);
            if (syntax.startsWith("1.2.840.10008.1.2.4") || syntax.equals("1.2.840.10008.1.2.5")) {
                Path stored = DicomFiles.storedPath(gateway.dataDir(), original);
                assertEquals(syntax, DicomFiles.string(stored, TagFromName.TransferSyntaxUID), original.toString());
                assertArrayEquals(DicomFiles.dataSetBytes(original), DicomFiles.dataSetBytes(stored), original.toString());
            }
        }
    }

    private static List<String> dcmsendCommand(int port, List<Path> files) {
        List<String> command = new java.util.ArrayList<>(List.of("dcmsend", "-v", "-aet", "DCMSEND", "-aec", "NEUROGATE",
                "localhost", Integer.toString(port)));
        files.forEach(f -> command.add(f.toString()));
        return command;
    }

    @Test
    void phantomStudiesArriveWithEverySeries() throws Exception {
        Path work = TestEnvironment.workDir("phantom-push");
        for (boolean enhanced : new boolean[] {false, true}) {
            Path study = work.resolve(enhanced ? "enhanced" : "classic");
            Map<String, Object> truth = PhantomStudy.write(
                    new Subject(enhanced ? 802 : 801, 67, Subject.Sex.F, Subject.Diagnosis.CN, 6, -4, 0, Vec3.ZERO, 4, 1, 12),
                    new AcquisitionOptions(AcquisitionOptions.Plane.AXIAL, 5, enhanced,
                            AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30), study);
            List<Path> files = TestEnvironment.dicomFiles(study.resolve("dicom"));
            Dcmtk.Result sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), files);
            assertEquals(0, sent.exitCode(), sent.output());
            assertEquals(files.size(), sent.successes());
            JsonNode received = gateway.awaitApi("/api/studies/" + truth.get("study_instance_uid"),
                    s -> s.path("series").size() == 4 && allComplete(s), Duration.ofSeconds(30));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> series = (List<Map<String, Object>>) truth.get("series");
            for (Map<String, Object> expected : series) {
                JsonNode match = null;
                for (JsonNode s : received.path("series")) {
                    if (s.path("seriesInstanceUid").asText().equals(expected.get("series_instance_uid"))) {
                        match = s;
                    }
                }
                assertTrue(match != null, "series " + expected.get("role") + " arrived");
                assertEquals(((Number) expected.get("instances")).intValue(), match.path("instanceCount").asInt());
                assertEquals("MR", match.path("modality").asText());
            }
        }
    }

    private static boolean allComplete(JsonNode study) {
        for (JsonNode s : study.path("series")) {
            if (!"COMPLETE".equals(s.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void unknownCallingAeIsRejectedAndNamedInTheLog() throws Exception {
        Dcmtk.Result refused = Dcmtk.echoscu("INTRUDER", "NEUROGATE", gateway.dicomPort());
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.output().contains("Calling AE Title Not Recognized"), refused.output());
        assertTrue(gateway.logShows("Rejected association from calling AE 'INTRUDER' at 127.0.0.1", 10), "log names AE and peer");

        Dcmtk.Result wrongCalled = Dcmtk.echoscu("STORESCU", "SOMEONEELSE", gateway.dicomPort());
        assertNotEquals(0, wrongCalled.exitCode());
        assertTrue(wrongCalled.output().contains("Called AE Title Not Recognized"), wrongCalled.output());

        Dcmtk.Result allowed = Dcmtk.echoscu("STORESCU", "NEUROGATE", gateway.dicomPort());
        assertEquals(0, allowed.exitCode(), allowed.output());
    }

    @Test
    void logsCarryUidsButNoPatientData() throws Exception {
        Path sample = TestEnvironment.sharedData("dicom-philips-adni-mprage-t1");
        Path first = TestEnvironment.dicomFiles(sample).get(0);
        Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), List.of(first));
        String log = gateway.log();
        for (var tag : List.of(TagFromName.PatientName, TagFromName.PatientID, TagFromName.PatientBirthDate)) {
            String value = DicomFiles.string(first, tag);
            if (value != null && value.length() > 2) {
                assertFalse(log.contains(value), "log must not contain " + tag);
            }
        }
    }

    /** Runs the same sender against DCMTK storescp in bit-preserving mode; returns data set bytes by SOP Instance UID. */
    private static Map<String, byte[]> captureWithStorescp(java.util.function.IntFunction<List<String>> sender)
            throws Exception {
        Path out = TestEnvironment.workDir("storescp-capture");
        int port = TestEnvironment.freePort();
        Process storescp = Dcmtk.start(List.of("storescp", "+B", "+xa", "-aet", "NEUROGATE", "-od", out.toString(),
                Integer.toString(port)), out.resolveSibling(out.getFileName() + ".log"));
        try {
            Dcmtk.Result sent = null;
            for (int attempt = 0; attempt < 50; attempt++) {
                sent = Dcmtk.run(sender.apply(port));
                if (sent.exitCode() == 0) {
                    break;
                }
                Thread.sleep(100); // storescp still binding its port
            }
            assertEquals(0, sent.exitCode(), sent.output());
        } finally {
            storescp.destroy();
            storescp.waitFor(10, TimeUnit.SECONDS);
        }
        Map<String, byte[]> bySop = new HashMap<>();
        try (Stream<Path> captured = Files.list(out)) {
            for (Path file : captured.toList()) {
                bySop.put(DicomFiles.string(file, TagFromName.SOPInstanceUID), DicomFiles.dataSetBytes(file));
            }
        }
        return bySop;
    }
}
