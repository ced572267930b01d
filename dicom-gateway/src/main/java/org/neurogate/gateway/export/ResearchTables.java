package org.neurogate.gateway.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neurogate.inference.analysis.CodedConcept;
import org.neurogate.inference.analysis.Concepts;

/**
 * The columns of the export's tables, with what the data dictionary says of each: findings (long:
 * one row per subject, study and measurement) and studies (wide: one row per study, the main
 * measures as columns). CSV and Parquet carry the same columns with the same types.
 */
final class ResearchTables {

    enum Type { VARCHAR, DOUBLE, INTEGER, BOOLEAN, DATE }

    /** @param code "SCHEME:CODE" of the coded concept a measure column holds, or empty */
    record Column(String name, Type type, String meaning, String unit, String code) {
    }

    /** A wide column: one measurement (its value, percentile or z-score) of one analysis. */
    record Measure(String analysis, String measurement, String of, Column column) {
    }

    private static final Column SUBJECT = new Column("subject_id", Type.VARCHAR,
            "Pseudonym of the subject: keyed hash (HMAC-SHA256) of PatientID and IssuerOfPatientID", "", "");
    private static final Column STUDY = new Column("study_uid", Type.VARCHAR,
            "Study Instance UID, remapped (2.25, keyed); the same as in the exported DICOM", "", "");
    private static final Column DATE = new Column("study_date", Type.DATE,
            "Study date shifted by the subject's keyed offset (intervals between a subject's studies are exact)", "", "");
    private static final Column AGE = new Column("age_years", Type.DOUBLE, "Age at the scan", "a", "");
    private static final Column SEX = new Column("sex", Type.VARCHAR, "Sex (F, M; empty when not recorded)", "", "");
    private static final Column SIGNED = new Column("signed", Type.BOOLEAN,
            "Whether a radiologist signed the analysis", "", "");

    static final List<Column> FINDINGS = List.of(SUBJECT, STUDY, DATE, AGE, SEX, SIGNED,
            new Column("analysis", Type.VARCHAR, "Analysis (lesion, wmh, midline, brain_age, mci, change)", "", ""),
            new Column("measurement", Type.VARCHAR, "Stable key of the measurement within its analysis", "", ""),
            new Column("concept_scheme", Type.VARCHAR, "Coding scheme of the measured concept (SCT, DCM, 99NEUROGATE)", "", ""),
            new Column("concept_code", Type.VARCHAR, "Code value of the measured concept", "", ""),
            new Column("concept_meaning", Type.VARCHAR, "Code meaning of the measured concept", "", ""),
            new Column("value", Type.DOUBLE, "Measured value", "see unit", ""),
            new Column("unit", Type.VARCHAR, "UCUM unit of value", "", ""),
            new Column("percentile", Type.DOUBLE,
                    "Percentile among healthy people of the same age and sex (NiChart DLMUSE norms), where scored", "%", ""),
            new Column("z_score", Type.DOUBLE, "z-score against the same norms, where scored", "1", ""),
            new Column("model_id", Type.VARCHAR, "Model or algorithm that produced the value", "", ""),
            new Column("model_version", Type.VARCHAR, "Its version", "", ""),
            new Column("model_pack", Type.VARCHAR, "The model pack it came from (neurogate: built in)", "", ""),
            new Column("qc_flags", Type.VARCHAR, "Quality-control flags qualifying the value, semicolon separated", "", ""));

    static final List<Measure> MEASURES = List.of(
            measure("lesion", "total_volume_ml", "value", "infarct_ml", Concepts.INFARCT, "mL"),
            measure("lesion", "core_volume_ml", "value", "ischaemic_core_ml", Concepts.ISCHAEMIC_CORE, "mL"),
            measure("lesion", "count", "value", "lesion_count", Concepts.LESION_COUNT, "1"),
            measure("wmh", "volume_ml", "value", "wmh_ml", Concepts.WMH, "mL"),
            measure("midline", "shift_mm", "value", "midline_shift_mm", Concepts.MIDLINE_SHIFT, "mm"),
            measure("brain_age", "predicted_years", "value", "brain_age_years", Concepts.BRAIN_AGE, "a"),
            measure("brain_age", "gap_years", "value", "brain_age_gap_years", Concepts.BRAIN_AGE_GAP, "a"),
            measure("mci", "icv_ml", "value", "icv_ml", Concepts.INTRACRANIAL_VOLUME, "mL"),
            measure("mci", "grey_matter_ml", "value", "grey_matter_ml", Concepts.GREY_MATTER, "mL"),
            measure("mci", "white_matter_ml", "value", "white_matter_ml", Concepts.WHITE_MATTER, "mL"),
            measure("mci", "ventricles_ml", "value", "ventricles_ml", Concepts.VENTRICLES, "mL"),
            measure("mci", "hippocampus_left_ml", "value", "hippocampus_left_ml", Concepts.HIPPOCAMPUS_LEFT, "mL"),
            measure("mci", "hippocampus_right_ml", "value", "hippocampus_right_ml", Concepts.HIPPOCAMPUS_RIGHT, "mL"),
            measure("mci", "hippocampus_left_ml", "percentile", "hippocampus_left_percentile", Concepts.HIPPOCAMPUS_LEFT, "%"),
            measure("mci", "hippocampus_right_ml", "percentile", "hippocampus_right_percentile", Concepts.HIPPOCAMPUS_RIGHT,
                    "%"),
            measure("mci", "hippocampus_left_ml", "z", "hippocampus_left_z", Concepts.HIPPOCAMPUS_LEFT, "1"),
            measure("mci", "hippocampus_right_ml", "z", "hippocampus_right_z", Concepts.HIPPOCAMPUS_RIGHT, "1"),
            measure("mci", "risk_score", "value", "mci_risk_pct", Concepts.MCI_RISK, "%"));

    static final List<Column> STUDIES;

    static {
        List<Column> columns = new ArrayList<>(List.of(SUBJECT, STUDY, DATE, AGE, SEX, SIGNED,
                new Column("analyses", Type.VARCHAR, "Analyses with results, semicolon separated", "", ""),
                new Column("not_assessed", Type.VARCHAR, "Analyses not assessed (no results), semicolon separated", "", "")));
        MEASURES.forEach(m -> columns.add(m.column()));
        STUDIES = List.copyOf(columns);
    }

    private ResearchTables() {
    }

    private static Measure measure(String analysis, String measurement, String of, String column, CodedConcept concept,
                                   String unit) {
        String meaning = switch (of) {
            case "percentile" -> concept.meaning() + ": percentile among healthy people of the same age and sex";
            case "z" -> concept.meaning() + ": z-score against the same norms";
            default -> concept.meaning() + " (" + analysis + "." + measurement + ")";
        };
        return new Measure(analysis, measurement, of, new Column(column, Type.DOUBLE, meaning, unit,
                concept.scheme() + ":" + concept.code()));
    }

    /** data_dictionary.csv: every column of both tables. */
    static void writeDictionary(Path file) throws IOException {
        try (Csv csv = new Csv(file, List.of("table", "column", "type", "meaning", "unit", "code"))) {
            for (Column c : FINDINGS) {
                csv.row("findings", c.name(), c.type().name(), c.meaning(), c.unit(), c.code());
            }
            for (Column c : STUDIES) {
                csv.row("studies", c.name(), c.type().name(), c.meaning(), c.unit(), c.code());
            }
        }
    }

    /** An RFC 4180 CSV file: a header, then rows; null and "" are an empty field, numbers exact and without exponent. */
    static final class Csv implements AutoCloseable {
        private final BufferedWriter out;

        Csv(Path file, List<String> header) throws IOException {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            row(header.toArray());
        }

        void row(Object... fields) throws IOException {
            for (int i = 0; i < fields.length; i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(field(fields[i]));
            }
            out.write("\r\n");
        }

        private static String field(Object v) {
            if (v == null) {
                return "";
            }
            if (v instanceof Double d) {
                return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            }
            String s = v.toString();
            // An empty text is written as no value: CSV cannot tell the two apart, and Parquet reads both as NULL.
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                return '"' + s.replace("\"", "\"\"") + '"';
            }
            return s;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
