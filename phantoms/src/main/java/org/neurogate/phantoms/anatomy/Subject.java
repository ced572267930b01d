package org.neurogate.phantoms.anatomy;

import org.neurogate.phantoms.geometry.Vec3;

/**
 * Who the phantom is and how they lie in the scanner.
 *
 * @param midlineShiftMm septum displacement, positive towards the patient's left (+x in LPS)
 * @param translation    head centre in patient coordinates (mm)
 * @param headScale      linear scale of the whole head (1 = as the seed makes it): a second scan with
 *                       another scale stands for a miscalibrated scanner, whose ICV disagrees
 */
public record Subject(long seed, double ageYears, Sex sex, Diagnosis diagnosis, double yawDeg, double rollDeg,
                      double pitchDeg, Vec3 translation, double midlineShiftMm, int lesionCount,
                      double lesionVolumeMl, double headScale) {

    public enum Sex { F, M }

    public enum Diagnosis { CN, MCI }

    public Subject {
        if (!(ageYears >= 18 && ageYears <= 100)) {
            throw new IllegalArgumentException("age must be 18..100 years, was " + ageYears);
        }
        if (Math.abs(yawDeg) > 45 || Math.abs(rollDeg) > 45 || Math.abs(pitchDeg) > 45) {
            throw new IllegalArgumentException("yaw, roll and pitch must be within +-45 degrees");
        }
        if (Math.abs(midlineShiftMm) > 20) {
            throw new IllegalArgumentException("midline shift must be within +-20 mm, was " + midlineShiftMm);
        }
        if (lesionCount < 0 || lesionCount > 10) {
            throw new IllegalArgumentException("lesion count must be 0..10, was " + lesionCount);
        }
        if (lesionCount == 0 && lesionVolumeMl > 0) {
            throw new IllegalArgumentException("a lesion volume needs at least one lesion");
        }
        if (lesionCount > 0 && !(lesionVolumeMl > 0 && lesionVolumeMl <= 150)) {
            throw new IllegalArgumentException("lesion volume must be in (0, 150] mL, was " + lesionVolumeMl);
        }
        if (!(headScale >= 0.8 && headScale <= 1.2)) {
            throw new IllegalArgumentException("head scale must be 0.8..1.2, was " + headScale);
        }
        if (sex == null || diagnosis == null || translation == null) {
            throw new IllegalArgumentException("sex, diagnosis and translation are required");
        }
    }

    /** A subject at the head size its seed gives. */
    public Subject(long seed, double ageYears, Sex sex, Diagnosis diagnosis, double yawDeg, double rollDeg,
                   double pitchDeg, Vec3 translation, double midlineShiftMm, int lesionCount, double lesionVolumeMl) {
        this(seed, ageYears, sex, diagnosis, yawDeg, rollDeg, pitchDeg, translation, midlineShiftMm, lesionCount,
                lesionVolumeMl, 1.0);
    }

    /** The same subject on another day: older by the interval, nothing else changed. */
    public Subject atAge(double years) {
        return new Subject(seed, years, sex, diagnosis, yawDeg, rollDeg, pitchDeg, translation, midlineShiftMm,
                lesionCount, lesionVolumeMl, headScale);
    }
}
