package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurogate.phantoms.SyntheticMrSeries;

/** Malformed input gets a failure status and a log line with its UIDs; the gateway goes on serving. */
class BadInputSystemTest {

    private static final String MR = SOPClass.MRImageStorage;
    private static final String EXPLICIT_LE = TransferSyntax.ExplicitVRLittleEndian;
    private static final RawScu.Context MR_CONTEXT = new RawScu.Context(1, MR, EXPLICIT_LE);

    private static GatewayProcess gateway;
    private static List<Path> valid;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        work = TestEnvironment.workDir("bad-input");
        // A model pack that cannot be used must be refused by name at start, not stop the gateway.
        Path brokenPack = java.nio.file.Files.createDirectories(work.resolve("broken-pack"));
        java.nio.file.Files.write(brokenPack.resolve("mystery.onnx"), new byte[] {1, 2, 3});
        gateway = GatewayProcess.start(work.resolve("data"), Map.of("NEUROGATE_MODEL_PACKS", brokenPack.toString(),
                "NEUROGATE_STORAGE_MAX_OBJECT_BYTES", "1000000"));
        valid = SyntheticMrSeries.write(new SyntheticMrSeries.Spec(90210, 0, 6, 64, 1.0), work.resolve("valid"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @AfterEach
    void gatewayStillServes() throws Exception {
        Dcmtk.Result echo = Dcmtk.echoscu("STORESCU", "NEUROGATE", gateway.dicomPort());
        assertEquals(0, echo.exitCode(), "C-ECHO after bad input: " + echo.output());
    }

    @Test
    void truncatedDataSetIsRefusedAsUnreadable() throws Exception {
        Path file = valid.get(0);
        byte[] whole = DicomFiles.dataSetBytes(file);
        String sop = DicomFiles.string(file, TagFromName.SOPInstanceUID);
        try (RawScu scu = RawScu.associate(gateway.dicomPort(), "TESTSCU", List.of(MR_CONTEXT))) {
            RawScu.Status status = scu.store(1, MR, sop, Arrays.copyOf(whole, whole.length / 2));
            assertCannotUnderstand(status);
            // The same association carries on: the intact instance is accepted afterwards.
            assertEquals(0x0000, scu.store(1, MR, sop, whole).code());
        }
        assertTrue(gateway.log().contains(sop), "the refusal names the SOP Instance UID");
    }

    @Test
    void dataSetCutInsideItsHeaderIsRefused() throws Exception {
        Path file = valid.get(3);
        byte[] whole = DicomFiles.dataSetBytes(file);
        try (RawScu scu = RawScu.associate(gateway.dicomPort(), "TESTSCU", List.of(MR_CONTEXT))) {
            assertCannotUnderstand(scu.store(1, MR, DicomFiles.string(file, TagFromName.SOPInstanceUID),
                    Arrays.copyOf(whole, 600)));
        }
    }

    @Test
    void aBrokenModelPackIsRefusedByNameAndTheGatewayServesOn() throws Exception {
        String log = gateway.log();
        assertTrue(log.contains("Model pack refused:") && log.contains("mystery.onnx: no manifest"), "log names the pack");
        assertTrue(log.contains("Model reference-tissue"), "the reference pack still loads");
    }

    @Test
    void randomBytesAreRefused() throws Exception {
        byte[] noise = new byte[20_000];
        new Random(7).nextBytes(noise);
        try (RawScu scu = RawScu.associate(gateway.dicomPort(), "TESTSCU", List.of(MR_CONTEXT))) {
            assertCannotUnderstand(scu.store(1, MR, "1.2.826.0.1.3680043.10.543.1", noise));
        }
    }

    @Test
    void dataSetOfAnotherSopClassIsRefusedWithA900() throws Exception {
        Path file = valid.get(1);
        AttributeList list = DicomFiles.read(file);
        Attribute sopClass = list.get(TagFromName.SOPClassUID);
        sopClass.removeValues();
        sopClass.addValue(SOPClass.CTImageStorage);
        Path relabelled = file.resolveSibling("relabelled.dcm");
        list.write(relabelled.toFile(), EXPLICIT_LE, true, true);
        String sop = DicomFiles.string(file, TagFromName.SOPInstanceUID);
        try (RawScu scu = RawScu.associate(gateway.dicomPort(), "TESTSCU", List.of(MR_CONTEXT))) {
            RawScu.Status status = scu.store(1, MR, sop, DicomFiles.dataSetBytes(relabelled));
            assertEquals(0xA900, status.code(), "Data Set does not match SOP Class");
            assertTrue(status.comment() != null && status.comment().length() <= 64);
        }
        assertTrue(gateway.log().contains("refused with 0xA900"));
        assertTrue(gateway.log().contains(sop));
    }

    @Test
    void unknownTransferSyntaxIsRefusedAtNegotiation() throws Exception {
        RawScu.Context unknown = new RawScu.Context(1, MR, "1.2.826.0.1.3680043.10.543.999");
        RawScu.Context known = new RawScu.Context(3, MR, EXPLICIT_LE);
        Path file = valid.get(2);
        try (RawScu scu = RawScu.associate(gateway.dicomPort(), "TESTSCU", List.of(unknown, known))) {
            assertEquals(4, scu.result(1), "transfer-syntaxes-not-supported (PS3.8 9.3.3.2)");
            assertEquals(0, scu.result(3));
            assertEquals(0x0000, scu.store(3, MR, DicomFiles.string(file, TagFromName.SOPInstanceUID),
                    DicomFiles.dataSetBytes(file)).code());
        }
    }

    @Test
    void otherSopClassesAreRefusedAtNegotiation() throws Exception {
        RawScu.Context ct = new RawScu.Context(1, SOPClass.CTImageStorage, EXPLICIT_LE);
        RawScu.Context mr = new RawScu.Context(3, MR, EXPLICIT_LE);
        try (RawScu scu = RawScu.associate(gateway.dicomPort(), "TESTSCU", List.of(ct, mr))) {
            assertEquals(3, scu.result(1), "abstract-syntax-not-supported");
            assertEquals(0, scu.result(3));
        }
    }

    // ---- values the catalog files by: refused by name, never "database unavailable" ----

    @Test
    void anOverLongAccessionNumberIsRefusedByNameAndLeavesNoFile() throws Exception {
        Path file = mutated(valid.get(4), "long-accession", list ->
                DicomFiles.set(list, TagFromName.AccessionNumber, "ACC-12345678901234"));
        RawScu.Status status = storeFile(file);
        assertEquals(0xC003, status.code(), status.comment());
        assertTrue(status.comment().contains("AccessionNumber") && status.comment().contains("16"), status.comment());
        assertFalse(Files.exists(DicomFiles.storedPath(gateway.dataDir(), file)), "no orphan file");
    }

    @Test
    void aDateWrittenWithDashesIsRefusedByName() throws Exception {
        Path file = mutated(valid.get(4), "dashed-date", list ->
                DicomFiles.set(list, TagFromName.PatientBirthDate, "1980-05-01"));
        RawScu.Status status = storeFile(file);
        assertEquals(0xC003, status.code(), status.comment());
        assertTrue(status.comment().contains("PatientBirthDate"), status.comment());
    }

    @Test
    void aMultiValuedUidIsRefused() throws Exception {
        Path file = mutated(valid.get(4), "two-series-uids", list ->
                DicomFiles.set(list, TagFromName.SeriesInstanceUID, "1.2.3", "4.5"));
        RawScu.Status status = storeFile(file);
        assertEquals(0xC001, status.code(), status.comment());
        assertTrue(status.comment().contains("SeriesInstanceUID"), status.comment());
    }

    // ---- broken encodings, each made by mutating a real file ----

    @Test
    void shortPixelDataIsRefused() throws Exception {
        Path file = mutated(valid.get(5), "short-pixels", list -> {
            try {
                Attribute pixels = new com.pixelmed.dicom.OtherWordAttribute(TagFromName.PixelData);
                pixels.setValues(new short[64 * 32]);
                list.put(pixels);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        RawScu.Status status = storeFile(file);
        assertEquals(0xC004, status.code(), status.comment());
        assertTrue(status.comment().startsWith("Pixel Data short"), status.comment());
    }

    @Test
    void emptyPixelDataIsRefused() throws Exception {
        Path file = mutated(valid.get(5), "empty-pixels", list ->
                list.put(new com.pixelmed.dicom.OtherWordAttribute(TagFromName.PixelData)));
        assertEquals(0xC004, storeFile(file).code());
    }

    @Test
    void aStrayDelimiterAtTheTopLevelIsRefused() throws Exception {
        byte[] stray = {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0};
        RawScu.Status status = storeBytes(valid.get(5), concat(stray, DicomFiles.dataSetBytes(valid.get(5))));
        assertEquals(0xC004, status.code(), status.comment());
        assertTrue(status.comment().contains("(FFFE,E0DD)"), status.comment());
    }

    @Test
    void aStrayItemAtTheTopLevelIsRefused() throws Exception {
        byte[] stray = {(byte) 0xFE, (byte) 0xFF, 0, (byte) 0xE0, 4, 0, 0, 0, 1, 2, 3, 4};
        assertCannotUnderstand(storeBytes(valid.get(5), concat(stray, DicomFiles.dataSetBytes(valid.get(5)))));
    }

    @Test
    void aVrThatIsNotAVrIsRefused() throws Exception {
        // (0008,0012) InstanceCreationDate with the VR bytes "ZQ".
        byte[] bad = {0x08, 0, 0x12, 0, 'Z', 'Q', 8, 0, '2', '0', '2', '0', '0', '1', '0', '1'};
        RawScu.Status status = storeBytes(valid.get(5), concat(bad, DicomFiles.dataSetBytes(valid.get(5))));
        assertEquals(0xC004, status.code(), status.comment());
        assertTrue(status.comment().contains("no valid VR"), status.comment());
    }

    @Test
    void deepSequenceNestingGetsAStatusAndOneLogLine() throws Exception {
        java.io.ByteArrayOutputStream nested = new java.io.ByteArrayOutputStream();
        int depth = 400;
        byte[] open = {0x08, 0, 0x40, 0x11, 'S', 'Q', 0, 0, -1, -1, -1, -1, (byte) 0xFE, (byte) 0xFF, 0, (byte) 0xE0, -1, -1, -1, -1};
        byte[] close = {(byte) 0xFE, (byte) 0xFF, 0x0D, (byte) 0xE0, 0, 0, 0, 0, (byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0};
        for (int i = 0; i < depth; i++) {
            nested.write(open);
        }
        for (int i = 0; i < depth; i++) {
            nested.write(close);
        }
        String sop = DicomFiles.string(valid.get(5), TagFromName.SOPInstanceUID);
        long stackLinesBefore = gateway.log().lines().filter(l -> l.strip().startsWith("at ")).count();
        try (RawScu scu = RawScu.associate(gateway.dicomPort(), "TESTSCU", List.of(MR_CONTEXT))) {
            RawScu.Status status = scu.store(1, MR, sop, concat(nested.toByteArray(), DicomFiles.dataSetBytes(valid.get(5))));
            assertEquals(0xC004, status.code(), status.comment());
            assertTrue(status.comment().contains("nested deeper"), status.comment());
            // The association is still usable.
            assertEquals(0x0000, scu.store(1, MR, sop, DicomFiles.dataSetBytes(valid.get(5))).code());
        }
        assertEquals(stackLinesBefore, gateway.log().lines().filter(l -> l.strip().startsWith("at ")).count(),
                "no stack trace logged");
    }

    // ---- hostile commands ----

    @Test
    void aThousandCStoresWithoutAffectedUidsLeakNoSpoolFilesOrDescriptors() throws Exception {
        byte[] dataSet = DicomFiles.dataSetBytes(valid.get(5));
        long descriptorsBefore = gateway.openFileDescriptors();
        try (RawScu scu = RawScu.associate(gateway.dicomPort(), "TESTSCU", List.of(MR_CONTEXT))) {
            for (int i = 0; i < 1000; i++) {
                boolean noInstance = i % 2 == 0;
                byte[] command = RawScu.storeCommand(noInstance ? MR : null,
                        noInstance ? null : DicomFiles.string(valid.get(5), TagFromName.SOPInstanceUID), i + 1);
                RawScu.Status status = scu.storeWithCommand(1, command, dataSet);
                assertEquals(0xC001, status.code(), status.comment());
                assertTrue(status.comment().contains(noInstance ? "SOP Instance UID" : "SOP Class UID"), status.comment());
            }
        }
        assertEquals(0, TestEnvironment.spoolFiles(gateway.dataDir()), "no spool file left");
        long descriptorsAfter = gateway.openFileDescriptors();
        assertTrue(descriptorsAfter <= descriptorsBefore + 10,
                "descriptors " + descriptorsBefore + " before, " + descriptorsAfter + " after");
    }

    @Test
    void aCommandSetThatNeverEndsIsCutOffAt64Kilobytes() throws Exception {
        try (RawScu scu = RawScu.associate(gateway.dicomPort(), "TESTSCU", List.of(MR_CONTEXT))) {
            byte[] fragment = new byte[16000];
            try {
                for (int i = 0; i < 8; i++) {
                    scu.commandFragment(1, fragment);
                }
            } catch (java.io.IOException abortedWhileSending) {
                return; // the gateway closed the connection already
            }
            assertTrue(scu.closedByPeerWithin(10_000), "the association is aborted");
        }
        assertTrue(gateway.log().contains("command set longer than 65536 bytes"));
    }

    @Test
    void anObjectOverTheSizeLimitIsRefusedWithA700BeforeTheDiskFills() throws Exception {
        byte[] big = concat(DicomFiles.dataSetBytes(valid.get(5)), new byte[1_200_000]);
        RawScu.Status status = storeBytes(valid.get(5), big);
        assertEquals(0xA700, status.code(), status.comment());
        assertTrue(status.comment().contains("larger than the limit"), status.comment());
        assertEquals(0, TestEnvironment.spoolFiles(gateway.dataDir()), "the spool is empty again");
    }

    @Test
    void aCallingAeTitleCannotForgeALogLine() throws Exception {
        try {
            RawScu.associate(gateway.dicomPort(), "EVIL\nINFO FORGED", List.of(MR_CONTEXT)).close();
        } catch (java.io.IOException rejected) {
            // not in the allow-list: rejected, as it should be
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!gateway.log().contains("Rejected association from calling AE 'EVIL") && System.nanoTime() < deadline) {
            Thread.sleep(50); // the refusal is logged just after it is sent
        }
        String log = gateway.log();
        assertFalse(log.lines().anyMatch(l -> l.startsWith("INFO FORGED")), "a peer's newline started a log line");
        assertTrue(log.contains("EVIL\\x0AINFO FORGED"), "the AE title is logged escaped");
    }

    @Test
    void anOverlongOrControlCharacterUidInTheCommandIsRefusedAndCannotForgeALogLine() throws Exception {
        byte[] dataSet = DicomFiles.dataSetBytes(valid.get(5));
        try (RawScu scu = RawScu.associate(gateway.dicomPort(), "TESTSCU", List.of(MR_CONTEXT))) {
            // 65 characters, one over the UI limit; and a UID with a newline that would start a log line.
            for (String uid : List.of("1.2." + "3".repeat(61), "1.2.3\nINFO FORGED")) {
                RawScu.Status status = scu.storeWithCommand(1, RawScu.storeCommand(MR, uid, 7), dataSet);
                assertEquals(0xC001, status.code(), status.comment());
                assertEquals("invalid Affected SOP Instance UID in the command", status.comment());
            }
            assertEquals(0x0000, storeFile(valid.get(5)).code(), "the receiver still stores");
        }
        assertFalse(gateway.log().lines().anyMatch(l -> l.startsWith("INFO FORGED")), "a peer's newline started a log line");
    }

    private static Path mutated(Path file, String name, java.util.function.Consumer<AttributeList> change) throws Exception {
        return DicomFiles.mutate(file, work.resolve("mutated").resolve(name + ".dcm"), change);
    }

    private static RawScu.Status storeFile(Path file) throws Exception {
        return storeBytes(file, DicomFiles.dataSetBytes(file));
    }

    private static RawScu.Status storeBytes(Path file, byte[] dataSet) throws Exception {
        try (RawScu scu = RawScu.associate(gateway.dicomPort(), "TESTSCU", List.of(MR_CONTEXT))) {
            return scu.store(1, MR, DicomFiles.string(file, TagFromName.SOPInstanceUID), dataSet);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void assertCannotUnderstand(RawScu.Status status) {
        assertTrue(status.code() >= 0xC000 && status.code() <= 0xCFFF,
                String.format("expected 0xC000-range, got 0x%04X (%s)", status.code(), status.comment()));
        assertTrue(status.comment() != null && status.comment().length() <= 64);
    }
}
