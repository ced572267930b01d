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
import org.neurogate.gateway.results.ResultsConfig;
import org.neurogate.gateway.review.ReviewService;
import org.neurogate.inference.analysis.NormativeModel;
import org.neurogate.persistence.AnalysisQueue;
import org.neurogate.persistence.InstanceCatalog;
import org.neurogate.persistence.StudySummary;
import org.neurogate.persistence.Worklist;
import org.neurogate.reports.render.CentileChart;

/**
 * Everything the report page shows of one study: the patient header, every measurement with its
 * norms and flags, the centile charts, the key images and slice stacks, what was not assessed and why,
 * QC notes, model versions, processing time, the review and the objects sent to the PACS.
 */
@ApplicationScoped
public class ReportPage {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Measurement names scored against a normative structure. */
    private static final Map<String, NormativeModel.Structure> SCORED = Map.of(
            "hippocampus_left_ml", NormativeModel.Structure.HIPPOCAMPUS_LEFT,
            "hippocampus_right_ml", NormativeModel.Structure.HIPPOCAMPUS_RIGHT,
            "grey_matter_ml", NormativeModel.Structure.GREY_MATTER,
            "white_matter_ml", NormativeModel.Structure.WHITE_MATTER,
            "ventricles_ml", NormativeModel.Structure.VENTRICLES,
            "hippocampus_left_z", NormativeModel.Structure.HIPPOCAMPUS_LEFT,
            "hippocampus_right_z", NormativeModel.Structure.HIPPOCAMPUS_RIGHT,
            "grey_matter_z", NormativeModel.Structure.GREY_MATTER,
            "white_matter_z", NormativeModel.Structure.WHITE_MATTER,
            "ventricles_z", NormativeModel.Structure.VENTRICLES);

    /**
     * One row of the measurement table.
     *
     * @param flag "low" below the 5th centile, "high" above the 95th for the ventricles, else empty
     */
    public record MeasurementRow(String analysis, String name, String meaning, double value, String display, String unit,
                                 String z, String percentile, String range, String flag, String series, String method,
                                 String qcFlags) {
    }

    public record KeyImageLink(String name, String title, String url) {
    }

    public record Stack(String labelMap, String role, String title, int slices, int start, String baseUrl) {
    }

    public record Chart(String title, String svg) {
    }

    public record Model(Worklist.Row study, List<MeasurementRow> measurements, List<Chart> charts,
                        List<KeyImageLink> keyImages, List<Stack> stacks, List<String> notAssessed, List<String> qcNotes,
                        List<String> models, String disclaimer, String processing, ReviewService.ReviewState review,
                        List<AnalysisQueue.ReportView> reports, String age, String sex) {
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
        Map<NormativeModel.Structure, JsonNode> norms = new HashMap<>();
        for (JsonNode n : findings.path("mci").path("norms")) {
            norms.put(NormativeModel.Structure.valueOf(n.path("structure").asText()), n);
        }
        List<MeasurementRow> rows = new ArrayList<>();
        for (AnalysisQueue.FindingRow f : queue.findings(studyUid)) {
            rows.add(row(f, norms.get(SCORED.get(f.name())), seriesNames));
        }
        Double age = findings.path("demographics").path("age_years").isNumber()
                ? findings.path("demographics").path("age_years").asDouble()
                : findings.path("brain_age").path("chronological_years").isNumber()
                ? findings.path("brain_age").path("chronological_years").asDouble() : null;
        String sex = findings.path("demographics").path("sex").isTextual() ? findings.path("demographics").path("sex").asText()
                : null;
        List<Chart> charts = new ArrayList<>();
        for (NormativeModel.Structure s : List.of(NormativeModel.Structure.HIPPOCAMPUS_LEFT,
                NormativeModel.Structure.HIPPOCAMPUS_RIGHT, NormativeModel.Structure.GREY_MATTER,
                NormativeModel.Structure.VENTRICLES)) {
            JsonNode score = norms.get(s);
            boolean adjusted = NormativeModel.icvAdjusted(s);
            if (score == null || (!adjusted && sex == null)) {
                continue;
            }
            double value = adjusted && score.path("icv_adjusted_ml").isNumber() ? score.path("icv_adjusted_ml").asDouble()
                    : score.path("value_ml").asDouble();
            String title = structureName(s) + (adjusted ? " (ICV-adjusted)" : " (" + sex + ")");
            String sexForNorms = sex;
            charts.add(new Chart(title, CentileChart.svg("chart-" + s.name().toLowerCase(Locale.ROOT), title, "mL",
                    a -> NormativeModel.scoredCentiles(s, sexForNorms, a), NormativeModel.minAge(), NormativeModel.maxAge(),
                    age, value)));
        }
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
        List<String> models = new ArrayList<>();
        for (JsonNode m : findings.path("models")) {
            models.add(m.path("model_id").asText() + " " + m.path("version").asText() + " (" + m.path("pack").asText() + ")");
        }
        java.time.format.DateTimeFormatter at = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");
        String processing = job == null ? "" : String.format(Locale.ROOT, "analysis %.1f s (queued %s, finished %s)",
                job.analysisSeconds(), job.queuedAt().format(at), job.finishedAt().format(at));
        // Which series each analysis read, before the analyser's own notes on why it chose them.
        Map<String, String> analysed = new java.util.LinkedHashMap<>();
        for (MeasurementRow r : rows) {
            analysed.putIfAbsent(r.analysis(), r.series());
        }
        List<String> qcNotes = new ArrayList<>();
        analysed.forEach((analysis, series) -> qcNotes.add(analysis + " analysed on series \"" + series + "\""));
        qcNotes.addAll(strings(findings.path("qc_notes")));
        return new Model(study, rows, charts, keyImages, stacks, strings(findings.path("not_assessed")), qcNotes, models,
                results.reportDisclaimer(), processing, reviews.state(studyUid), queue.reports(studyUid),
                age == null ? "unknown" : String.format(Locale.ROOT, "%.1f y", age), sex == null ? "unknown" : sex);
    }

    private static MeasurementRow row(AnalysisQueue.FindingRow f, JsonNode score, Map<String, String> seriesNames) {
        String z = "";
        String percentile = "";
        String range = "";
        String flag = "";
        if (score != null) {
            double zValue = score.path("z").asDouble();
            double p = score.path("percentile").asDouble();
            JsonNode c = score.path("centiles");
            boolean adjusted = score.path("icv_adjusted_ml").isNumber();
            z = String.format(Locale.ROOT, "%+.2f", zValue);
            percentile = String.format(Locale.ROOT, "%.0f", p);
            range = String.format(Locale.ROOT, "%s–%s mL%s", number(c.path("p5").asDouble()), number(c.path("p95").asDouble()),
                    adjusted ? " (ICV-adj.)" : "");
            boolean ventricles = "VENTRICLES".equals(score.path("structure").asText());
            flag = ventricles ? (p > 95 ? "high" : "") : (p < 5 ? "low" : "");
        }
        String display = f.name().equals("count") ? String.format(Locale.ROOT, "%.0f", f.value()) : number(f.value());
        return new MeasurementRow(f.analysis(), f.name(), f.meaning(), f.value(), display, f.unit(), z, percentile,
                range, flag, f.seriesInstanceUid() == null ? "" : seriesNames.getOrDefault(f.seriesInstanceUid(),
                        f.seriesInstanceUid()), f.method(), f.qcFlags());
    }

    static String number(double v) {
        double a = Math.abs(v);
        return a >= 100 ? String.format(Locale.ROOT, "%.1f", v) : a >= 1 || v == 0 ? String.format(Locale.ROOT, "%.2f", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String structureName(NormativeModel.Structure s) {
        return switch (s) {
            case HIPPOCAMPUS_LEFT -> "Left hippocampus";
            case HIPPOCAMPUS_RIGHT -> "Right hippocampus";
            case GREY_MATTER -> "Grey matter";
            case WHITE_MATTER -> "White matter";
            case VENTRICLES -> "Lateral ventricles";
            case TOTAL_BRAIN -> "Whole brain";
        };
    }

    private static String stackTitle(String map, String role) {
        return switch (map) {
            case "lesion_mask" -> "DWI b1000 with infarct";
            case "labels_t1" -> "T1 with ventricles and hippocampi";
            case "wmh_mask" -> "FLAIR with white-matter hyperintensities";
            default -> role;
        };
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
