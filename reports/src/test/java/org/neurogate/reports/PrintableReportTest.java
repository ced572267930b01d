package org.neurogate.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.ContentItemFactory;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.inference.analysis.Findings;
import org.neurogate.inference.analysis.Measurement;
import org.neurogate.inference.longitudinal.ChangeSincePrior;
import org.neurogate.inference.longitudinal.LongitudinalComparison;
import org.neurogate.inference.longitudinal.StudyMeasurements;
import org.neurogate.reports.content.ChangeSummary;
import org.neurogate.reports.content.ReportContent;
import org.neurogate.reports.pdf.PdfReport;
import org.neurogate.reports.render.KeyImageStudy;
import org.neurogate.reports.render.KeyImages;

/**
 * The objects every PACS shows, and an SR viewers can place, for a phantom study compared with a
 * made-up prior two years earlier: key images, the encapsulated PDF, image-region SCOORDs on real
 * source images, the change group, and SEGs whose segments never overlap. Every object passes
 * dciodvfy; the PDF's text holds the findings and its pages are not blank.
 */
class PrintableReportTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final PrintableReport.Settings PRINT = new PrintableReport.Settings(
            "NeuroGate — not for diagnostic use without review", PdfReport.PageSize.A4);

    @TempDir
    static Path dir;
    private static ReportFixture.Study study;
    private static StudyReport.Objects objects;
    private static ChangeSincePrior change;
    private static List<AttributeList> keyImages;
    private static AttributeList pdf;
    private static byte[] pdfBytes;
    private static final List<Path> FILES = new ArrayList<>();

    @BeforeAll
    static void reportWithAPrior() throws Exception {
        study = ReportFixture.get();
        Findings f = study.analysis().findings();
        LocalDate date = LocalDate.parse(Attribute.getSingleStringValueOrEmptyString(study.header(), TagFromName.StudyDate),
                java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
        // The prior: the same models two years earlier, with 6 % more hippocampus (3 %/year lost).
        List<StudyMeasurements.Value> then = new ArrayList<>();
        for (Measurement m : f.measurements()) {
            double factor = m.name().startsWith("hippocampus_left_ml") || m.name().startsWith("hippocampus_right_ml")
                    ? 1.06 : 1.0;
            then.add(new StudyMeasurements.Value(m.analysis(), m.name(), m.value() * factor, m.method().toString()));
        }
        StudyMeasurements prior = new StudyMeasurements("2.25.1001", date.minusDays(730), then);
        change = LongitudinalComparison.compare(StudyMeasurements.of(f, date), List.of(prior));
        MeasurementReportWriter.PriorStudy priorObjects = new MeasurementReportWriter.PriorStudy("2.25.1001", List.of(
                new MeasurementReportWriter.StoredObject("2.25.1002", SOPClass.Comprehensive3DSRStorage, "2.25.1003")));
        objects = StudyReport.build(study.analysis(), study.sources(), study.header(), ReportFixture.SETTINGS, "job-7",
                change, priorObjects);

        KeyImages.Study keyStudy = KeyImageStudy.of(KeyImageStudy.volumes(study.input()), study.analysis().labelMaps(), f);
        List<KeyImages.KeyImage> keys = KeyImages.choose(keyStudy, new HashMap<>());
        keyImages = PrintableReport.keyImages(keys, study.header(), ReportFixture.SETTINGS, PRINT, "job-7");

        ObjectNode findings = JSON.valueToTree(f);
        findings.set("change", JSON.valueToTree(change));
        List<ReportContent.Finding> rows = new ArrayList<>();
        List<Measurement> all = new ArrayList<>(f.measurements());
        all.addAll(change.measurements(f.mci().sourceSeriesUid()));
        for (Measurement m : all) {
            rows.add(new ReportContent.Finding(m.sourceSeriesUid(), m.analysis(), m.name(), m.concept().meaning(), m.value(),
                    m.unit(), m.method().toString(), String.join(";", m.qcFlags())));
        }
        ReportContent content = ReportContent.of(findings, rows, Map.of());
        List<MeasurementReportWriter.StoredObject> cited = new ArrayList<>();
        cited.add(PrintableReport.stored(objects.report()));
        keyImages.forEach(k -> cited.add(PrintableReport.stored(k)));
        pdf = PrintableReport.pdf(study.header(), content, ChangeSummary.of(findings.path("change")),
                PrintableReport.figures(keyImages), ReportFixture.SETTINGS, PRINT, "job-7", "pdf",
                "Preliminary: not reviewed by a radiologist", cited);
        pdfBytes = java.util.Arrays.copyOf(pdf.get(TagFromName.EncapsulatedDocument).getByteValues(),
                Attribute.getSingleIntegerValueOrDefault(pdf, TagFromName.EncapsulatedDocumentLength, 0));
        List<AttributeList> everything = new ArrayList<>(objects.all());
        everything.addAll(keyImages);
        everything.add(pdf);
        FILES.addAll(ReportFixture.write(dir, everything));
        Files.write(dir.resolve("report.pdf"), pdfBytes);
        if (System.getProperty("ng.report.out") != null) {
            // For a look at the objects by hand (and the README's picture of a page).
            Path out = Path.of(System.getProperty("ng.report.out"));
            Files.createDirectories(out);
            for (Path file : FILES) {
                Files.copy(file, out.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.write(out.resolve("report.pdf"), pdfBytes);
        }
    }

    @Test
    void everyObjectPassesDciodvfy() throws Exception {
        assertTrue(FILES.size() >= 4 + 1 + 3 + 1, "4 SEGs, the SR, key images and the PDF: " + FILES);
        for (Path file : FILES) {
            ReportFixture.assertNoDciodvfyErrors(file);
        }
    }

    @Test
    void keyImagesAreRadiologicalRgbSecondaryCapturesInOneSeries() throws Exception {
        assertTrue(keyImages.size() >= 3, "infarct on DWI and ADC, hippocampi, midline");
        Set<String> series = new HashSet<>();
        for (AttributeList k : keyImages) {
            assertEquals(SOPClass.SecondaryCaptureImageStorage, Attribute.getSingleStringValueOrEmptyString(k,
                    TagFromName.SOPClassUID));
            assertEquals("RGB", Attribute.getSingleStringValueOrEmptyString(k, TagFromName.PhotometricInterpretation));
            series.add(Attribute.getSingleStringValueOrEmptyString(k, TagFromName.SeriesInstanceUID));
        }
        assertEquals(1, series.size());
        AttributeList axial = keyImages.get(0);
        assertEquals("L\\P", Attribute.getDelimitedStringValuesOrEmptyString(axial, TagFromName.PatientOrientation),
                "the patient's left on the image's right, posterior at the bottom");
        BufferedImage picture = PrintableReport.figures(List.of(axial)).get(0).image();
        // The label strip: the configured text in yellow over dark grey along the top.
        int yellow = 0;
        for (int x = 0; x < picture.getWidth(); x++) {
            for (int y = 0; y < 24; y++) {
                int rgb = picture.getRGB(x, y);
                if ((rgb >> 16 & 0xFF) > 200 && (rgb >> 8 & 0xFF) > 150 && (rgb & 0xFF) < 80) {
                    yellow++;
                }
            }
        }
        assertTrue(yellow > 200, "the not-for-diagnosis label is burned in: " + yellow + " label pixels");
    }

    @Test
    void thePdfSaysWhatTheFindingsSay() throws Exception {
        String text;
        try (PDDocument doc = Loader.loadPDF(pdfBytes)) {
            text = new PDFTextStripper().getText(doc);
        }
        Findings f = study.analysis().findings();
        for (String[] m : new String[][] {{"lesion", "total_volume_ml"}, {"mci", "hippocampus_left_ml"},
            {"mci", "icv_ml"}, {"midline", "shift_mm"}, {"brain_age", "predicted_years"}}) {
            double value = f.measurements().stream().filter(x -> x.analysis().equals(m[0]) && x.name().equals(m[1]))
                    .findFirst().orElseThrow().value();
            assertTrue(text.contains(ReportContent.number(value)), m[1] + " " + ReportContent.number(value) + " not in\n" + text);
        }
        assertTrue(text.contains("PHANTOM SUBJECT42"), "the patient header");
        assertTrue(text.contains("Preliminary: not reviewed"), "the review state");
        assertTrue(text.contains("Change since the prior study") && text.contains("2.25.1001"), "the comparison");
        ChangeSincePrior.VolumeChange left = change.volumes().get(0);
        assertTrue(text.contains(String.format(Locale.ROOT, "%+.2f %%/year", left.annualisedPctPerYear())), text);
        assertTrue(text.contains("beyond normal ageing"), "a 3 %/year hippocampal loss is flagged");
        assertTrue(text.contains(ReportFixture.SETTINGS.disclaimer()), "the disclaimer");
        assertTrue(text.contains("Key images") && text.contains("Models"), text);
        assertEquals("application/pdf", Attribute.getSingleStringValueOrEmptyString(pdf,
                TagFromName.MIMETypeOfEncapsulatedDocument));
        assertEquals(Attribute.getSingleStringValueOrEmptyString(study.header(), TagFromName.StudyInstanceUID),
                Attribute.getSingleStringValueOrEmptyString(pdf, TagFromName.StudyInstanceUID));
    }

    @Test
    void thePdfPagesAreNotBlank() throws Exception {
        Path pages = dir.resolve("pages");
        Files.createDirectories(pages);
        run("pdftoppm", "-r", "40", "-png", dir.resolve("report.pdf").toString(), pages.resolve("page").toString());
        List<Path> png;
        try (Stream<Path> s = Files.list(pages)) {
            png = s.sorted().toList();
        }
        assertFalse(png.isEmpty());
        for (Path page : png) {
            BufferedImage image = ImageIO.read(page.toFile());
            long dark = 0;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int rgb = image.getRGB(x, y);
                    if ((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF) < 600) {
                        dark++;
                    }
                }
            }
            double share = (double) dark / (image.getWidth() * image.getHeight());
            assertTrue(share > 0.002, page.getFileName() + " is blank: " + share);
        }
    }

    @Test
    void theSrPlacesEachKeyFindingOnASourceImage() throws Exception {
        Set<String> sourceInstances = new HashSet<>();
        study.sources().values().forEach(s -> s.images().forEach(i -> sourceInstances.add(i.sopInstanceUid())));
        StructuredReport sr = new StructuredReport(objects.report());
        List<String> regions = new ArrayList<>();
        walk((ContentItem) sr.getRoot(), regions, sourceInstances);
        assertTrue(regions.contains("Infarct, largest slice:POLYLINE"), regions.toString());
        assertTrue(regions.contains("Left hippocampus, largest slice:POLYLINE"), regions.toString());
        assertTrue(regions.contains("Right hippocampus, largest slice:POLYLINE"), regions.toString());
        assertTrue(regions.stream().anyMatch(r -> r.startsWith("Midline shift:")), regions.toString());
        String dump = run("dsrdump", "+Pl", FILES.get(objects.segmentations().size()).toString());
        assertTrue(dump.contains("Change since prior study"), dump);
        assertTrue(dump.contains("Annualized change since prior study"), dump);
        assertTrue(dump.contains("2.25.1001"), "the prior study's UID");
        assertTrue(dump.contains("beyond normal ageing"), dump);
        SequenceAttribute other = (SequenceAttribute) objects.report().get(MeasurementReportWriter.PERTINENT_OTHER_EVIDENCE_SEQUENCE);
        assertNotNull(other, "the prior study is cited as other evidence");
        assertEquals("2.25.1001", Attribute.getSingleStringValueOrEmptyString(other.getItem(0).getAttributeList(),
                TagFromName.StudyInstanceUID));
    }

    private static void walk(ContentItem item, List<String> regions, Set<String> sourceInstances) {
        for (int i = 0; i < item.getChildCount(); i++) {
            ContentItem child = (ContentItem) item.getChildAt(i);
            if (child instanceof ContentItemFactory.SpatialCoordinatesContentItem scoord) {
                ContentItemFactory.ImageContentItem image = (ContentItemFactory.ImageContentItem) scoord.getChildAt(0);
                assertTrue(sourceInstances.contains(image.getReferencedSOPInstanceUID()),
                        "the region's image is a source image: " + image.getReferencedSOPInstanceUID());
                String tracking = ((ContentItem) item).getSingleStringValueOrNullOfNamedChild("DCM", "112039");
                regions.add(tracking + ":" + scoord.getGraphicType());
            }
            walk(child, regions, sourceInstances);
        }
    }

    @Test
    void noSegHasOverlappingSegments() throws Exception {
        for (AttributeList seg : objects.segmentations()) {
            assertEquals("BINARY", Attribute.getSingleStringValueOrEmptyString(seg, TagFromName.SegmentationType));
            assertNotNull(seg.get(TagFromName.ReferencedSeriesSequence), "Referenced Series Sequence");
            int frames = Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.NumberOfFrames, 0);
            int pixels = Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.Rows, 0)
                    * Attribute.getSingleIntegerValueOrDefault(seg, TagFromName.Columns, 0);
            byte[] bits = seg.get(TagFromName.PixelData).getByteValues();
            SequenceAttribute perFrame = (SequenceAttribute) seg.get(TagFromName.PerFrameFunctionalGroupsSequence);
            Map<String, List<Integer>> framesBySource = new HashMap<>();
            for (int fr = 0; fr < frames; fr++) {
                AttributeList frame = perFrame.getItem(fr).getAttributeList();
                AttributeList derivation = SegmentationWriter.first(frame, TagFromName.DerivationImageSequence);
                AttributeList source = SegmentationWriter.first(derivation, TagFromName.SourceImageSequence);
                String ref = Attribute.getSingleStringValueOrEmptyString(source, TagFromName.ReferencedSOPInstanceUID)
                        + "/" + Attribute.getSingleStringValueOrEmptyString(source, TagFromName.ReferencedFrameNumber);
                framesBySource.computeIfAbsent(ref, r -> new ArrayList<>()).add(fr);
            }
            for (List<Integer> same : framesBySource.values()) {
                for (int p = 0; p < pixels; p++) {
                    int set = 0;
                    for (int fr : same) {
                        int bit = fr * pixels + p;
                        set += (bits[bit >> 3] >> (bit & 7)) & 1;
                    }
                    assertTrue(set <= 1, "pixel " + p + " is in " + set + " segments of one SEG");
                }
            }
        }
    }

    private static String run(String... command) throws Exception {
        return ReportFixture.run(command);
    }
}
