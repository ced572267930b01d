package org.neurogate.inference.midline;

import java.util.ArrayList;
import java.util.List;
import org.neurogate.inference.image.LinearAlgebra;
import org.neurogate.inference.preprocess.Resampler;
import org.neurogate.inference.volume.Volume;

/**
 * Midline shift as radiologists measure it: the perpendicular displacement of the septum pellucidum
 * from the mid-sagittal plane, at the centre of the lateral ventricles' bodies (the level of the
 * foramina of Monro).
 *
 * <p>Profiles across the plane, 1 mm apart over the deep brain, find the septum where it shows as a
 * thin band of tissue between two CSF-filled ventricles; its centre is located to a fraction of a
 * voxel from the two CSF/tissue edges. The ventricles are widest at their bodies' centre, so a
 * quadratic fitted to their width locates that centre, and a quadratic fitted to the septum's
 * position gives the displacement there, using every profile rather than one slice.
 *
 * @param shiftMm    displacement, positive towards the patient's left
 * @param profiles   how many profiles crossed a septum
 */
public record SeptumShift(double shiftMm, int profiles, double[] centrePatient) {

    private static final double STEP = 0.25;
    private static final double REACH = 20;
    private static final int MIN_PROFILES = 12;
    /** Septum candidates whose distances from the plane differ by less than this are indistinguishable. */
    private static final double AMBIGUOUS_MM = 1.0;
    /** A crossing within this of the fitted septum is never an outlier: the sheet's own roughness. */
    private static final double MIN_OUTLIER_MM = 1.0;

    public SeptumShift {
        centrePatient = centrePatient.clone();
    }

    @Override
    public double[] centrePatient() {
        return centrePatient.clone();
    }

    /** One profile's septum: in-plane position (v, w), septum centre u, and half the ventricles' width. */
    private record Crossing(double v, double w, double u, double halfWidth) {
    }

    /**
     * @param t1         the T1 on its native grid
     * @param plane      the mid-sagittal plane
     * @param brainCentre a patient point near the centre of the brain (the intracranial centroid)
     * @param csfTissueThreshold intensity halfway between CSF and grey matter
     * @return the shift, or null when no septum with ventricles on both sides is visible
     */
    public static SeptumShift measure(Volume t1, MidSagittalPlane plane, double[] brainCentre, double csfTissueThreshold) {
        double[] n = plane.normal();
        double[] e1 = LinearAlgebra.normalise(new double[] {-n[1] * n[0], 1 - n[1] * n[1], -n[1] * n[2]}); // posterior, in plane
        double[] e2 = LinearAlgebra.cross(n, e1); // superior, in plane
        double off = plane.distance(brainCentre[0], brainCentre[1], brainCentre[2]);
        double[] o = {brainCentre[0] - off * n[0], brainCentre[1] - off * n[1], brainCentre[2] - off * n[2]};
        int samples = (int) Math.round(2 * REACH / STEP) + 1;
        float[] profile = new float[samples];
        List<Crossing> crossings = new ArrayList<>();
        for (double w = -35; w <= 40; w += 1) {
            for (double v = -50; v <= 50; v += 1) {
                double[] base = {o[0] + v * e1[0] + w * e2[0], o[1] + v * e1[1] + w * e2[1], o[2] + v * e1[2] + w * e2[2]};
                for (int s = 0; s < samples; s++) {
                    double u = -REACH + s * STEP;
                    profile[s] = Resampler.linearAtPatient(t1, base[0] + u * n[0], base[1] + u * n[1], base[2] + u * n[2]);
                }
                Crossing c = septum(profile, csfTissueThreshold, v, w);
                if (c != null) {
                    crossings.add(c);
                }
            }
        }
        if (crossings.size() < MIN_PROFILES) {
            return null;
        }
        crossings = onTheSheet(crossings);
        if (crossings.size() < MIN_PROFILES) {
            return null;
        }
        double[] width = fitQuadratic(crossings, true);
        double[] position = fitQuadratic(crossings, false);
        double[] centre = peak(width, crossings);
        double shift = evaluate(position, centre[0], centre[1]);
        double[] p = {o[0] + centre[0] * e1[0] + centre[1] * e2[0] + shift * n[0],
            o[1] + centre[0] * e1[1] + centre[1] * e2[1] + shift * n[1],
            o[2] + centre[0] * e1[2] + centre[1] * e2[2] + shift * n[2]};
        return new SeptumShift(shift, crossings.size(), p);
    }

    /**
     * The septum in one profile: CSF (at least 2 mm), then tissue 0.5-8 mm thick centred within
     * 15 mm of the plane, then CSF again; runs cut by the profile's ends are not ventricles.
     */
    private static Crossing septum(float[] p, double threshold, double v, double w) {
        List<double[]> runs = new ArrayList<>(); // CSF runs as [start u, end u], edges interpolated
        int s = 0;
        while (s < p.length) {
            if (p[s] >= threshold) {
                s++;
                continue;
            }
            int start = s;
            while (s < p.length && p[s] < threshold) {
                s++;
            }
            if (start == 0 || s == p.length) {
                continue;
            }
            double u0 = edge(p, start - 1, start, threshold);
            double u1 = edge(p, s - 1, s, threshold);
            runs.add(new double[] {u0, u1});
        }
        Crossing best = null;
        Crossing runnerUp = null;
        for (int r = 0; r + 1 < runs.size(); r++) {
            double[] a = runs.get(r);
            double[] b = runs.get(r + 1);
            double gap = b[0] - a[1];
            double centre = (a[1] + b[0]) / 2;
            if (a[1] - a[0] >= 2 && b[1] - b[0] >= 2 && gap >= 0.5 && gap <= 8 && Math.abs(centre) < 15) {
                Crossing c = new Crossing(v, w, centre, (a[1] - a[0] + b[1] - b[0]) / 4);
                if (best == null || Math.abs(centre) < Math.abs(best.u())) {
                    runnerUp = best;
                    best = c;
                } else if (runnerUp == null || Math.abs(centre) < Math.abs(runnerUp.u())) {
                    runnerUp = c;
                }
            }
        }
        // Two bands equally near the plane on either side (a septum blurred below the CSF threshold
        // between them, a cavum): either choice would shift this profile's vote by their spacing, and
        // keeping the first always favoured the patient's right. Such a profile does not vote.
        if (best != null && runnerUp != null && Math.signum(best.u()) != Math.signum(runnerUp.u())
                && Math.abs(runnerUp.u()) - Math.abs(best.u()) < AMBIGUOUS_MM) {
            return null;
        }
        return best;
    }

    /**
     * The crossings that lie on one smooth sheet: the septum is continuous, while a sulcus, a cistern
     * or the fornix met by a profile at the edge of the ventricles sits millimetres away from it. A few
     * of those would pull the least-squares fit towards whichever side they happen to fall, so
     * crossings further from the fitted sheet than 3 robust SDs (at least 1 mm) are dropped, twice.
     */
    private static List<Crossing> onTheSheet(List<Crossing> crossings) {
        List<Crossing> kept = crossings;
        for (int pass = 0; pass < 2 && kept.size() >= MIN_PROFILES; pass++) {
            double[] q = fitQuadratic(kept, false);
            double[] residuals = new double[kept.size()];
            for (int i = 0; i < residuals.length; i++) {
                Crossing c = kept.get(i);
                residuals[i] = Math.abs(c.u() - evaluate(q, c.v(), c.w()));
            }
            double[] sorted = residuals.clone();
            java.util.Arrays.sort(sorted);
            double limit = Math.max(MIN_OUTLIER_MM, 3 * 1.4826 * sorted[sorted.length / 2]);
            List<Crossing> next = new ArrayList<>();
            for (int i = 0; i < residuals.length; i++) {
                if (residuals[i] <= limit) {
                    next.add(kept.get(i));
                }
            }
            kept = next;
        }
        return kept;
    }

    /** Sub-sample u where the profile crosses the threshold between samples i and j = i + 1. */
    private static double edge(float[] p, int i, int j, double threshold) {
        double t = (threshold - p[i]) / (p[j] - p[i]);
        return -REACH + (i + t) * STEP;
    }

    /** Least-squares a + b v + c w + d v^2 + e v w + f w^2 to half-width squared or to septum position. */
    private static double[] fitQuadratic(List<Crossing> crossings, boolean width) {
        double[][] ata = new double[6][6];
        double[] atb = new double[6];
        for (Crossing c : crossings) {
            double[] row = {1, c.v(), c.w(), c.v() * c.v(), c.v() * c.w(), c.w() * c.w()};
            double y = width ? c.halfWidth() * c.halfWidth() : c.u();
            for (int i = 0; i < 6; i++) {
                atb[i] += row[i] * y;
                for (int j = 0; j < 6; j++) {
                    ata[i][j] += row[i] * row[j];
                }
            }
        }
        for (int i = 0; i < 6; i++) {
            ata[i][i] += 1e-6 * (1 + ata[i][i]); // keeps a one-row or collinear set solvable
        }
        return LinearAlgebra.solve(ata, atb);
    }

    /** Where the fitted width peaks, kept inside the region the profiles covered. */
    private static double[] peak(double[] q, List<Crossing> crossings) {
        double minV = Double.MAX_VALUE;
        double maxV = -Double.MAX_VALUE;
        double minW = Double.MAX_VALUE;
        double maxW = -Double.MAX_VALUE;
        double sv = 0;
        double sw = 0;
        double sWeight = 0;
        for (Crossing c : crossings) {
            minV = Math.min(minV, c.v());
            maxV = Math.max(maxV, c.v());
            minW = Math.min(minW, c.w());
            maxW = Math.max(maxW, c.w());
            double weight = c.halfWidth() * c.halfWidth();
            sv += weight * c.v();
            sw += weight * c.w();
            sWeight += weight;
        }
        double a = 2 * q[3];
        double b = q[4];
        double d = 2 * q[5];
        double det = a * d - b * b;
        double v;
        double w;
        if (a < 0 && det > 0) { // a maximum
            v = (-q[1] * d + q[2] * b) / det;
            w = (-q[2] * a + q[1] * b) / det;
        } else {
            v = sv / sWeight;
            w = sw / sWeight;
        }
        return new double[] {Math.min(maxV, Math.max(minV, v)), Math.min(maxW, Math.max(minW, w))};
    }

    private static double evaluate(double[] q, double v, double w) {
        return q[0] + q[1] * v + q[2] * w + q[3] * v * v + q[4] * v * w + q[5] * w * w;
    }
}
