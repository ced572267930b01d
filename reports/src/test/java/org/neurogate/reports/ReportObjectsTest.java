package org.neurogate.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.inference.analysis.Concepts;
import org.neurogate.inference.analysis.Findings;
import org.neurogate.inference.analysis.Measurement;
import org.neurogate.inference.analysis.ModelUse;
import org.neurogate.inference.analysis.StudyAnalyzer;

/**
 * The SR and SEGs of a phantom study with a stroke lesion and a midline shift: they pass dciodvfy,
 * dsrdump prints the stored values, and PixelMed reads them back.
 */
class ReportObjectsTest {

    @TempDir
    static Path dir;
    private static StudyAnalyzer.StudyAnalysis analysis;
    private static StudyReport.Objects objects;
    private static Map<String, SourceSeries> sources;
    private static AttributeList header;
    private static final List<Path> FILES = new ArrayList<>();
    private static final StudyReport.Settings SETTINGS = ReportFixture.SETTINGS;

    @BeforeAll
    static void reportAPhantomStudy() throws Exception {
        ReportFixture.Study study = ReportFixture.get();
        analysis = study.analysis();
        sources = study.sources();
        header = study.header();
        objects = StudyReport.build(analysis, sources, header, SETTINGS, "job-1");
        FILES.addAll(ReportFixture.write(dir, objects.all()));
    }

    @AfterAll
    static void clear() {
        FILES.clear();
    }

    @Test
    void infarctCoreStructuresAndIcvSegsAndTheReport() {
        assertEquals(4, objects.segmentations().size(), "overlapping segments go in SEGs of their own");
        assertEquals(SOPClass.Comprehensive3DSRStorage,
                Attribute.getSingleStringValueOrEmptyString(objects.report(), TagFromName.SOPClassUID));
    }

    @Test
    void everyObjectPassesDciodvfy() throws Exception {
        for (Path file : FILES) {
            String out = run("dciodvfy", file.toString());
            List<String> errors = out.lines().filter(l -> l.startsWith("Error")).toList();
            assertTrue(errors.isEmpty(), file.getFileName() + ": " + String.join("\n", errors) + "\n" + out);
        }
    }

    @Test
    void dsrdumpShowsTheStoredMeasurements() throws Exception {
        String out = run("dsrdump", FILES.get(FILES.size() - 1).toString());
        Findings f = analysis.findings();
        assertNotNull(f.lesion());
        assertTrue(out.contains("Imaging Measurement Report"), out);
        for (Measurement m : List.of(find(f, "lesion", "total_volume_ml"), find(f, "midline", "shift_mm"),
                find(f, "mci", "hippocampus_left_ml"), find(f, "brain_age", "predicted_years"))) {
            String printed = "\"" + SegmentationWriter.decimal(m.value()) + "\"";
            assertTrue(out.contains(printed), m.name() + " " + printed + " not in the dump:\n" + out);
        }
        assertTrue(out.contains("Not for diagnostic use"), "the disclaimer");
        assertTrue(out.contains("Referenced Segment"), "measurement groups reference SEG segments");
    }

    @Test
    void pixelmedReadsBothBack() throws Exception {
        AttributeList sr = new AttributeList();
        sr.read(FILES.get(FILES.size() - 1).toFile());
        String tree = new StructuredReport(sr).toString();
        assertTrue(tree.contains("Measurement Group") && tree.contains("Tracking Identifier"), tree);
        AttributeList seg = new AttributeList();
        seg.read(FILES.get(0).toFile());
        int frames = Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.NumberOfFrames, 0);
        int rows = Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.Columns, 0);
        assertTrue(frames > 0);
        byte[] pixels = seg.get(TagFromName.PixelData).getByteValues();
        assertTrue(pixels.length >= (frames * rows * columns + 7) / 8);
        // The lesion SEG's first segment is the whole infarct: its voxels times the voxel volume.
        long set = 0;
        int segmentOneFrames = 0;
        com.pixelmed.dicom.SequenceAttribute perFrame =
                (com.pixelmed.dicom.SequenceAttribute) seg.get(TagFromName.PerFrameFunctionalGroupsSequence);
        for (int fr = 0; fr < frames; fr++) {
            AttributeList id = SegmentationWriter.first(perFrame.getItem(fr).getAttributeList(),
                    TagFromName.SegmentIdentificationSequence);
            if (Attribute.getSingleIntegerValueOrDefault(id, TagFromName.ReferencedSegmentNumber, 0) != 1) {
                continue;
            }
            segmentOneFrames++;
            for (int p = 0; p < rows * columns; p++) {
                int bit = fr * rows * columns + p;
                set += (pixels[bit >> 3] >> (bit & 7)) & 1;
            }
        }
        assertTrue(segmentOneFrames > 0);
        double voxelMl = analysis.labelMaps().get("lesion_mask").labels().voxelVolumeMm3() / 1000;
        assertEquals(analysis.findings().lesion().totalVolumeMl(), set * voxelMl, 1e-6);
    }

    @Test
    void theSameJobGivesTheSameUids() throws Exception {
        AttributeList again = StudyReport.build(analysis, sources, header, SETTINGS, "job-1").report();
        assertEquals(Attribute.getSingleStringValueOrEmptyString(objects.report(), TagFromName.SOPInstanceUID),
                Attribute.getSingleStringValueOrEmptyString(again, TagFromName.SOPInstanceUID));
    }

    /** Each invalid argument to the writers, as its own test. */
    @TestFactory
    Stream<DynamicTest> invalidArgumentsAreRefused() {
        Map<String, Executable> cases = new LinkedHashMap<>();
        cases.put("segment label value 0", () -> new Segment(0, "x", Concepts.CATEGORY_ANATOMY, Concepts.VENTRICLES));
        cases.put("segment without label values", () -> new Segment(Set.of(), "x", Concepts.CATEGORY_ANATOMY, Concepts.VENTRICLES));
        cases.put("blank segment label", () -> new Segment(1, " ", Concepts.CATEGORY_ANATOMY, Concepts.VENTRICLES));
        cases.put("segment without category", () -> new Segment(1, "x", null, Concepts.VENTRICLES));
        cases.put("blank manufacturer", () -> new Equipment("", "m", "s", "v"));
        cases.put("content label not a CS", () -> new SegmentationWriter.SeriesInfo("1.2", "1.3", 1, "d", "lower case",
                "alg", "1"));
        cases.put("SEG without series UID", () -> new SegmentationWriter.SeriesInfo(null, "1.3", 1, "d", "LESION", "alg", "1"));
        cases.put("SEG without algorithm version", () -> new SegmentationWriter.SeriesInfo("1.2", "1.3", 1, "d", "LESION",
                "alg", " "));
        cases.put("device observer UID not a UID", () -> new MeasurementReportWriter.ReportInfo("1.2", "1.3", 1, "d",
                "not-a-uid", "20261129101500", "disclaimer"));
        cases.put("content date-time not DT", () -> new MeasurementReportWriter.ReportInfo("1.2", "1.3", 1, "d", "1.4",
                "2026-11-29", "disclaimer"));
        cases.put("blank disclaimer", () -> new MeasurementReportWriter.ReportInfo("1.2", "1.3", 1, "d", "1.4",
                "20261129101500", " "));
        cases.put("measurement group without measurements", () -> new MeasurementGroup("t", "1.2", null, null, null,
                List.of()));
        cases.put("tracking UID not a UID", () -> new MeasurementGroup("t", "x.y", null, null, null,
                List.of(new Measurement("a", "n", Concepts.VOLUME, 1, "ml", ModelUse.builtIn("x"), "1.2", List.of()))));
        cases.put("segment number 0", () -> new MeasurementGroup.SegmentReference("1.2", "1.3", 0));
        cases.put("source series without images", () -> new SourceSeries("1.2", "1.3", List.of()));
        cases.put("study header without Study Instance UID", () -> StudyHeader.from(new AttributeList()));
        cases.put("segmentation without segments", () -> SegmentationWriter.write(
                analysis.labelMaps().get("lesion_mask").labels(), List.of(), sources.values().iterator().next(), header,
                SETTINGS.equipment(), new SegmentationWriter.SeriesInfo("1.2", "1.3", 1, "d", "LESION", "alg", "1"),
                "20261129101500"));
        cases.put("report without groups or reasons", () -> MeasurementReportWriter.write(header, List.of(), List.of(),
                List.of(), List.of(), SETTINGS.equipment(), new MeasurementReportWriter.ReportInfo("1.2", "1.3", 1, "d",
                        "1.4", "20261129101500", "disclaimer")));
        cases.put("unit without a UCUM code", () -> MeasurementReportWriter.write(header, List.of(new MeasurementGroup("t",
                "1.2", null, null, null, List.of(new Measurement("a", "n", Concepts.VOLUME, 1, "furlong",
                        ModelUse.builtIn("x"), "1.2", List.of())))), List.of(), List.of(), List.of(), SETTINGS.equipment(),
                new MeasurementReportWriter.ReportInfo("1.2", "1.3", 1, "d", "1.4", "20261129101500", "disclaimer")));
        return cases.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(),
                () -> assertThrows(IllegalArgumentException.class, c.getValue())));
    }

    private static final ReviewedReportWriter.Reviewer REVIEWER = new ReviewedReportWriter.Reviewer("House^Gregory",
            "Princeton General", "20261201101500");

    @Test
    void aSignedReportIsTheSameContentVerifiedWithItsPredecessor() throws Exception {
        AttributeList signed = ReviewedReportWriter.signed(objects.report(), REVIEWER, "2.25.1234567", "left MCA infarct");
        Path file = writeObject(signed, "signed.dcm");
        assertNoDciodvfyErrors(file);
        String dump = run("dsrdump", "+Pl", file.toString());
        assertTrue(dump.contains("Verification Flag   : VERIFIED"), dump);
        assertTrue(dump.contains("House^Gregory, Princeton General"), dump);
        assertTrue(dump.contains("Predecessor Docs    : 1"), dump);
        assertTrue(dump.contains("Completion Flag     : COMPLETE"), dump);
        assertTrue(dump.contains("Imaging Measurements"), "the measurements stay");
        assertTrue(dump.contains("Radiologist comment (House^Gregory): left MCA infarct"), dump);
        AttributeList predecessor = SegmentationWriter.first(SegmentationWriter.first(SegmentationWriter.first(signed,
                TagFromName.PredecessorDocumentsSequence), TagFromName.ReferencedSeriesSequence), TagFromName.ReferencedSOPSequence);
        assertEquals(Attribute.getSingleStringValueOrEmptyString(objects.report(), TagFromName.SOPInstanceUID),
                Attribute.getSingleStringValueOrEmptyString(predecessor, TagFromName.ReferencedSOPInstanceUID));
        assertEquals("UNVERIFIED", Attribute.getSingleStringValueOrEmptyString(objects.report(), TagFromName.VerificationFlag),
                "the original is left as it was");
    }

    @Test
    void aRejectedReportWithdrawsTheMeasurementsAndSaysWhy() throws Exception {
        AttributeList rejected = ReviewedReportWriter.rejected(objects.report(), REVIEWER, "2.25.7654321", "motion artefact");
        Path file = writeObject(rejected, "rejected.dcm");
        assertNoDciodvfyErrors(file);
        String dump = run("dsrdump", "+Pl", file.toString());
        assertTrue(dump.contains("Predecessor Docs    : 1"), dump);
        assertTrue(!dump.contains("Imaging Measurements"), "no measurements in a rejection:\n" + dump);
        assertTrue(dump.contains("NeuroGate results rejected by House^Gregory: motion artefact"), dump);
        assertThrows(IllegalArgumentException.class,
                () -> ReviewedReportWriter.rejected(objects.report(), REVIEWER, "2.25.1", " "));
    }

    private static Path writeObject(AttributeList object, String name) throws Exception {
        return ReportFixture.write(dir, object, name);
    }

    private static void assertNoDciodvfyErrors(Path file) throws Exception {
        ReportFixture.assertNoDciodvfyErrors(file);
    }

    private static Measurement find(Findings f, String analysis, String name) {
        return f.measurements().stream().filter(m -> m.analysis().equals(analysis) && m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + analysis + "." + name));
    }

    private static String run(String... command) throws Exception {
        return ReportFixture.run(command);
    }
}
