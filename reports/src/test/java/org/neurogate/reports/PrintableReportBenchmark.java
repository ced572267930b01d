package org.neurogate.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.neurogate.inference.analysis.Findings;
import org.neurogate.inference.analysis.Measurement;
import org.neurogate.reports.content.ReportContent;
import org.neurogate.reports.pdf.PdfReport;
import org.neurogate.reports.render.KeyImageStudy;
import org.neurogate.reports.render.KeyImages;

/**
 * What the objects every PACS can display add to one study's processing: choosing and rendering the
 * key images, writing them as Secondary Capture, and making the PDF, against making the SR and SEGs.
 * Figures, not assertions: {@code ./neurogate bench printable}.
 */
@EnabledIfSystemProperty(named = "ng.bench", matches = "printable")
class PrintableReportBenchmark {

    private static final int RUNS = 7;

    @Test
    void timeThePrintableObjectsOfOneStudy() throws Exception {
        ReportFixture.Study study = ReportFixture.get();
        Findings f = study.analysis().findings();
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        ObjectNode findings = json.valueToTree(f);
        List<ReportContent.Finding> rows = new ArrayList<>();
        for (Measurement m : f.measurements()) {
            rows.add(new ReportContent.Finding(m.sourceSeriesUid(), m.analysis(), m.name(), m.concept().meaning(),
                    m.value(), m.unit(), m.method().toString(), ""));
        }
        PrintableReport.Settings print = new PrintableReport.Settings("NeuroGate — not for diagnostic use without review",
                PdfReport.PageSize.A4);
        double[] srSeg = new double[RUNS];
        double[] choose = new double[RUNS];
        double[] keyImages = new double[RUNS];
        double[] pdf = new double[RUNS];
        int pdfBytes = 0;
        int images = 0;
        for (int run = 0; run < RUNS; run++) {
            long t0 = System.nanoTime();
            StudyReport.Objects objects = StudyReport.build(study.analysis(), study.sources(), study.header(),
                    ReportFixture.SETTINGS, "bench");
            long t1 = System.nanoTime();
            KeyImages.Study keyStudy = KeyImageStudy.of(KeyImageStudy.volumes(study.input()), study.analysis().labelMaps(), f);
            List<KeyImages.KeyImage> keys = KeyImages.choose(keyStudy, new HashMap<>());
            long t2 = System.nanoTime();
            List<AttributeList> sc = PrintableReport.keyImages(keys, study.header(), ReportFixture.SETTINGS, print, "bench");
            long t3 = System.nanoTime();
            AttributeList document = PrintableReport.pdf(study.header(), ReportContent.of(findings, rows, Map.of()), null,
                    PrintableReport.figures(sc), ReportFixture.SETTINGS, print, "bench", "pdf", "Preliminary",
                    List.of(PrintableReport.stored(objects.report())));
            long t4 = System.nanoTime();
            srSeg[run] = (t1 - t0) / 1e6;
            choose[run] = (t2 - t1) / 1e6;
            keyImages[run] = (t3 - t2) / 1e6;
            pdf[run] = (t4 - t3) / 1e6;
            pdfBytes = document.get(TagFromName.EncapsulatedDocument).getVL() > 0
                    ? (int) document.get(TagFromName.EncapsulatedDocument).getVL() : 0;
            images = sc.size();
        }
        System.out.printf(Locale.ROOT, "Printable report benchmark (one phantom study, %d runs, median ms, %d cores):%n",
                RUNS, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "  SR and 4 SEGs                %8.1f%n", median(srSeg));
        System.out.printf(Locale.ROOT, "  choose %d key images          %8.1f%n", images, median(choose));
        System.out.printf(Locale.ROOT, "  key images as SC (render)    %8.1f%n", median(keyImages));
        System.out.printf(Locale.ROOT, "  PDF (%d KB) as Encapsulated  %8.1f%n", pdfBytes / 1024, median(pdf));
        System.out.printf(Locale.ROOT, "  PDF + key images added       %8.1f%n", median(keyImages) + median(pdf));
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
