package org.neurogate.gateway.store;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks the values NeuroGate files an instance by against their VR (PS3.5 6.2): value multiplicity,
 * maximum length and format. A value that breaks them is refused with its attribute named, before the
 * database sees it: an over-long accession number is the sender's error, not a database outage, and a
 * PACS must not be told to retry it forever. Valid values always fit the catalog's columns, which are
 * sized from the same maximum lengths.
 */
final class ValueCheck {

    /** One filed attribute: its VR decides the format, {@code maxLength} the characters per value (per component group for PN). */
    record Rule(AttributeTag tag, String keyword, String vr, int maxLength) {
    }

    static final List<Rule> FILED = List.of(
            new Rule(TagFromName.PatientID, "PatientID", "LO", 64),
            new Rule(TagFromName.IssuerOfPatientID, "IssuerOfPatientID", "LO", 64),
            new Rule(TagFromName.PatientName, "PatientName", "PN", 64),
            new Rule(TagFromName.PatientBirthDate, "PatientBirthDate", "DA", 8),
            new Rule(TagFromName.PatientSex, "PatientSex", "CS", 16),
            new Rule(TagFromName.StudyDate, "StudyDate", "DA", 8),
            new Rule(TagFromName.StudyTime, "StudyTime", "TM", 14),
            new Rule(TagFromName.AccessionNumber, "AccessionNumber", "SH", 16),
            new Rule(TagFromName.StudyDescription, "StudyDescription", "LO", 64),
            new Rule(TagFromName.Modality, "Modality", "CS", 16),
            new Rule(TagFromName.SeriesNumber, "SeriesNumber", "IS", 12),
            new Rule(TagFromName.SeriesDescription, "SeriesDescription", "LO", 64),
            new Rule(TagFromName.InstanceNumber, "InstanceNumber", "IS", 12));

    /** UIDs that identify and route the instance: exactly one valid value each. */
    static final List<Rule> IDENTIFYING_UIDS = List.of(
            new Rule(TagFromName.SOPClassUID, "SOPClassUID", "UI", 64),
            new Rule(TagFromName.SOPInstanceUID, "SOPInstanceUID", "UI", 64),
            new Rule(TagFromName.StudyInstanceUID, "StudyInstanceUID", "UI", 64),
            new Rule(TagFromName.SeriesInstanceUID, "SeriesInstanceUID", "UI", 64));

    private static final Pattern CS = Pattern.compile("[A-Z0-9 _]*");
    private static final Pattern DA = Pattern.compile("\\d{8}");
    private static final Pattern TM = Pattern.compile("([01]\\d|2[0-3])([0-5]\\d(([0-5]\\d|60)(\\.\\d{1,6})?)?)?");
    private static final Pattern IS = Pattern.compile("[+-]?\\d+");
    /** Control characters other than ESC (ISO 2022 code extensions) are not allowed in text VRs. */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\u001B]]");

    private ValueCheck() {
    }

    /** The first problem found, phrased for an error comment ("(0008,0050) AccessionNumber longer than 16"), or null. */
    static String problem(AttributeList list) {
        for (Rule rule : FILED) {
            String p = problem(list.get(rule.tag()), rule);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    static String problem(Attribute attribute, Rule rule) {
        if (attribute == null || attribute.getVM() == 0) {
            return null;
        }
        String name = String.format("(%04X,%04X) %s", rule.tag().getGroup(), rule.tag().getElement(), rule.keyword());
        if (attribute.getVM() > 1) {
            return name + " has " + attribute.getVM() + " values, allows 1";
        }
        String value;
        try {
            value = attribute.getStringValues()[0];
        } catch (Exception e) {
            return name + " cannot be read as text";
        }
        value = value == null ? "" : value.strip();
        if (value.isEmpty()) {
            return null;
        }
        if (CONTROL.matcher(value).find()) {
            return name + " contains control characters";
        }
        if ("PN".equals(rule.vr())) {
            for (String group : value.split("=", -1)) {
                if (group.length() > rule.maxLength()) {
                    return name + " component group longer than " + rule.maxLength();
                }
            }
            return null;
        }
        boolean formatted = "DA".equals(rule.vr()) || "TM".equals(rule.vr());
        if (!formatted && value.length() > rule.maxLength()) {
            return name + " longer than " + rule.maxLength();
        }
        return switch (rule.vr()) {
            case "DA" -> validDate(value) ? null : name + " is not a date YYYYMMDD";
            case "TM" -> TM.matcher(value).matches() ? null : name + " is not a time HHMMSS.FFFFFF";
            case "CS" -> CS.matcher(value).matches() ? null : name + " has characters a code string disallows";
            case "IS" -> validInteger(value) ? null : name + " is not an integer string";
            default -> null;
        };
    }

    private static boolean validDate(String value) {
        if (!DA.matcher(value).matches()) {
            return false;
        }
        try {
            LocalDate.of(Integer.parseInt(value.substring(0, 4)), Integer.parseInt(value.substring(4, 6)),
                    Integer.parseInt(value.substring(6, 8)));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static boolean validInteger(String value) {
        if (!IS.matcher(value).matches()) {
            return false;
        }
        try {
            Integer.parseInt(value.startsWith("+") ? value.substring(1) : value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
