package org.neurogate.inference.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurogate.inference.image.LinearAlgebra;
import org.neurogate.inference.midline.MidSagittalPlane;
import org.neurogate.inference.stroke.DiffusionLesions;
import org.neurogate.inference.volume.Volume;
import org.neurogate.inference.volumetry.BrainTissue;
import org.neurogate.inference.volumetry.MciRisk;
import org.neurogate.inference.volumetry.NormativeModel;

/** Known answers for the analyses' arithmetic and geometry. */
class AnalysisMathsTest {

    @Test
    void normativeScoresAtTheTabulatedCentiles() {
        // NiChart, men, 60 years, left hippocampus: 5th 3.350, median 3.965, 95th 4.529 mL.
        NormativeModel.Score median = NormativeModel.score(NormativeModel.Structure.HIPPOCAMPUS_LEFT, 3.965, "M", 60);
        assertEquals(0, median.z(), 1e-9);
        assertEquals(50, median.percentile(), 1e-6);
        NormativeModel.Score high = NormativeModel.score(NormativeModel.Structure.HIPPOCAMPUS_LEFT, 4.529, "M", 60);
        assertEquals(1.645, high.z(), 1e-9);
        assertEquals(95, high.percentile(), 0.01);
        NormativeModel.Score low = NormativeModel.score(NormativeModel.Structure.HIPPOCAMPUS_LEFT, 3.350, "M", 60);
        assertEquals(-1.645, low.z(), 1e-9);
        // Halfway between 60 (3.965) and 70 (3.853) years.
        assertEquals((3.965 + 3.853) / 2, NormativeModel.centiles(NormativeModel.Structure.HIPPOCAMPUS_LEFT, "M", 65).p50(), 1e-9);
        assertTrue(NormativeModel.score(NormativeModel.Structure.GREY_MATTER, 700, "F", 30).ageOutsideNorms());
        assertThrows(IllegalArgumentException.class, () -> NormativeModel.score(NormativeModel.Structure.GREY_MATTER, 700, "O", 50));
    }

    @Test
    void hippocampiAreScoredOnTheirIcvAdjustedVolume() {
        // NiChart ICV-adjusted, 60 years, left hippocampus: 5th 3.350, median 3.896, 95th 4.419 mL at 1430 mL ICV.
        NormativeModel.Score atReference = NormativeModel.score(NormativeModel.Structure.HIPPOCAMPUS_LEFT, 3.896, "M", 60, 1430);
        assertEquals(0, atReference.z(), 1e-9);
        assertEquals(3.896, atReference.icvAdjustedMl(), 1e-9);
        // The same hippocampus in a head 10 % larger is small for that head: 3.896 / 1.1 = 3.542 mL.
        NormativeModel.Score bigHead = NormativeModel.score(NormativeModel.Structure.HIPPOCAMPUS_LEFT, 3.896, "F", 60, 1573);
        assertEquals(3.896 / 1.1, bigHead.icvAdjustedMl(), 1e-9);
        assertEquals((3.896 / 1.1 - 3.896) / ((3.896 - 3.350) / 1.645), bigHead.z(), 1e-9);
        assertEquals(3.896, bigHead.valueMl(), 1e-9);
        // A hippocampus at the adjusted 95th centile reads as the 95th percentile whatever the sex.
        assertEquals(95, NormativeModel.score(NormativeModel.Structure.HIPPOCAMPUS_RIGHT, 4.759 * 1.2, "F", 60, 1716)
                .percentile(), 0.01);
        // Other structures keep their raw, same-sex norms.
        NormativeModel.Score grey = NormativeModel.score(NormativeModel.Structure.GREY_MATTER, 695.2, "M", 60, 1200);
        assertEquals(null, grey.icvAdjustedMl());
        assertEquals(0, grey.z(), 1e-9);
        assertThrows(IllegalArgumentException.class,
                () -> NormativeModel.score(NormativeModel.Structure.HIPPOCAMPUS_LEFT, 3.9, "M", 60, 0));
    }

    @Test
    void chronologicalAgeFromPatientAgeOrDates() {
        assertEquals(67.0, Demographics.ageString("067Y"));
        assertEquals(0.5, Demographics.ageString("006M"), 1e-12);
        assertNull(Demographics.ageString("67"));
        assertEquals(41.0, Demographics.between("19800315", "20210315"), 0.01);
        assertNull(Demographics.between("", "20210315"));
        assertNull(Demographics.between("20210316", "20210315"), "a birth after the study is not an age");
    }

    @Test
    void planeAnglesRoundTrip() {
        MidSagittalPlane p = MidSagittalPlane.fromAngles(12, -9, 3);
        assertEquals(12, p.yawDeg(), 1e-9);
        assertEquals(-9, p.rollDeg(), 1e-9);
        // The phantom's normal for yaw 12, roll -9 (truth.json of a phantom).
        assertEquals(0, p.angleTo(new double[] {0.966105, 0.205352, 0.156434}), 1e-3);
        assertEquals(90, p.angleTo(new double[] {-0.205352 / Math.hypot(0.966105, 0.205352), 0.966105 / Math.hypot(0.966105, 0.205352), 0}), 1e-3);
        assertEquals(3, p.distance(3 * p.normal()[0], 3 * p.normal()[1], 3 * p.normal()[2]) + 3, 1e-9);
    }

    @Test
    void riskScoreFromNormativeDeviations() {
        MciRisk.Result typical = MciRisk.score(0, 0, 0);
        // log-odds = -1.4^2/2 - 0.3^2/2 = -1.025 -> 26.4 %
        assertEquals(100 / (1 + Math.exp(1.025)), typical.scorePct(), 1e-9);
        MciRisk.Result atrophic = MciRisk.score(-2, -1.6, -0.5);
        // mean hippocampal z -1.8: 1.4 * 1.8 - 0.98 = 1.54; grey matter: 0.3 * 0.5 - 0.045 = 0.105
        assertEquals(100 / (1 + Math.exp(-1.645)), atrophic.scorePct(), 1e-9);
        assertEquals("hippocampal volume", atrophic.factors().get(0).factor(), "the largest factor first");
    }

    @Test
    void aucOfSeparatedAndTiedScores() {
        assertEquals(1.0, CohortEvaluation.auc(List.of(3.0, 4.0), List.of(1.0, 2.0)));
        assertEquals(0.5, CohortEvaluation.auc(List.of(1.0), List.of(1.0)));
        assertEquals(0.75, CohortEvaluation.auc(List.of(2.0, 4.0), List.of(1.0, 3.0)));
    }

    @Test
    void tissuePeaksOfAThreeClassHistogram() {
        SplittableRandom r = new SplittableRandom(5);
        float[] values = new float[30_000];
        for (int i = 0; i < values.length; i++) {
            double centre = i % 10 < 2 ? 250 : i % 10 < 6 ? 560 : 820;
            values[i] = (float) (centre + r.nextGaussian() * 20);
        }
        double[] c = BrainTissue.kMeans3(values);
        assertEquals(250, c[0], 8);
        assertEquals(560, c[1], 8);
        assertEquals(820, c[2], 8);
        assertEquals(0.5, BrainTissue.anchor((250 + 560) / 2.0, new double[] {250, 560, 820}), 1e-9);
        assertEquals(2, BrainTissue.anchor(820, new double[] {250, 560, 820}), 1e-9);
    }

    @Test
    void adcFromTwoTraceImages() {
        double[] identity = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        Volume b0 = new Volume(new float[] {1000, 1000, 0}, 3, 1, 1, new double[] {1, 1, 1}, identity, new double[3]);
        Volume b1000 = b0.withVoxels(new float[] {(float) (1000 * Math.exp(-0.8)), (float) (1000 * Math.exp(-0.48)), 5});
        float[] adc = DiffusionLesions.computeAdc(b0, b1000, 1000).voxels();
        assertEquals(800, adc[0], 0.1);
        assertEquals(480, adc[1], 0.1);
        assertEquals(0, adc[2], "no signal, no ADC");
    }

    @Test
    void asymmetryIndexAndSolver() {
        assertEquals(20, StudyAnalyzer.asymmetry(11, 9), 1e-9);
        assertEquals(0, StudyAnalyzer.asymmetry(0, 0));
        double[] x = LinearAlgebra.solve(new double[][] {{2, 1}, {1, 3}}, new double[] {3, 5});
        assertEquals(0.8, x[0], 1e-12);
        assertEquals(1.4, x[1], 1e-12);
    }

    @Test
    void aBrainAgeEnsembleIsRefusedOnAPoorRegistrationOrDisagreeingNetworks() {
        java.util.Map<String, Double> members = java.util.Map.of("axi_fold1", 40.0, "cor_fold1", 42.0);
        assertNull(StudyAnalyzer.refusal(estimate(0.92, 6, members)));
        assertTrue(StudyAnalyzer.refusal(estimate(0.62, 6, members)).contains("correlation ratio 0.62, below 0.80"));
        assertTrue(StudyAnalyzer.refusal(estimate(Double.NaN, 6, members)).contains("registration"));
        assertTrue(StudyAnalyzer.refusal(estimate(0.92, 140, members)).contains("2 networks disagree (SD 140 y"));
    }

    private static org.neurogate.inference.brainage.BrainAgeModel.Estimate estimate(double correlationRatio, double sd,
                                                                                  java.util.Map<String, Double> members) {
        return new org.neurogate.inference.brainage.BrainAgeModel.Estimate(41, sd, Math.hypot(sd, 3.13), members,
                java.util.Map.of(), correlationRatio, 650);
    }

    /** A whole head keeps Otsu's split from its dark background; a skull-stripped brain has none to split off. */
    @Test
    void headLevelOnWholeHeadAndSkullStrippedImages() {
        SplittableRandom random = new SplittableRandom(7);
        float[] wholeHead = new float[20000];
        float[] stripped = new float[20000];
        for (int i = 0; i < wholeHead.length; i++) {
            boolean head = i < 8000;
            boolean lesion = i < 400;
            double tissue = lesion ? 1500 : 700;
            wholeHead[i] = (float) Math.max(0, head ? tissue + 70 * random.nextGaussian() : 70 * random.nextGaussian());
            stripped[i] = head ? (float) (tissue + 70 * random.nextGaussian()) : 0;
        }
        double t = DiffusionLesions.headLevel(wholeHead);
        assertTrue(t > 150 && t < 600, "whole head: between noise and tissue, was " + t);
        assertEquals(0, DiffusionLesions.headLevel(stripped), "skull-stripped: every positive voxel is inside");
    }

    /** ADC maps in mm^2/s, 10^-3 mm^2/s and 10^-6 mm^2/s all come out in 10^-6 mm^2/s; negative fit noise is 0. */
    @Test
    void adcUnitsFromTheDataRange() {
        float[] head = {1, 1, 1, 1, 0};
        for (double unit : new double[] {1e-6, 1e-3, 1}) {
            float[] adc = {(float) (800e-6 / unit), (float) (900e-6 / unit), (float) (700e-6 / unit), (float) (-5e-6 / unit),
                (float) (3000e-6 / unit)};
            float[] out = DiffusionLesions.inMicroSquareMmPerSecond(adc, head, 0);
            assertEquals(800, out[0], 0.01, "unit " + unit);
            assertEquals(0, out[3], "unit " + unit);
            assertEquals(3000, out[4], 0.1, "unit " + unit);
        }
    }

    /** A voxel's depth across an oblique plane: the sum of its axes' projections. */
    @Test
    void voxelDepthAcrossThePlane() {
        Volume grid = new Volume(new float[8], 2, 2, 2, new double[] {1, 2, 3}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
                new double[3]);
        assertEquals(1, StudyAnalyzer.extentAlong(grid, new double[] {1, 0, 0}), 1e-12);
        double c = Math.sqrt(0.5);
        assertEquals(c * 1 + c * 2, StudyAnalyzer.extentAlong(grid, new double[] {c, -c, 0}), 1e-12);
    }
}
