package org.neurogate.inference.midline;

import org.neurogate.inference.image.LinearAlgebra;
import org.neurogate.inference.volume.Volume;

/**
 * A head-centred frame fitted to the intracranial cavity: origin at its centroid, the first axis the
 * mid-sagittal plane's normal (patient left), the other two the cavity's principal axes within that
 * plane (posterior, superior), and the cavity's semi-axes along each. Positions expressed as fractions
 * of the semi-axes compare across head sizes, poses and acquisition planes, which is how an atlas
 * prior is placed without registration.
 */
public record BrainFrame(double[] origin, double[] left, double[] posterior, double[] superior, double[] semiAxesMm) {

    public BrainFrame {
        origin = origin.clone();
        left = left.clone();
        posterior = posterior.clone();
        superior = superior.clone();
        semiAxesMm = semiAxesMm.clone();
    }

    /** @param intracranial label volume, any value above 0.5 inside the cavity */
    public static BrainFrame fit(Volume intracranial, MidSagittalPlane plane) {
        double[] n = plane.normal();
        double[] sum = new double[3];
        long count = 0;
        float[] m = intracranial.voxels();
        for (int k = 0; k < intracranial.nz(); k += 2) {
            for (int j = 0; j < intracranial.ny(); j += 2) {
                for (int i = 0; i < intracranial.nx(); i += 2) {
                    if (m[intracranial.index(i, j, k)] > 0.5f) {
                        double[] p = intracranial.voxelToPatient(i, j, k);
                        sum[0] += p[0];
                        sum[1] += p[1];
                        sum[2] += p[2];
                        count++;
                    }
                }
            }
        }
        double[] c = {sum[0] / count, sum[1] / count, sum[2] / count};
        double[] a = LinearAlgebra.normalise(new double[] {-n[1] * n[0], 1 - n[1] * n[1], -n[1] * n[2]});
        double[] b = LinearAlgebra.cross(n, a);
        // Second moments along the normal and within the plane.
        double suu = 0;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        for (int k = 0; k < intracranial.nz(); k += 2) {
            for (int j = 0; j < intracranial.ny(); j += 2) {
                for (int i = 0; i < intracranial.nx(); i += 2) {
                    if (m[intracranial.index(i, j, k)] > 0.5f) {
                        double[] p = intracranial.voxelToPatient(i, j, k);
                        double[] d = {p[0] - c[0], p[1] - c[1], p[2] - c[2]};
                        double u = LinearAlgebra.dot(d, n);
                        double va = LinearAlgebra.dot(d, a);
                        double vb = LinearAlgebra.dot(d, b);
                        suu += u * u;
                        saa += va * va;
                        sbb += vb * vb;
                        sab += va * vb;
                    }
                }
            }
        }
        suu /= count;
        saa /= count;
        sbb /= count;
        sab /= count;
        // In-plane principal axes: the head's pitch.
        double theta = 0.5 * Math.atan2(2 * sab, saa - sbb);
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double[] posterior = {cos * a[0] + sin * b[0], cos * a[1] + sin * b[1], cos * a[2] + sin * b[2]};
        if (posterior[1] < 0) {
            posterior = new double[] {-posterior[0], -posterior[1], -posterior[2]};
        }
        double[] superior = LinearAlgebra.cross(n, posterior);
        double vp = 0;
        double vs = 0;
        double t = 0;
        // Variances along the rotated axes (a solid ellipsoid has variance semi-axis^2 / 5).
        vp = cos * cos * saa + 2 * cos * sin * sab + sin * sin * sbb;
        vs = sin * sin * saa - 2 * cos * sin * sab + cos * cos * sbb;
        t = Math.sqrt(5 * suu);
        return new BrainFrame(c, n, posterior, superior, new double[] {t, Math.sqrt(5 * vp), Math.sqrt(5 * vs)});
    }

    /** Frame coordinates of a patient point, as fractions of the semi-axes (left, posterior, superior). */
    public double[] normalised(double[] p) {
        double[] d = {p[0] - origin[0], p[1] - origin[1], p[2] - origin[2]};
        return new double[] {LinearAlgebra.dot(d, left) / semiAxesMm[0], LinearAlgebra.dot(d, posterior) / semiAxesMm[1],
            LinearAlgebra.dot(d, superior) / semiAxesMm[2]};
    }
}
