package org.neurogate.gateway.web;

import io.quarkus.qute.TemplateExtension;
import java.util.Locale;
import org.neurogate.persistence.Worklist;

/** How the viewer's templates print DICOM values and numbers. */
@TemplateExtension
public final class ViewerFormat {

    private ViewerFormat() {
    }

    static String fmt(Double value, int decimals) {
        return value == null ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static String fmtSigned(Double value, int decimals) {
        return value == null ? "" : String.format(Locale.ROOT, "%+." + decimals + "f", value);
    }

    static String lower(Object value) {
        return value == null ? "" : value.toString().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** PatientName as people write it: "Doe^Jane" becomes "Doe, Jane". */
    static String patient(Worklist.Row row) {
        return personName(row.patientName());
    }

    static String date(Worklist.Row row) {
        return dicomDate(row.studyDate());
    }

    public static String personName(String pn) {
        if (pn == null || pn.isBlank()) {
            return "";
        }
        String[] parts = pn.split("\\^", -1);
        StringBuilder out = new StringBuilder(parts[0].strip());
        if (parts.length > 1 && !parts[1].isBlank()) {
            out.append(", ").append(parts[1].strip());
        }
        for (int i = 2; i < parts.length; i++) {
            if (!parts[i].isBlank()) {
                out.append(' ').append(parts[i].strip());
            }
        }
        return out.toString();
    }

    /** DICOM DA (YYYYMMDD) as YYYY-MM-DD. */
    public static String dicomDate(String da) {
        return da == null ? "" : org.neurogate.reports.pdf.PdfReport.readableDate(da);
    }
}
