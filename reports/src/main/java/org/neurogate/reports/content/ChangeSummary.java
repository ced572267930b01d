package org.neurogate.reports.content;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The change since the prior study as a report prints it, read from the findings document's
 * {@code change} object (a serialised {@link org.neurogate.inference.longitudinal.ChangeSincePrior}).
 *
 * @param compared false when nothing was compared; {@link #reason} says why
 */
public record ChangeSummary(boolean compared, String status, String reason, String priorStudyInstanceUid,
                            String priorStudyDate, String interval, String icvChange, List<Row> rows,
                            List<String> lines, List<String> notes) {

    /** One followed volume: values in mL, change in mL, rate in %/year; empty where not reported. */
    public record Row(String label, String prior, String current, String change, String rate, String flag,
                      String normalAgeing) {
    }

    public ChangeSummary {
        rows = List.copyOf(rows);
        lines = List.copyOf(lines);
        notes = List.copyOf(notes);
    }

    /** Null when the findings have no change object (analysed before longitudinal comparison existed). */
    public static ChangeSummary of(JsonNode change) {
        if (change == null || change.isMissingNode() || change.isNull()) {
            return null;
        }
        boolean compared = "COMPARED".equals(change.path("status").asText());
        List<Row> rows = new ArrayList<>();
        for (JsonNode v : change.path("volumes")) {
            rows.add(new Row(v.path("label").asText(), ml(v.path("prior_ml")), ml(v.path("current_ml")),
                    signed(v.path("change_ml"), "%+.2f mL"), signed(v.path("annualised_pct_per_year"), "%+.2f %%/year"),
                    v.path("flag").isTextual() ? v.path("flag").asText() : "",
                    v.path("normal_ageing").isTextual() ? v.path("normal_ageing").asText() : ""));
        }
        List<String> lines = new ArrayList<>();
        JsonNode lesions = change.path("lesions");
        if (lesions.isObject()) {
            lines.add(String.format(Locale.ROOT, "Lesions: %d then, %d now; new lesions %d; total volume %.2f -> %.2f mL "
                    + "(%+.2f mL)", lesions.path("prior_count").asInt(), lesions.path("current_count").asInt(),
                    lesions.path("new_lesions").asInt(), lesions.path("prior_total_ml").asDouble(),
                    lesions.path("current_total_ml").asDouble(), lesions.path("total_change_ml").asDouble()));
        }
        if (change.path("midline_shift_change_mm").isNumber()) {
            lines.add(String.format(Locale.ROOT, "Midline shift change: %+.1f mm",
                    change.path("midline_shift_change_mm").asDouble()));
        }
        List<String> notes = new ArrayList<>();
        change.path("notes").forEach(n -> notes.add(n.asText()));
        return new ChangeSummary(compared, change.path("status").asText(), text(change.path("reason")),
                text(change.path("prior_study_instance_uid")), text(change.path("prior_study_date")),
                change.path("interval_years").isNumber()
                        ? String.format(Locale.ROOT, "%.2f years", change.path("interval_years").asDouble()) : "",
                signed(change.path("icv_change_pct"), "%+.1f %%"), rows, lines, notes);
    }

    private static String ml(JsonNode n) {
        return n.isNumber() ? ReportContent.number(n.asDouble()) : "";
    }

    private static String signed(JsonNode n, String format) {
        return n.isNumber() ? String.format(Locale.ROOT, format, n.asDouble()) : "";
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : "";
    }
}
