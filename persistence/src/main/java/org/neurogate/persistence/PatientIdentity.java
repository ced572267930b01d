package org.neurogate.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether an incoming instance names the same patient as the study it claims to belong to.
 *
 * <p>PatientID and its issuer must match exactly: they are what a PACS files by. Name and birth date
 * must not contradict: a value missing on one side is not a contradiction (many modalities leave the
 * birth date empty), but two different values are. Names are compared without regard to case, padding
 * and empty trailing components ({@code DOE^JOHN^^} is {@code Doe^John}), which differ between
 * systems that copy the same worklist entry.
 */
public final class PatientIdentity {

    private PatientIdentity() {
    }

    /** The attribute keywords on which {@code received} contradicts {@code stored}; empty when they agree. */
    public static List<String> differences(ReceivedInstance.PatientAttributes stored,
                                           ReceivedInstance.PatientAttributes received) {
        List<String> differing = new ArrayList<>();
        if (!text(stored.patientId()).equals(text(received.patientId()))) {
            differing.add("PatientID");
        }
        if (!text(stored.issuerOfPatientId()).equals(text(received.issuerOfPatientId()))) {
            differing.add("IssuerOfPatientID");
        }
        if (contradicts(name(stored.patientName()), name(received.patientName()))) {
            differing.add("PatientName");
        }
        if (contradicts(text(stored.birthDate()), text(received.birthDate()))) {
            differing.add("PatientBirthDate");
        }
        return differing;
    }

    private static boolean contradicts(String a, String b) {
        return !a.isEmpty() && !b.isEmpty() && !a.equals(b);
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    static String name(String value) {
        String n = text(value).toUpperCase(Locale.ROOT);
        StringBuilder groups = new StringBuilder();
        // Each component group (alphabetic=ideographic=phonetic) loses its empty trailing components.
        String[] parts = n.split("=", -1);
        for (int g = 0; g < parts.length; g++) {
            String[] components = parts[g].split("\\^", -1);
            int last = components.length;
            while (last > 0 && components[last - 1].isBlank()) {
                last--;
            }
            StringBuilder group = new StringBuilder();
            for (int c = 0; c < last; c++) {
                if (c > 0) {
                    group.append('^');
                }
                group.append(components[c].strip());
            }
            if (g > 0) {
                groups.append('=');
            }
            groups.append(group);
        }
        String joined = groups.toString();
        int end = joined.length();
        while (end > 0 && joined.charAt(end - 1) == '=') {
            end--;
        }
        return joined.substring(0, end);
    }
}
