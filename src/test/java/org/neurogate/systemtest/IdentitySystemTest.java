package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurogate.phantoms.SyntheticMrSeries;

/**
 * Nothing is filed under the wrong patient, and every row matches its file: identity conflicts are
 * refused (or quarantined) and listed for the admin, parallel stores of one instance stay consistent,
 * and files left without a row are found at start.
 */
class IdentitySystemTest {

    private static final long SEED = 4242;
    private static final RawScu.Context MR = new RawScu.Context(1, SOPClass.MRImageStorage,
            TransferSyntax.ExplicitVRLittleEndian);

    private static Path work;
    private static GatewayProcess gateway;
    private static List<Path> first;
    private static String studyUid;

    @BeforeAll
    static void start() throws Exception {
        work = TestEnvironment.workDir("identity");
        gateway = GatewayProcess.start(work.resolve("data"), Map.of());
        first = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(SEED, 0, 6, 64, 1.0), work.resolve("first"));
        Dcmtk.Result sent = Dcmtk.storescu("STORESCU", gateway.dicomPort(), List.of(), first);
        assertEquals(first.size(), sent.successes(), sent.output());
        studyUid = DicomFiles.string(first.get(0), TagFromName.StudyInstanceUID);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void anotherPatientUnderAKnownStudyIsRefusedAndListed() throws Exception {
        List<Path> second = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(SEED, 1, 3, 64, 1.0), work.resolve("second"));
        Path other = DicomFiles.mutate(second.get(0), work.resolve("other-patient.dcm"), list -> {
            DicomFiles.set(list, TagFromName.PatientID, "OTHER-PATIENT-77");
            DicomFiles.set(list, TagFromName.PatientName, "Intruder^Bob");
        });
        String sop = DicomFiles.string(other, TagFromName.SOPInstanceUID);
        RawScu.Status status = store(other);
        assertEquals(0xC010, status.code(), status.comment());
        assertTrue(status.comment().startsWith("patient identity conflicts with the stored study"), status.comment());

        String log = gateway.log();
        String line = log.lines().filter(l -> l.contains(sop) && l.contains("0xC010")).findFirst().orElseThrow();
        assertTrue(line.contains(studyUid) && line.contains("PatientID") && line.contains("PatientName"), line);
        assertFalse(log.contains("OTHER-PATIENT-77") || log.contains("Intruder"), "no patient data in the log");

        JsonNode conflicts = gateway.api("/api/admin/conflicts");
        JsonNode conflict = find(conflicts, sop);
        assertEquals("PATIENT_MISMATCH", conflict.path("kind").asText());
        assertEquals("REFUSED", conflict.path("action").asText());
        assertEquals("OTHER-PATIENT-77", conflict.path("receivedPatientId").asText());
        assertEquals("PH" + SEED, conflict.path("storedPatientId").asText());
        assertTrue(gateway.metric("neurogate_identity_conflicts_total") >= 1);
        assertEquals(1, gateway.api("/api/studies/" + studyUid).path("series").size(), "nothing filed under the study");
        assertFalse(Files.exists(DicomFiles.storedPath(gateway.dataDir(), other)));
        assertEquals(401, gateway.get("/api/admin/conflicts", false).statusCode(), "closed without credentials");
    }

    @Test
    void aSopInstanceUidReusedInAnotherSeriesIsRefusedAndATrueDuplicateIsNot() throws Exception {
        Path reused = DicomFiles.mutate(first.get(1), work.resolve("reused.dcm"),
                list -> DicomFiles.set(list, TagFromName.SeriesInstanceUID, SyntheticMrSeries.uid(SEED, "elsewhere")));
        String sop = DicomFiles.string(reused, TagFromName.SOPInstanceUID);
        RawScu.Status status = store(reused);
        assertEquals(0xC012, status.code(), status.comment());
        assertTrue(gateway.log().lines().anyMatch(l -> l.contains("WARN") && l.contains("0xC012") && l.contains(sop)));
        assertEquals(0x0000, store(first.get(1)).code(), "the same instance again is a duplicate: success");
    }

    @Test
    void aKnownSeriesUnderAnotherStudyIsRefused() throws Exception {
        Path moved = DicomFiles.mutate(first.get(2), work.resolve("moved.dcm"), list -> {
            DicomFiles.set(list, TagFromName.StudyInstanceUID, SyntheticMrSeries.uid(SEED, "another-study"));
            DicomFiles.set(list, TagFromName.SOPInstanceUID, SyntheticMrSeries.uid(SEED, "moved-instance"));
        });
        assertEquals(0xC011, store(moved).code());
    }

    @Test
    void parallelStoresOfOneSeriesInTwoTransferSyntaxesLeaveEveryRowMatchingItsFile() throws Exception {
        List<Path> series = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(SEED + 1, 0, 40, 64, 1.0),
                work.resolve("parallel"));
        Dcmtk.Background explicit = new Dcmtk.Background(Dcmtk.start(Dcmtk.storescuCommand("STORESCU",
                gateway.dicomPort(), List.of(), series), work.resolve("explicit.log")), work.resolve("explicit.log"));
        Dcmtk.Background implicit = new Dcmtk.Background(Dcmtk.start(Dcmtk.storescuCommand("STORESCU",
                gateway.dicomPort(), List.of("-xi"), series), work.resolve("implicit.log")), work.resolve("implicit.log"));
        assertEquals(series.size(), explicit.finish().successes());
        assertEquals(series.size(), implicit.finish().successes());
        String seriesUid = DicomFiles.string(series.get(0), TagFromName.SeriesInstanceUID);
        int rows = 0;
        try (Connection c = database(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT i.storage_path, i.transfer_syntax_uid, i.size_bytes FROM instance i "
                     + "JOIN series s ON s.id = i.series_ref WHERE s.series_instance_uid = '" + seriesUid + "'")) {
            while (rs.next()) {
                rows++;
                Path file = gateway.dataDir().resolve(rs.getString(1));
                assertEquals(rs.getLong(3), Files.size(file), "row size = file size for " + file);
                assertEquals(rs.getString(2), DicomFiles.string(file, TagFromName.TransferSyntaxUID),
                        "row transfer syntax = the file's");
            }
        }
        assertEquals(series.size(), rows, "one row per instance");
        try (Stream<Path> files = Files.list(gateway.dataDir().resolve("instances").resolve(
                DicomFiles.string(series.get(0), TagFromName.StudyInstanceUID)).resolve(seriesUid))) {
            assertEquals(series.size(), files.count(), "one file per instance");
        }
    }

    @Test
    void quarantineKeepsTheConflictAsideAndFilesNothing() throws Exception {
        Path qwork = TestEnvironment.workDir("identity-quarantine");
        try (GatewayProcess quarantining = GatewayProcess.start(qwork.resolve("data"), Map.of(
                "NEUROGATE_STORAGE_IDENTITY_CONFLICT", "quarantine"))) {
            assertEquals(first.size(), Dcmtk.storescu("STORESCU", quarantining.dicomPort(), List.of(), first).successes());
            Path other = DicomFiles.mutate(first.get(0), qwork.resolve("other.dcm"), list -> {
                DicomFiles.set(list, TagFromName.PatientBirthDate, "19991231");
                DicomFiles.set(list, TagFromName.SeriesInstanceUID, SyntheticMrSeries.uid(SEED, "q-series"));
                DicomFiles.set(list, TagFromName.SOPInstanceUID, SyntheticMrSeries.uid(SEED, "q-instance"));
            });
            try (RawScu scu = RawScu.associate(quarantining.dicomPort(), "TESTSCU", List.of(MR))) {
                assertEquals(0x0000, scu.store(1, SOPClass.MRImageStorage, DicomFiles.string(other, TagFromName.SOPInstanceUID),
                        DicomFiles.dataSetBytes(other)).code());
            }
            JsonNode conflict = find(quarantining.api("/api/admin/conflicts"), SyntheticMrSeries.uid(SEED, "q-instance"));
            assertEquals("QUARANTINED", conflict.path("action").asText());
            assertEquals("PatientBirthDate", conflict.path("differing").path(0).asText());
            assertTrue(Files.isRegularFile(quarantining.dataDir().resolve(conflict.path("quarantinePath").asText())));
            assertEquals(1, quarantining.api("/api/studies/" + studyUid).path("series").size());
        }
    }

    @Test
    void orphanFilesAreFoundAndDeletedAtStart() throws Exception {
        Path dir = gateway.dataDir().resolve("instances").resolve(studyUid).resolve("1.2.826.0.1.3680043.10.543.77");
        Files.createDirectories(dir);
        Path orphan = Files.copy(first.get(0), dir.resolve("1.2.826.0.1.3680043.10.543.77.1.dcm"));
        Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path recorded = DicomFiles.storedPath(gateway.dataDir(), first.get(0));
        Files.setLastModifiedTime(recorded, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        gateway.close();
        gateway.restart();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!gateway.log().contains("Orphan check:") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(gateway.log().contains("Orphan check: 1 file(s) in instances/ had no catalog row"), "orphan reported");
        assertFalse(Files.exists(orphan), "orphan deleted");
        assertTrue(Files.exists(recorded), "a recorded file is kept");
        assertEquals(1, gateway.metric("neurogate_orphan_files"));
    }

    private static RawScu.Status store(Path file) throws Exception {
        try (RawScu scu = RawScu.associate(gateway.dicomPort(), "TESTSCU", List.of(MR))) {
            return scu.store(1, SOPClass.MRImageStorage, DicomFiles.string(file, TagFromName.SOPInstanceUID),
                    DicomFiles.dataSetBytes(file));
        }
    }

    private static JsonNode find(JsonNode conflicts, String sop) {
        for (JsonNode c : conflicts) {
            if (sop.equals(c.path("sopInstanceUid").asText())) {
                return c;
            }
        }
        throw new AssertionError("no conflict for " + sop + " in " + conflicts);
    }

    private static Connection database() throws Exception {
        return gateway.database();
    }
}
