package org.neurogate.reports.content;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neurogate.inference.volumetry.NormativeModel;

/**
 * What a report says about one analysis, whatever shows it: the measurement table with norms and
 * flags, the centile charts, what was not assessed, QC notes and the models. The web report and the
 * PDF both draw from this, so a number reads the same on screen and on paper.
 *
 * @param age years at the scan (demographics, else the brain-age analysis's chronological age); null when unknown
 */
public record ReportContent(List<MeasurementRow> measurements, List<Chart> charts, List<String> notAssessed,
                            List<String> qcNotes, List<String> models, Double age, String sex) {

    /** A stored measurement, as the database holds it. */
    public record Finding(String seriesInstanceUid, String analysis, String name, String meaning, double value,
                          String unit, String method, String qcFlags) {
    }

    /**
     * One row of the measurement table.
     *
     * @param flag "low" below the 5th centile, "high" above the 95th for the ventricles, else empty
     */
    public record MeasurementRow(String analysis, String name, String meaning, double value, String display, String unit,
                                 String z, String percentile, String range, String flag, String series, String method,
                                 String qcFlags) {
    }

    /** A normative chart: the patient's scored value among the centiles of their sex, over age. */
    public record Chart(NormativeModel.Structure structure, String title, String sex, Double age, double value) {
        public String svg() {
            return org.neurogate.reports.render.CentileChart.svg("chart-" + structure.name().toLowerCase(Locale.ROOT),
                    title, "mL", a -> NormativeModel.scoredCentiles(structure, sex, a), NormativeModel.minAge(),
                    NormativeModel.maxAge(), age, value);
        }

        public java.awt.image.BufferedImage image(double scale) {
            return org.neurogate.reports.render.CentileChart.image(title, "mL",
                    a -> NormativeModel.scoredCentiles(structure, sex, a), NormativeModel.minAge(), NormativeModel.maxAge(),
                    age, value, scale);
        }
    }

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

    private static final List<NormativeModel.Structure> CHARTED = List.of(NormativeModel.Structure.HIPPOCAMPUS_LEFT,
            NormativeModel.Structure.HIPPOCAMPUS_RIGHT, NormativeModel.Structure.GREY_MATTER,
            NormativeModel.Structure.VENTRICLES);

    public ReportContent {
        measurements = List.copyOf(measurements);
        charts = List.copyOf(charts);
        notAssessed = List.copyOf(notAssessed);
        qcNotes = List.copyOf(qcNotes);
        models = List.copyOf(models);
    }

    /**
     * @param findings    the findings document (snake_case JSON, as stored)
     * @param rows        the measurement rows, in order
     * @param seriesNames series descriptions by Series Instance UID
     */
    public static ReportContent of(JsonNode findings, List<Finding> rows, Map<String, String> seriesNames) {
        Map<NormativeModel.Structure, JsonNode> norms = new LinkedHashMap<>();
        for (JsonNode n : findings.path("mci").path("norms")) {
            norms.put(NormativeModel.Structure.valueOf(n.path("structure").asText()), n);
        }
        List<MeasurementRow> table = new ArrayList<>();
        for (Finding f : rows) {
            // Changes since the prior study have their own section (ChangeSummary), with the prior values beside them.
            if (!f.analysis().equals("change")) {
                table.add(row(f, norms.get(SCORED.get(f.name())), seriesNames));
            }
        }
        JsonNode demographics = findings.path("demographics");
        Double age = demographics.path("age_years").isNumber() ? demographics.path("age_years").asDouble()
                : findings.path("brain_age").path("chronological_years").isNumber()
                ? findings.path("brain_age").path("chronological_years").asDouble() : null;
        String sex = demographics.path("sex").isTextual() ? demographics.path("sex").asText() : null;
        List<Chart> charts = new ArrayList<>();
        for (NormativeModel.Structure s : CHARTED) {
            JsonNode score = norms.get(s);
            boolean adjusted = NormativeModel.icvAdjusted(s);
            if (score == null || (!adjusted && sex == null)) {
                continue;
            }
            double value = adjusted && score.path("icv_adjusted_ml").isNumber() ? score.path("icv_adjusted_ml").asDouble()
                    : score.path("value_ml").asDouble();
            charts.add(new Chart(s, structureName(s) + (adjusted ? " (ICV-adjusted)" : " (" + sex + ")"), sex, age, value));
        }
        List<String> models = new ArrayList<>();
        for (JsonNode m : findings.path("models")) {
            models.add(m.path("model_id").asText() + " " + m.path("version").asText() + " (" + m.path("pack").asText() + ")");
        }
        // Which series each analysis read, before the analyser's own notes on why it chose them.
        Map<String, String> analysed = new LinkedHashMap<>();
        for (MeasurementRow r : table) {
            analysed.putIfAbsent(r.analysis(), r.series());
        }
        List<String> qcNotes = new ArrayList<>();
        analysed.forEach((analysis, series) -> qcNotes.add(analysis + " analysed on series \"" + series + "\""));
        qcNotes.addAll(strings(findings.path("qc_notes")));
        return new ReportContent(table, charts, strings(findings.path("not_assessed")), qcNotes, models, age, sex);
    }

    /** The normative structure a measurement (a volume or its z-score) is scored against, or null. */
    public static NormativeModel.Structure scoredStructure(String name) {
        return SCORED.get(name);
    }

    /** The measurements of one analysis, in table order. */
    public List<MeasurementRow> of(String analysis) {
        return measurements.stream().filter(r -> r.analysis().equals(analysis)).toList();
    }

    public String ageText() {
        return age == null ? "unknown" : String.format(Locale.ROOT, "%.1f y", age);
    }

    public String sexText() {
        return sex == null ? "unknown" : sex;
    }

    private static MeasurementRow row(Finding f, JsonNode score, Map<String, String> seriesNames) {
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
        String display = f.name().equals("count")
                ? String.format(Locale.ROOT, "%.0f", f.value()) : number(f.value());
        return new MeasurementRow(f.analysis(), f.name(), f.meaning(), f.value(), display, f.unit(), z, percentile,
                range, flag, f.seriesInstanceUid() == null ? "" : seriesNames.getOrDefault(f.seriesInstanceUid(),
                        f.seriesInstanceUid()), f.method(), f.qcFlags());
    }

    /** A volume or index as the report prints it: four significant places at most. */
    public static String number(double v) {
        double a = Math.abs(v);
        return a >= 100 ? String.format(Locale.ROOT, "%.1f", v) : a >= 1 || v == 0 ? String.format(Locale.ROOT, "%.2f", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }

    static String structureName(NormativeModel.Structure s) {
        return switch (s) {
            case HIPPOCAMPUS_LEFT -> "Left hippocampus";
            case HIPPOCAMPUS_RIGHT -> "Right hippocampus";
            case GREY_MATTER -> "Grey matter";
            case WHITE_MATTER -> "White matter";
            case VENTRICLES -> "Lateral ventricles";
            case TOTAL_BRAIN -> "Whole brain";
        };
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
