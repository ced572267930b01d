package org.neurogate.gateway.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeList;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.neurogate.gateway.results.AnalysisWorker;
import org.neurogate.gateway.results.ResultsConfig;
import org.neurogate.persistence.AnalysisQueue;
import org.neurogate.persistence.Reviews;
import org.neurogate.reports.MeasurementReportWriter;
import org.neurogate.reports.PrintableReport;
import org.neurogate.reports.StudyReport;
import org.neurogate.reports.content.ChangeSummary;
import org.neurogate.reports.content.ReportContent;
import org.neurogate.reports.pdf.PdfReport;

/**
 * The PDF report re-issued on review, so a PACS that shows only the PDF shows the decision too: signed,
 * the same report saying who signed it and when; rejected, a notice without measurements, charts or
 * key images, so no withdrawn number is read off paper.
 */
@ApplicationScoped
public class ReviewedPdf {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AnalysisQueue queue;
    private final ResultsConfig config;
    private final String version;

    public ReviewedPdf(AnalysisQueue queue, ResultsConfig config,
                       @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0") String version) {
        this.queue = queue;
        this.config = config;
        this.version = version;
    }

    /**
     * @param unverified the analysis's SR (its patient and study header, and the object the PDF cites)
     * @param reviewed   the SR the review produced
     * @param state      what the PDF says of the review
     */
    public AttributeList write(Path dataDir, Reviews.Subject subject, AttributeList unverified, AttributeList reviewed,
                               boolean signed, String state) throws Exception {
        String study = subject.studyInstanceUid();
        JsonNode findings = JSON.readTree(queue.findingsJson(study).orElse("{}"));
        StudyReport.Settings settings = AnalysisWorker.reportSettings(config, version);
        PrintableReport.Settings print = AnalysisWorker.printSettings(config);
        List<MeasurementReportWriter.StoredObject> cited = new ArrayList<>();
        cited.add(PrintableReport.stored(reviewed));
        ReportContent content;
        ChangeSummary change = null;
        List<PdfReport.Figure> figures = new ArrayList<>();
        if (signed) {
            content = ReportContent.of(findings, queue.findings(study).stream().map(AnalysisWorker::finding).toList(),
                    Map.of());
            change = ChangeSummary.of(findings.path("change"));
            List<AttributeList> keyImages = new ArrayList<>();
            for (AnalysisQueue.ReportView r : queue.reports(study)) {
                if (r.jobId() == subject.jobRef() && r.kind().equals("KEY_IMAGES")) {
                    AttributeList k = new AttributeList();
                    k.read(dataDir.resolve(queue.reportPath(r.sopInstanceUid()).orElseThrow()).toFile());
                    keyImages.add(k);
                    cited.add(PrintableReport.stored(k));
                }
            }
            figures.addAll(PrintableReport.figures(keyImages));
        } else {
            content = new ReportContent(List.of(), List.of(), List.of("The measurements of this analysis were withdrawn "
                    + "on review; see the rejection notice in the report series."), List.of(), List.of(), null, null);
        }
        return PrintableReport.pdf(unverified, content, change, figures, settings, print, "analysis-job-" + subject.jobRef(),
                signed ? "signed-pdf" : "rejected-pdf", state, cited);
    }
}
