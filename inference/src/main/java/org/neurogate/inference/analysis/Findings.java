package org.neurogate.inference.analysis;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import org.neurogate.inference.volumetry.NormativeModel;

/**
 * Everything the four analyses found in one study. An analysis that could not run is null and its
 * reason is in {@link #notAssessed}; a number is never made up to fill a gap.
 */
public record Findings(String studyInstanceUid, StrokeLesions lesion, WhiteMatterLesions whiteMatterLesions,
                       Midline midline, BrainAge brainAge, Mci mci, List<String> notAssessed, List<ModelUse> models,
                       List<String> qcNotes, Demographics demographics) {

    public Findings {
        notAssessed = List.copyOf(notAssessed);
        models = List.copyOf(models);
        qcNotes = List.copyOf(qcNotes);
    }

    /** Diffusion lesions (stroke). */
    public record StrokeLesions(String sourceSeriesUid, String adcSource, int count, double totalVolumeMl,
                                double coreVolumeMl, double leftVolumeMl, double rightVolumeMl, double largestVolumeMl,
                                ModelUse method) {
        List<Measurement> measurements() {
            String a = "lesion";
            return List.of(
                    m(a, "count", Concepts.LESION_COUNT, count, "1", method, sourceSeriesUid),
                    m(a, "total_volume_ml", Concepts.INFARCT, totalVolumeMl, "ml", method, sourceSeriesUid),
                    m(a, "core_volume_ml", Concepts.ISCHAEMIC_CORE, coreVolumeMl, "ml", method, sourceSeriesUid),
                    m(a, "left_volume_ml", Concepts.LEFT_HEMISPHERE_LESION, leftVolumeMl, "ml", method, sourceSeriesUid),
                    m(a, "right_volume_ml", Concepts.RIGHT_HEMISPHERE_LESION, rightVolumeMl, "ml", method, sourceSeriesUid),
                    m(a, "largest_volume_ml", Concepts.LARGEST_LESION, largestVolumeMl, "ml", method, sourceSeriesUid));
        }
    }

    /** FLAIR white-matter hyperintensities. */
    public record WhiteMatterLesions(String sourceSeriesUid, int count, double volumeMl, ModelUse method) {
        List<Measurement> measurements() {
            return List.of(m("wmh", "count", Concepts.WMH_COUNT, count, "1", method, sourceSeriesUid),
                    m("wmh", "volume_ml", Concepts.WMH, volumeMl, "ml", method, sourceSeriesUid));
        }
    }

    /**
     * Mid-sagittal plane and midline shift; asymmetry indices are 100 (L - R) / ((L + R) / 2).
     *
     * @param shiftMm         null when no septum pellucidum was found (see notAssessed)
     * @param shiftDirection  "left", "right" or "none" (under 0.5 mm)
     * @param septumCentreLps where the shift was measured (patient LPS, mm), for the key image; null with shiftMm
     */
    public record Midline(String sourceSeriesUid, double[] normalLps, double offsetMm, double yawDeg, double rollDeg,
                          Double shiftMm, String shiftDirection, double greyMatterAsymmetryPct,
                          double whiteMatterAsymmetryPct, double ventricleAsymmetryPct, ModelUse method,
                          double[] septumCentreLps) {
        public Midline {
            normalLps = normalLps.clone();
            septumCentreLps = septumCentreLps == null ? null : septumCentreLps.clone();
        }

        @Override
        public double[] septumCentreLps() {
            return septumCentreLps == null ? null : septumCentreLps.clone();
        }

        @Override
        public double[] normalLps() {
            return normalLps.clone();
        }

        List<Measurement> measurements() {
            String a = "midline";
            List<Measurement> out = new ArrayList<>(List.of(
                    m(a, "yaw_deg", Concepts.MSP_YAW, yawDeg, "deg", method, sourceSeriesUid),
                    m(a, "roll_deg", Concepts.MSP_ROLL, rollDeg, "deg", method, sourceSeriesUid),
                    m(a, "offset_mm", Concepts.MSP_OFFSET, offsetMm, "mm", method, sourceSeriesUid),
                    m(a, "grey_matter_asymmetry_pct", Concepts.GM_ASYMMETRY, greyMatterAsymmetryPct, "%", method, sourceSeriesUid),
                    m(a, "white_matter_asymmetry_pct", Concepts.WM_ASYMMETRY, whiteMatterAsymmetryPct, "%", method, sourceSeriesUid),
                    m(a, "ventricle_asymmetry_pct", Concepts.VENTRICLE_ASYMMETRY, ventricleAsymmetryPct, "%", method, sourceSeriesUid)));
            if (shiftMm != null) {
                out.add(m(a, "shift_mm", Concepts.MIDLINE_SHIFT, shiftMm, "mm", method, sourceSeriesUid));
            }
            return out;
        }
    }

    /**
     * @param gapYears null when the chronological age is unknown (see notAssessed)
     */
    /**
     * @param memberSdYears the spread across an ensemble's networks, null for a single model
     * @param method        the preprocessing that fed the model, null for the reference regression
     */
    public record BrainAge(String sourceSeriesUid, double predictedYears, double uncertaintyYears,
                           Double chronologicalYears, String chronologicalAgeSource, Double gapYears, ModelUse model,
                           Double memberSdYears, String method) {
        List<Measurement> measurements() {
            List<Measurement> out = new ArrayList<>(List.of(
                    m("brain_age", "predicted_years", Concepts.BRAIN_AGE, predictedYears, "a", model, sourceSeriesUid),
                    m("brain_age", "uncertainty_years", Concepts.BRAIN_AGE_UNCERTAINTY, uncertaintyYears, "a", model,
                            sourceSeriesUid)));
            if (gapYears != null) {
                out.add(m("brain_age", "gap_years", Concepts.BRAIN_AGE_GAP, gapYears, "a", model, sourceSeriesUid));
            }
            return out;
        }
    }

    /** A factor of the MCI risk score and its share of the log-odds. */
    public record RiskFactor(String factor, double z, double logOddsContribution) {
    }

    /**
     * MCI biomarkers. Fractions of ICV are plain ratios; norms and the risk score need the patient's
     * age and sex and are empty / null without them.
     */
    public record Mci(String sourceSeriesUid, double icvMl, double greyMatterMl, double whiteMatterMl, double csfMl,
                      double ventriclesMl, double hippocampusLeftMl, double hippocampusRightMl,
                      double hippocampusLeftIcvFraction, double hippocampusRightIcvFraction,
                      double hippocampalAsymmetryPct, List<NormativeModel.Score> norms, Double riskScore,
                      List<RiskFactor> riskFactors, ModelUse tissueModel, ModelUse hippocampusModel) {
        public Mci {
            norms = List.copyOf(norms);
            riskFactors = List.copyOf(riskFactors);
        }

        List<Measurement> measurements() {
            String a = "mci";
            String s = sourceSeriesUid;
            List<Measurement> out = new ArrayList<>(List.of(
                    m(a, "icv_ml", Concepts.INTRACRANIAL_VOLUME, icvMl, "ml", tissueModel, s),
                    m(a, "grey_matter_ml", Concepts.GREY_MATTER, greyMatterMl, "ml", tissueModel, s),
                    m(a, "white_matter_ml", Concepts.WHITE_MATTER, whiteMatterMl, "ml", tissueModel, s),
                    m(a, "csf_ml", Concepts.CSF, csfMl, "ml", tissueModel, s),
                    m(a, "ventricles_ml", Concepts.VENTRICLES, ventriclesMl, "ml", tissueModel, s),
                    m(a, "hippocampus_left_ml", Concepts.HIPPOCAMPUS_LEFT, hippocampusLeftMl, "ml", hippocampusModel, s),
                    m(a, "hippocampus_right_ml", Concepts.HIPPOCAMPUS_RIGHT, hippocampusRightMl, "ml", hippocampusModel, s),
                    m(a, "hippocampus_left_icv_fraction", Concepts.HIPPOCAMPUS_LEFT_ICV, hippocampusLeftIcvFraction, "1",
                            hippocampusModel, s),
                    m(a, "hippocampus_right_icv_fraction", Concepts.HIPPOCAMPUS_RIGHT_ICV, hippocampusRightIcvFraction, "1",
                            hippocampusModel, s),
                    m(a, "hippocampal_asymmetry_pct", Concepts.HIPPOCAMPAL_ASYMMETRY, hippocampalAsymmetryPct, "%",
                            hippocampusModel, s)));
            ModelUse normative = ModelUse.builtIn("nichart-dlmuse-norms");
            for (NormativeModel.Score score : norms) {
                out.add(m(a, score.structure().name().toLowerCase(java.util.Locale.ROOT) + "_z", Concepts.zScore(score.structure()), score.z(),
                        "1", normative, s));
            }
            if (riskScore != null) {
                out.add(m(a, "risk_score", Concepts.MCI_RISK, riskScore, "%", ModelUse.builtIn("mci-risk"), s));
            }
            return out;
        }
    }

    /** Every measurement of the study, coded, flat: what the database rows and the SR carry. */
    @JsonIgnore
    public List<Measurement> measurements() {
        List<Measurement> out = new ArrayList<>();
        if (lesion != null) {
            out.addAll(lesion.measurements());
        }
        if (whiteMatterLesions != null) {
            out.addAll(whiteMatterLesions.measurements());
        }
        if (midline != null) {
            out.addAll(midline.measurements());
        }
        if (brainAge != null) {
            out.addAll(brainAge.measurements());
        }
        if (mci != null) {
            out.addAll(mci.measurements());
        }
        return out;
    }

    private static Measurement m(String analysis, String name, CodedConcept concept, double value, String unit,
                                 ModelUse method, String series) {
        return new Measurement(analysis, name, concept, value, unit, method, series, List.of());
    }
}
