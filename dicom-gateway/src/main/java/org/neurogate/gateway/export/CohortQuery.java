package org.neurogate.gateway.export;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A researcher's cohort: which analysed studies an export holds. Every field is optional; the empty
 * query selects every analysed study (its latest finished analysis).
 *
 * @param since        first study date (ISO yyyy-mm-dd, inclusive), in the hospital's real dates
 * @param until        last study date (inclusive)
 * @param analyses     analyses that must have results ({@code lesion}, {@code wmh}, {@code midline},
 *                     {@code brain_age}, {@code mci}, {@code change})
 * @param notAssessed  analyses that must have no results (not assessed)
 * @param sex          F or M
 * @param minAge       youngest age at the scan, years (inclusive)
 * @param maxAge       oldest age at the scan, years (inclusive)
 * @param signedOnly   only studies a radiologist signed
 * @param modelId      a model that must have produced at least one measurement
 * @param modelVersion with modelId: that model's version
 * @param where        thresholds on findings, each {@code analysis.measurement[.value|.percentile|.z] OP number}
 *                     with OP one of {@code < <= > >= =}, for example {@code mci.hippocampus_left_ml.percentile<10}
 * @param withImages   add the de-identified DICOM (source series, SR, SEG) and NIfTI label maps
 * @param allowBurnedInAnnotation export source series that declare burned-in annotation (refused by default)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CohortQuery(String since, String until, List<String> analyses, List<String> notAssessed, String sex,
                          Double minAge, Double maxAge, Boolean signedOnly, String modelId, String modelVersion,
                          List<String> where, Boolean withImages, Boolean allowBurnedInAnnotation) {

    public static final Set<String> ANALYSES = Set.of("lesion", "wmh", "midline", "brain_age", "mci", "change");

    /** One threshold on a finding. */
    public record Threshold(String analysis, String measurement, String of, String operator, double value) {
        boolean test(double x) {
            return switch (operator) {
                case "<" -> x < value;
                case "<=" -> x <= value;
                case ">" -> x > value;
                case ">=" -> x >= value;
                default -> x == value;
            };
        }
    }

    private static final Pattern THRESHOLD = Pattern.compile(
            "\\s*([a-z_]+)\\.([a-z0-9_]+)(?:\\.(value|percentile|z))?\\s*(<=|>=|<|>|=)\\s*(-?\\d+(?:\\.\\d+)?)\\s*");

    public CohortQuery {
        analyses = analyses == null ? List.of() : List.copyOf(analyses);
        notAssessed = notAssessed == null ? List.of() : List.copyOf(notAssessed);
        where = where == null ? List.of() : List.copyOf(where);
    }

    public static CohortQuery everything() {
        return new CohortQuery(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * @throws IllegalArgumentException naming the first field that is not valid
     */
    public CohortQuery validated() {
        LocalDate from = date("since", since);
        LocalDate to = date("until", until);
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("until (" + until + ") is before since (" + since + ")");
        }
        for (String a : analyses) {
            requireAnalysis("analyses", a);
        }
        for (String a : notAssessed) {
            requireAnalysis("notAssessed", a);
            if (analyses.contains(a)) {
                throw new IllegalArgumentException(a + " is both required and not assessed");
            }
        }
        if (sex != null && !sex.equals("F") && !sex.equals("M")) {
            throw new IllegalArgumentException("sex must be F or M, was " + sex);
        }
        for (Double age : new Double[] {minAge, maxAge}) {
            if (age != null && !(age >= 0 && age <= 150)) {
                throw new IllegalArgumentException("ages must be 0 to 150 years, was " + age);
            }
        }
        if (minAge != null && maxAge != null && maxAge < minAge) {
            throw new IllegalArgumentException("maxAge is below minAge");
        }
        if (modelVersion != null && modelId == null) {
            throw new IllegalArgumentException("modelVersion needs modelId");
        }
        thresholds();
        return this;
    }

    /** The thresholds of {@link #where}, parsed. */
    public List<Threshold> thresholds() {
        return where.stream().map(CohortQuery::threshold).toList();
    }

    static Threshold threshold(String text) {
        Matcher m = THRESHOLD.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("a threshold is analysis.measurement[.value|.percentile|.z] OP number "
                    + "(OP one of < <= > >= =), for example mci.hippocampus_left_ml.percentile<10; was: " + text);
        }
        requireAnalysis("where", m.group(1));
        return new Threshold(m.group(1), m.group(2), m.group(3) == null ? "value" : m.group(3), m.group(4),
                Double.parseDouble(m.group(5)));
    }

    /** The since / until bounds as DICOM DA, or null. */
    String sinceDa() {
        LocalDate d = date("since", since);
        return d == null ? null : d.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
    }

    String untilDa() {
        LocalDate d = date("until", until);
        return d == null ? null : d.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
    }

    boolean images() {
        return Boolean.TRUE.equals(withImages);
    }

    boolean burnedInAllowed() {
        return Boolean.TRUE.equals(allowBurnedInAnnotation);
    }

    private static LocalDate date(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be a date as yyyy-mm-dd, was " + value);
        }
    }

    private static void requireAnalysis(String field, String analysis) {
        if (!ANALYSES.contains(analysis.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(field + ": unknown analysis " + analysis + "; known: "
                    + new java.util.TreeSet<>(ANALYSES));
        }
    }
}
