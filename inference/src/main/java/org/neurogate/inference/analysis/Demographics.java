package org.neurogate.inference.analysis;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The patient facts the normative model and the brain-age gap need.
 *
 * @param ageYears chronological age at the study, or null when neither PatientAge nor birth and study
 *                 dates are present
 * @param ageSource where the age came from: "PatientAge", "PatientBirthDate+StudyDate" or null
 * @param sex       "F", "M", or null when PatientSex is absent or "O"
 */
public record Demographics(Double ageYears, String ageSource, String sex) {

    private static final Pattern AGE_STRING = Pattern.compile("(\\d{3})([DWMY])");
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    public Demographics {
        if (ageYears != null && !(ageYears >= 0 && ageYears < 150)) {
            throw new IllegalArgumentException("age must be 0..150 years, was " + ageYears);
        }
        if (sex != null && !sex.equals("F") && !sex.equals("M")) {
            throw new IllegalArgumentException("sex must be F, M or null, was " + sex);
        }
    }

    static Demographics from(AttributeList list) {
        String sex = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientSex).trim();
        Double age = ageString(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientAge));
        String source = age == null ? null : "PatientAge";
        if (age == null) {
            age = between(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientBirthDate),
                    Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyDate));
            source = age == null ? null : "PatientBirthDate+StudyDate";
        }
        return new Demographics(age, source, sex.equals("F") || sex.equals("M") ? sex : null);
    }

    /** PS3.5 AS value: nnnD, nnnW, nnnM or nnnY. */
    static Double ageString(String value) {
        Matcher m = AGE_STRING.matcher(value.trim());
        if (!m.matches()) {
            return null;
        }
        double n = Integer.parseInt(m.group(1));
        return switch (m.group(2)) {
            case "D" -> n / 365.25;
            case "W" -> n * 7 / 365.25;
            case "M" -> n / 12;
            default -> n;
        };
    }

    static Double between(String birthDate, String studyDate) {
        try {
            LocalDate birth = LocalDate.parse(birthDate.trim(), DA);
            LocalDate study = LocalDate.parse(studyDate.trim(), DA);
            long days = ChronoUnit.DAYS.between(birth, study);
            return days < 0 ? null : days / 365.25;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
