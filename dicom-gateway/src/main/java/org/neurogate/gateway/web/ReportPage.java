package org.neurogate.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neurogate.gateway.results.AnalysisWorker;
import org.neurogate.gateway.results.ResultsConfig;
import org.neurogate.gateway.review.ReviewService;
import org.neurogate.persistence.AnalysisQueue;
import org.neurogate.persistence.InstanceCatalog;
import org.neurogate.persistence.StudySummary;
import org.neurogate.persistence.Worklist;
import org.neurogate.reports.content.ChangeSummary;
import org.neurogate.reports.content.ReportContent;

/**
 * Everything the report page shows of one study: the patient header, every measurement with its
 * norms and flags, the centile charts, the key images and slice stacks, what was not assessed and why,
 * QC notes, model versions, processing time, the review and the objects sent to the PACS.
 */
@ApplicationScoped
public class ReportPage {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record KeyImageLink(String name, String title, String url) {
    }

    public record Stack(String labelMap, String role, String title, int slices, int start, String baseUrl) {
    }

    public record Model(Worklist.Row study, List<ReportContent.MeasurementRow> measurements, List<ReportContent.Chart> charts,
                        List<KeyImageLink> keyImages, List<Stack> stacks, List<String> notAssessed, List<String> qcNotes,
                        List<String> models, String disclaimer, String processing, ReviewService.ReviewState review,
                        List<AnalysisQueue.ReportView> reports, String age, String sex, ChangeSummary change) {
    }

    private final Worklist worklist;
    private final AnalysisQueue queue;
    private final InstanceCatalog catalog;
    private final ReviewService reviews;
    private final ResultsConfig results;

    public ReportPage(Worklist worklist, AnalysisQueue queue, InstanceCatalog catalog, ReviewService reviews,
                      ResultsConfig results) {
        this.worklist = worklist;
        this.queue = queue;
        this.catalog = catalog;
        this.reviews = reviews;
        this.results = results;
    }

    public Model build(String studyUid) {
        Worklist.Row study = worklist.study(studyUid)
                .orElseThrow(() -> new NotFoundException("no study with Study Instance UID " + studyUid));
        Map<String, String> seriesNames = new HashMap<>();
        catalog.study(studyUid).ifPresent(s -> {
            for (StudySummary.SeriesSummary series : s.series()) {
                seriesNames.put(series.seriesInstanceUid(), series.seriesDescription() == null ? series.seriesInstanceUid()
                        : series.seriesDescription());
            }
        });
        JsonNode findings = read(queue.findingsJson(studyUid).orElse("{}"));
        AnalysisQueue.FinishedJob job = queue.latestFinished(studyUid).orElse(null);
        ReportContent content = ReportContent.of(findings, queue.findings(studyUid).stream().map(AnalysisWorker::finding)
                .toList(), seriesNames);
        List<KeyImageLink> keyImages = new ArrayList<>();
        List<Stack> stacks = new ArrayList<>();
        if (job != null && job.viewerJson() != null) {
            JsonNode viewer = read(job.viewerJson());
            for (JsonNode k : viewer.path("keyImages")) {
                keyImages.add(new KeyImageLink(k.path("name").asText(), k.path("title").asText(),
                        StudyPages.keyImageUrl(studyUid, k.path("name").asText())));
            }
            for (JsonNode s : viewer.path("stacks")) {
                String map = s.path("labelMap").asText();
                stacks.add(new Stack(map, s.path("role").asText(), stackTitle(map, s.path("role").asText()),
                        s.path("slices").asInt(), s.path("start").asInt(), StudyPages.sliceBaseUrl(studyUid, map)));
            }
        }
        java.time.format.DateTimeFormatter at = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");
        String processing = job == null ? "" : String.format(Locale.ROOT, "analysis %.1f s (queued %s, finished %s)",
                job.analysisSeconds(), job.queuedAt().format(at), job.finishedAt().format(at));
        return new Model(study, content.measurements(), content.charts(), keyImages, stacks, content.notAssessed(),
                content.qcNotes(), content.models(), results.reportDisclaimer(), processing, reviews.state(studyUid),
                queue.reports(studyUid), content.ageText(), content.sexText(), ChangeSummary.of(findings.path("change")));
    }

    private static String stackTitle(String map, String role) {
        return switch (map) {
            case "lesion_mask" -> "DWI b1000 with infarct";
            case "labels_t1" -> "T1 with ventricles and hippocampi";
            case "wmh_mask" -> "FLAIR with white-matter hyperintensities";
            default -> role;
        };
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
