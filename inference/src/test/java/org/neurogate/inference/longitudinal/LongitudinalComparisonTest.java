package org.neurogate.inference.longitudinal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison's arithmetic and its reasons for not comparing, on hand-made findings with known answers. */
class LongitudinalComparisonTest {

    private static final String TISSUE = "tissue 1.0 (reference)";
    private static final String HIPPO = "hippo 1.0 (reference)";

    private static StudyMeasurements study(String uid, String date, double icv, double hippoLeft, double hippoRight,
                                           double grey, double white, double ventricles, String hippoModel) {
        List<StudyMeasurements.Value> v = new ArrayList<>(List.of(
                new StudyMeasurements.Value("mci", "icv_ml", icv, TISSUE),
                new StudyMeasurements.Value("mci", "grey_matter_ml", grey, TISSUE),
                new StudyMeasurements.Value("mci", "white_matter_ml", white, TISSUE),
                new StudyMeasurements.Value("mci", "ventricles_ml", ventricles, TISSUE),
                new StudyMeasurements.Value("mci", "hippocampus_left_ml", hippoLeft, hippoModel),
                new StudyMeasurements.Value("mci", "hippocampus_right_ml", hippoRight, hippoModel)));
        return new StudyMeasurements(uid, LocalDate.parse(date), v);
    }

    @Test
    void annualisedChangeIsPercentOfThePriorPerYear() {
        StudyMeasurements prior = study("1.2.1", "2022-05-02", 1500, 3.00, 3.10, 600, 450, 30, HIPPO);
        // 731 days: 2.0014 years.
        StudyMeasurements now = study("1.2.2", "2024-05-02", 1502, 2.88, 3.07, 594, 447, 33, HIPPO);
        ChangeSincePrior c = LongitudinalComparison.compare(now, List.of(prior));
        assertEquals(ChangeSincePrior.Status.COMPARED, c.status());
        assertEquals("1.2.1", c.priorStudyInstanceUid());
        assertEquals(731 / 365.2425, c.intervalYears(), 1e-9);
        ChangeSincePrior.VolumeChange left = c.volumes().get(0);
        assertEquals("hippocampus_left", left.name());
        assertEquals(-0.12, left.changeMl(), 1e-9);
        assertEquals(-4.0 / c.intervalYears(), left.annualisedPctPerYear(), 1e-9);
        assertNull(left.flag(), "4 % over two years is 2 %/year: under the flag");
        assertEquals(100 * 2.0 / 1500, c.icvChangePct(), 1e-9);
    }

    @Test
    void flagsHippocampalLossBeyondNormalAgeingOnly() {
        StudyMeasurements prior = study("1.2.1", "2020-01-01", 1500, 3.00, 3.00, 600, 450, 30, HIPPO);
        StudyMeasurements now = study("1.2.2", "2022-01-01", 1500, 2.82, 2.94, 598, 449, 31, HIPPO);
        ChangeSincePrior c = LongitudinalComparison.compare(now, List.of(prior));
        ChangeSincePrior.VolumeChange left = c.volumes().get(0);
        ChangeSincePrior.VolumeChange right = c.volumes().get(1);
        assertEquals(-3.0, left.annualisedPctPerYear(), 0.01);
        assertNotNull(left.flag(), "3 %/year hippocampal loss is an MCI/AD rate");
        assertEquals(-1.0, right.annualisedPctPerYear(), 0.01);
        assertNull(right.flag(), "1 %/year is healthy ageing");
        ChangeSincePrior.VolumeChange brain = c.volumes().stream().filter(v -> v.name().equals("whole_brain")).findFirst()
                .orElseThrow();
        assertEquals(1050, brain.priorMl(), 1e-9);
        assertEquals(1047, brain.currentMl(), 1e-9);
        assertNull(brain.flag());
        assertEquals(List.of(left), c.flagged());
        assertTrue(c.measurements("1.2.3.4").stream().anyMatch(m -> m.name().equals("hippocampus_left_annualised_pct")
                && m.unit().equals("%/a") && !m.qcFlags().isEmpty()));
    }

    @Test
    void noPriorWhenNothingEarlier() {
        StudyMeasurements now = study("1.2.2", "2024-05-02", 1500, 3, 3, 600, 450, 30, HIPPO);
        StudyMeasurements later = study("1.2.3", "2025-05-02", 1500, 3, 3, 600, 450, 30, HIPPO);
        StudyMeasurements sameDay = study("1.2.4", "2024-05-02", 1500, 3, 3, 600, 450, 30, HIPPO);
        assertEquals(ChangeSincePrior.Status.NO_PRIOR, LongitudinalComparison.compare(now, List.of()).status());
        ChangeSincePrior c = LongitudinalComparison.compare(now, List.of(later, sameDay));
        assertEquals(ChangeSincePrior.Status.NO_PRIOR, c.status());
        assertTrue(c.measurements("1.2").isEmpty());
    }

    @Test
    void aStudyWithoutAStudyDateHasNoPrior() {
        StudyMeasurements prior = study("1.2.1", "2022-05-02", 1500, 3, 3, 600, 450, 30, HIPPO);
        StudyMeasurements undated = new StudyMeasurements("1.2.2", null,
                study("1.2.2", "2024-05-02", 1500, 2.9, 2.9, 600, 450, 30, HIPPO).values());
        ChangeSincePrior c = LongitudinalComparison.compare(undated, List.of(prior));
        assertEquals(ChangeSincePrior.Status.NO_PRIOR, c.status());
        assertTrue(c.reason().contains("no study date"), c.reason());
    }

    @Test
    void otherModelVersionsAreNotCompared() {
        StudyMeasurements prior = study("1.2.1", "2022-05-02", 1500, 3, 3, 600, 450, 30, "hippo 0.9 (reference)");
        StudyMeasurements now = study("1.2.2", "2024-05-02", 1500, 2.9, 2.9, 600, 450, 30, HIPPO);
        ChangeSincePrior c = LongitudinalComparison.compare(now, List.of(prior));
        assertEquals(ChangeSincePrior.Status.MODEL_VERSIONS_DIFFER, c.status());
        assertTrue(c.reason().contains("hippo 0.9 (reference)"), c.reason());
        assertTrue(c.volumes().isEmpty());
        assertTrue(c.measurements("1.2").isEmpty());
        // An older study with the same versions is the prior, even behind a newer one with others.
        StudyMeasurements older = study("1.2.0", "2021-05-02", 1500, 3.1, 3.1, 600, 450, 30, HIPPO);
        ChangeSincePrior d = LongitudinalComparison.compare(now, List.of(prior, older));
        assertEquals(ChangeSincePrior.Status.COMPARED, d.status());
        assertEquals("1.2.0", d.priorStudyInstanceUid());
    }

    @Test
    void anIcvThatMovedMakesTheComparisonUnreliable() {
        StudyMeasurements prior = study("1.2.1", "2022-05-02", 1500, 3, 3, 600, 450, 30, HIPPO);
        StudyMeasurements now = study("1.2.2", "2024-05-02", 1500 * 1.05, 3.1, 3.1, 630, 470, 31, HIPPO);
        ChangeSincePrior c = LongitudinalComparison.compare(now, List.of(prior));
        assertEquals(ChangeSincePrior.Status.ICV_MISMATCH, c.status());
        assertEquals(5.0, c.icvChangePct(), 1e-9);
        assertTrue(c.volumes().stream().allMatch(v -> v.annualisedPctPerYear() == null && v.changeMl() == null));
        assertTrue(c.measurements("1.2").isEmpty());
        // 2.9 % is within the check.
        StudyMeasurements close = study("1.2.3", "2024-05-02", 1500 * 1.029, 2.9, 2.9, 600, 450, 30, HIPPO);
        assertEquals(ChangeSincePrior.Status.COMPARED, LongitudinalComparison.compare(close, List.of(prior)).status());
    }

    @Test
    void shortIntervalsGiveChangesWithoutRates() {
        StudyMeasurements prior = study("1.2.1", "2024-01-01", 1500, 3, 3, 600, 450, 30, HIPPO);
        StudyMeasurements now = study("1.2.2", "2024-03-01", 1500, 2.95, 3, 600, 450, 30, HIPPO);
        ChangeSincePrior c = LongitudinalComparison.compare(now, List.of(prior));
        assertEquals(ChangeSincePrior.Status.COMPARED, c.status());
        assertEquals(-0.05, c.volumes().get(0).changeMl(), 1e-9);
        assertNull(c.volumes().get(0).annualisedPctPerYear());
        assertEquals(1, c.notes().size());
    }

    @Test
    void lesionsAndMidlineShiftChange() {
        List<StudyMeasurements.Value> then = List.of(new StudyMeasurements.Value("lesion", "count", 1, "dwi 1 (p)"),
                new StudyMeasurements.Value("lesion", "total_volume_ml", 12.5, "dwi 1 (p)"),
                new StudyMeasurements.Value("midline", "shift_mm", 4.0, "msp 1 (p)"));
        List<StudyMeasurements.Value> now = List.of(new StudyMeasurements.Value("lesion", "count", 3, "dwi 1 (p)"),
                new StudyMeasurements.Value("lesion", "total_volume_ml", 20.0, "dwi 1 (p)"),
                new StudyMeasurements.Value("midline", "shift_mm", 1.5, "msp 1 (p)"));
        ChangeSincePrior c = LongitudinalComparison.compare(
                new StudyMeasurements("1.2.2", LocalDate.parse("2024-02-01"), now),
                List.of(new StudyMeasurements("1.2.1", LocalDate.parse("2024-01-01"), then)));
        assertEquals(ChangeSincePrior.Status.COMPARED, c.status());
        assertEquals(2, c.lesions().newLesions());
        assertEquals(7.5, c.lesions().totalChangeMl(), 1e-9);
        assertEquals(-2.5, c.midlineShiftChangeMm(), 1e-9);
        assertTrue(c.volumes().isEmpty());
    }
}
