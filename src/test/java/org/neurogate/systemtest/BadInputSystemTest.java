package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
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

    @BeforeAll
    static void start() throws Exception {
        Path work = TestEnvironment.workDir("bad-input");
        // A model pack that cannot be used must be refused by name at start, not stop the gateway.
        Path brokenPack = java.nio.file.Files.createDirectories(work.resolve("broken-pack"));
        java.nio.file.Files.write(brokenPack.resolve("mystery.onnx"), new byte[] {1, 2, 3});
        gateway = GatewayProcess.start(work.resolve("data"), Map.of("NEUROGATE_MODEL_PACKS", brokenPack.toString()));
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

    private static void assertCannotUnderstand(RawScu.Status status) {
        assertTrue(status.code() >= 0xC000 && status.code() <= 0xCFFF,
                String.format("expected 0xC000-range, got 0x%04X (%s)", status.code(), status.comment()));
        assertTrue(status.comment() != null && status.comment().length() <= 64);
    }
}
