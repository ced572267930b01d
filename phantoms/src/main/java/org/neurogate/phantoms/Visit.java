package org.neurogate.phantoms;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.dicom.IdentityOverrides;

/**
 * When and as whom a phantom subject is scanned. Two visits of one subject share the patient ID and
 * birth date and differ in the study date; the subject's age at each visit follows from the dates.
 *
 * @param identity identifying attributes written over the synthetic ones (institution, physicians, ...)
 */
public record Visit(String patientId, LocalDate birthDate, LocalDate studyDate, IdentityOverrides identity) {

    public Visit(String patientId, LocalDate birthDate, LocalDate studyDate) {
        this(patientId, birthDate, studyDate, IdentityOverrides.NONE);
    }

    public Visit {
        if (patientId == null || patientId.isBlank() || patientId.length() > 64 || patientId.contains("\\")) {
            throw new IllegalArgumentException("a patient ID is 1-64 characters without a backslash, was " + patientId);
        }
        if (!birthDate.isBefore(studyDate)) {
            throw new IllegalArgumentException("the birth date " + birthDate + " must be before the study date " + studyDate);
        }
    }

    /** The date a seed's study is scanned on when none is given: spread over 2020-2025. */
    public static LocalDate syntheticStudyDate(long seed) {
        return LocalDate.of(2020, 1, 1).plusDays(Math.floorMod(seed * 7919, 2190));
    }

    /** The birth date that makes someone {@code ageYears} old on {@code studyDate}. */
    public static LocalDate birthDateFor(double ageYears, LocalDate studyDate) {
        int wholeYears = (int) Math.floor(ageYears);
        long extraDays = Math.round((ageYears - wholeYears) * 365.2425);
        return studyDate.minusYears(wholeYears).minusDays(Math.min(extraDays, 364));
    }

    /** Age in years, fractional, on {@code on} for someone born on {@code birth}. */
    public static double ageYears(LocalDate birth, LocalDate on) {
        long years = ChronoUnit.YEARS.between(birth, on);
        LocalDate anniversary = birth.plusYears(years);
        return years + ChronoUnit.DAYS.between(anniversary, on) / 365.2425;
    }

    /** Today's synthetic identity of a subject: ID from the seed, dates from the seed and age. */
    public static Visit synthetic(Subject subject) {
        LocalDate study = syntheticStudyDate(subject.seed());
        return new Visit("NGPH" + subject.seed(), birthDateFor(subject.ageYears(), study), study);
    }
}
