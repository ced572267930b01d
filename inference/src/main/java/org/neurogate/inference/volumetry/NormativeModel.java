package org.neurogate.inference.volumetry;

import java.util.Map;

/**
 * Normative brain volumes of cognitively normal adults by sex and age, with which a measured volume
 * becomes a z-score and a percentile.
 *
 * <p>Figures: NiChart DLMUSE centiles (CBICA NiChart_Project, resources/reference_data/centiles/
 * dlmuse_centiles_CN-Males.csv and -Females.csv, commit c732c531), 5th, 50th and 95th centiles in
 * mL at ages 40-90 in steps of 10 years; values between are interpolated linearly, ages outside are
 * clamped and flagged. A centile's distance from the median over 1.645 is the standard deviation on
 * that side, so skewed distributions (ventricles) keep their skew.
 *
 * <p>Hippocampi are scored against head-size-adjusted norms (as clinical volumetry reports them): a
 * large head has large hippocampi, and sex differences in hippocampal volume are mostly head size.
 * Figures: NiChart dlmuse_centiles_CN-ICVNorm.csv (same commit, both sexes), whose volumes are scaled
 * to a common ICV. That file does not state the constant; the ratio of its TotalBrain and GM medians to
 * the raw ones (dlmuse_centiles_CN.csv), times its median ICV, gives 1425-1438 mL at every age from 40
 * to 80, so {@link #REFERENCE_ICV_ML} is 1430 mL.
 */
public final class NormativeModel {

    /** Ages of the table columns. */
    static final double[] AGES = {40, 50, 60, 70, 80, 90};

    /** The structures with norms. */
    public enum Structure { HIPPOCAMPUS_LEFT, HIPPOCAMPUS_RIGHT, GREY_MATTER, WHITE_MATTER, VENTRICLES, TOTAL_BRAIN }

    /** [sex F=0, M=1][centile 5, 50, 95][age]. */
    private static final Map<Structure, double[][][]> TABLE = Map.of(
            Structure.HIPPOCAMPUS_LEFT, new double[][][] {
                {{3.158, 3.150, 3.111, 2.983, 2.782, 2.469}, {3.715, 3.709, 3.666, 3.519, 3.284, 2.917},
                    {4.180, 4.191, 4.162, 4.015, 3.767, 3.365}},
                {{3.478, 3.424, 3.350, 3.236, 3.000, 2.695}, {4.069, 4.028, 3.965, 3.853, 3.593, 3.249},
                    {4.601, 4.578, 4.529, 4.425, 4.150, 3.775}}},
            Structure.HIPPOCAMPUS_RIGHT, new double[][][] {
                {{3.426, 3.419, 3.375, 3.234, 3.010, 2.666}, {3.960, 3.956, 3.915, 3.778, 3.558, 3.217},
                    {4.493, 4.493, 4.456, 4.322, 4.106, 3.768}},
                {{3.786, 3.728, 3.609, 3.461, 3.221, 2.910}, {4.325, 4.302, 4.244, 4.122, 3.841, 3.493},
                    {4.936, 4.937, 4.928, 4.810, 4.462, 4.054}}},
            Structure.GREY_MATTER, new double[][][] {
                {{605.3, 581.9, 561.4, 537.4, 508.7, 474.9}, {680.3, 655.8, 634.3, 609.3, 579.5, 544.7},
                    {755.2, 729.7, 707.1, 681.1, 650.3, 614.5}},
                {{664.2, 634.6, 608.9, 587.5, 567.8, 548.0}, {754.3, 724.2, 695.2, 667.2, 640.0, 613.9},
                    {836.3, 807.2, 776.6, 743.9, 711.1, 679.8}}},
            Structure.WHITE_MATTER, new double[][][] {
                {{426.3, 433.3, 431.1, 424.8, 417.1, 373.5}, {495.3, 502.3, 498.7, 490.3, 480.3, 429.2},
                    {571.5, 578.0, 572.2, 561.1, 548.1, 488.6}},
                {{492.2, 489.6, 483.1, 476.9, 462.5, 438.4}, {574.7, 573.0, 564.2, 553.5, 532.0, 499.9},
                    {659.3, 661.9, 654.4, 641.9, 614.8, 575.2}}},
            Structure.VENTRICLES, new double[][][] {
                {{6.8, 7.5, 9.0, 12.8, 18.2, 24.1}, {13.8, 15.2, 18.2, 25.3, 34.6, 44.6},
                    {30.3, 33.5, 39.9, 54.0, 71.2, 89.0}},
                {{8.9, 10.5, 13.8, 19.4, 27.0, 36.7}, {18.6, 20.7, 25.8, 34.9, 46.6, 60.9},
                    {41.2, 44.8, 54.7, 71.8, 93.4, 119.0}}},
            Structure.TOTAL_BRAIN, new double[][][] {
                {{1074.0, 1053.2, 1032.4, 1006.5, 972.7, 932.1}, {1217.0, 1195.7, 1174.3, 1148.0, 1113.7, 1072.6},
                    {1359.9, 1338.2, 1316.3, 1289.5, 1254.7, 1213.1}},
                {{1202.7, 1171.3, 1142.7, 1119.5, 1094.9, 1065.4}, {1369.2, 1342.6, 1313.1, 1282.0, 1245.6, 1205.0},
                    {1535.7, 1513.9, 1483.5, 1444.5, 1396.3, 1344.5}}});

    /** The ICV the adjusted norms are scaled to: a volume v of a head with ICV i compares as v x 1430 / i. */
    public static final double REFERENCE_ICV_ML = 1430;

    /** ICV-adjusted norms, both sexes: [centile 5, 50, 95][age]. */
    private static final Map<Structure, double[][]> ICV_ADJUSTED = Map.of(
            Structure.HIPPOCAMPUS_LEFT, new double[][] {
                {3.384, 3.375, 3.350, 3.210, 3.001, 2.772}, {3.890, 3.902, 3.896, 3.759, 3.539, 3.293},
                {4.364, 4.400, 4.419, 4.291, 4.068, 3.814}},
            Structure.HIPPOCAMPUS_RIGHT, new double[][] {
                {3.663, 3.641, 3.607, 3.445, 3.207, 2.953}, {4.148, 4.166, 4.175, 4.039, 3.815, 3.571},
                {4.668, 4.718, 4.759, 4.635, 4.407, 4.155}});

    /** 5th, 50th and 95th centiles in mL for a sex and age. */
    public record Centiles(double p5, double p50, double p95) {
    }

    /**
     * @param valueMl         the measured volume
     * @param icvAdjustedMl   the volume scaled to {@link #REFERENCE_ICV_ML}, which was scored; null when the
     *                        raw volume was scored against same-sex norms
     * @param z               standard score against same-age controls
     * @param percentile      0-100
     * @param centiles        the norms the scored value was compared with (ICV-adjusted where it was)
     * @param ageOutsideNorms true when the age was outside 40-90 and the nearest norms were used
     */
    public record Score(Structure structure, double valueMl, Double icvAdjustedMl, double z, double percentile,
                        Centiles centiles, boolean ageOutsideNorms) {
    }

    private NormativeModel() {
    }

    public static Centiles centiles(Structure structure, String sex, double age) {
        double[][] rows = TABLE.get(structure)["F".equals(sex) ? 0 : 1];
        return new Centiles(interpolate(rows[0], age), interpolate(rows[1], age), interpolate(rows[2], age));
    }

    /**
     * The centiles a structure is scored against: ICV-adjusted (both sexes) for the hippocampi, raw
     * same-sex ones for everything else.
     */
    public static Centiles scoredCentiles(Structure structure, String sex, double age) {
        double[][] rows = ICV_ADJUSTED.get(structure);
        if (rows == null) {
            return centiles(structure, sex, age);
        }
        return new Centiles(interpolate(rows[0], age), interpolate(rows[1], age), interpolate(rows[2], age));
    }

    /** True when the structure is scored on its ICV-adjusted volume. */
    public static boolean icvAdjusted(Structure structure) {
        return ICV_ADJUSTED.containsKey(structure);
    }

    /** The youngest and oldest ages the tables hold. */
    public static double minAge() {
        return AGES[0];
    }

    public static double maxAge() {
        return AGES[AGES.length - 1];
    }

    /** Scores a raw volume against same-sex, same-age norms. */
    public static Score score(Structure structure, double valueMl, String sex, double age) {
        if (!"F".equals(sex) && !"M".equals(sex)) {
            throw new IllegalArgumentException("norms are by sex; sex must be F or M, was " + sex);
        }
        return score(structure, valueMl, null, centiles(structure, sex, age), age);
    }

    /**
     * Scores a structure the way its norms are kept: hippocampi on their ICV-adjusted volume against
     * both sexes, everything else on its raw volume against the same sex.
     */
    public static Score score(Structure structure, double valueMl, String sex, double age, double icvMl) {
        double[][] rows = ICV_ADJUSTED.get(structure);
        if (rows == null) {
            return score(structure, valueMl, sex, age);
        }
        if (!(icvMl > 0)) {
            throw new IllegalArgumentException("an ICV-adjusted score needs a positive ICV, was " + icvMl);
        }
        return score(structure, valueMl, valueMl * REFERENCE_ICV_ML / icvMl, scoredCentiles(structure, sex, age), age);
    }

    private static Score score(Structure structure, double valueMl, Double adjustedMl, Centiles c, double age) {
        double scored = adjustedMl == null ? valueMl : adjustedMl;
        double sd = (scored >= c.p50() ? c.p95() - c.p50() : c.p50() - c.p5()) / 1.645;
        double z = (scored - c.p50()) / sd;
        return new Score(structure, valueMl, adjustedMl, z, 100 * standardNormalCdf(z), c,
                age < AGES[0] || age > AGES[AGES.length - 1]);
    }

    private static double interpolate(double[] row, double age) {
        if (age <= AGES[0]) {
            return row[0];
        }
        for (int i = 1; i < AGES.length; i++) {
            if (age <= AGES[i]) {
                double t = (age - AGES[i - 1]) / (AGES[i] - AGES[i - 1]);
                return row[i - 1] + t * (row[i] - row[i - 1]);
            }
        }
        return row[row.length - 1];
    }

    /** Phi(z) by the Abramowitz-Stegun 7.1.26 error-function approximation (|error| < 1.5e-7). */
    static double standardNormalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
