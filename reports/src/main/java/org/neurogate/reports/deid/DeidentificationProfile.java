package org.neurogate.reports.deid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a research export promises about its DICOM: the PS3.15 Basic Application Level Confidentiality
 * Profile with the Retain Longitudinal Temporal Information with Modified Dates, Retain Patient
 * Characteristics and Clean Descriptors options (and Clean Recognizable Visual Features for defaced
 * images), coded from CID 7050 for De-identification Method Code Sequence (0012,0064).
 *
 * @param safePrivate private attributes kept, each as {@code CREATOR/(gggg,xxee)}; empty by default
 * @param faceMarginMm how far outside the brain mask's hull the defacing plane lies
 */
public record DeidentificationProfile(List<String> safePrivate, double faceMarginMm) {

    /** One CID 7050 code. */
    public record Option(String code, String meaning) {
    }

    public static final Option BASIC = new Option("113100", "Basic Application Confidentiality Profile");
    public static final Option MODIFIED_DATES = new Option("113107",
            "Retain Longitudinal Temporal Information Modified Dates Option");
    public static final Option PATIENT_CHARACTERISTICS = new Option("113108", "Retain Patient Characteristics Option");
    public static final Option CLEAN_DESCRIPTORS = new Option("113105", "Clean Descriptors Option");
    public static final Option CLEAN_STRUCTURED_CONTENT = new Option("113104", "Clean Structured Content Option");
    public static final Option CLEAN_VISUAL_FEATURES = new Option("113102", "Clean Recognizable Visual Features Option");
    public static final Option RETAIN_SAFE_PRIVATE = new Option("113111", "Retain Safe Private Option");

    private static final Pattern SAFE_PRIVATE = Pattern.compile("(.+)/\\(([0-9A-Fa-f]{4}),xx([0-9A-Fa-f]{2})\\)");

    public DeidentificationProfile {
        safePrivate = List.copyOf(safePrivate);
        for (String entry : safePrivate) {
            Matcher m = SAFE_PRIVATE.matcher(entry.strip());
            if (!m.matches() || Integer.parseInt(m.group(2), 16) % 2 == 0) {
                throw new IllegalArgumentException("a safe private attribute is CREATOR/(gggg,xxee) with an odd group: "
                        + entry);
            }
        }
        if (!(faceMarginMm >= 0 && faceMarginMm <= 30)) {
            throw new IllegalArgumentException("the defacing margin must be 0 to 30 mm, was " + faceMarginMm);
        }
    }

    /** The options applied to one object, in the order they are recorded. */
    public List<Option> options(boolean defaced) {
        List<Option> out = new ArrayList<>(List.of(BASIC, MODIFIED_DATES, PATIENT_CHARACTERISTICS, CLEAN_DESCRIPTORS,
                CLEAN_STRUCTURED_CONTENT));
        if (defaced) {
            out.add(CLEAN_VISUAL_FEATURES);
        }
        if (!safePrivate.isEmpty()) {
            out.add(RETAIN_SAFE_PRIVATE);
        }
        return out;
    }

    boolean isSafePrivate(int group, String creator, int elementLow) {
        for (String entry : safePrivate) {
            Matcher m = SAFE_PRIVATE.matcher(entry.strip());
            if (m.matches() && Integer.parseInt(m.group(2), 16) == group && Integer.parseInt(m.group(3), 16) == elementLow
                    && m.group(1).strip().toUpperCase(Locale.ROOT).equals(creator.toUpperCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
