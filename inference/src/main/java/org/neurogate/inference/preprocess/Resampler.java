package org.neurogate.inference.preprocess;

import java.util.stream.IntStream;
import org.neurogate.inference.registration.AffineTransform;
import org.neurogate.inference.volume.Volume;

/**
 * Resamples a volume onto another grid in patient space: each target voxel centre is mapped into the
 * source's continuous voxel coordinates and interpolated there. Outside the source, the value is
 * {@code outside} (0 for images and labels).
 */
public final class Resampler {

    private Resampler() {
    }

    public static Volume resample(Volume source, Volume targetGrid, Interpolation interpolation) {
        return resample(source, targetGrid, AffineTransform.IDENTITY, interpolation);
    }

    /**
     * Resamples through a spatial map: target voxel centre x (patient coordinates of the target grid)
     * reads the source at {@code targetToSource(x)}, as a registration's fixed-to-moving result gives.
     */
    public static Volume resample(Volume source, Volume targetGrid, AffineTransform targetToSource,
                                  Interpolation interpolation) {
        float[] out = new float[targetGrid.size()];
        int nx = targetGrid.nx();
        int ny = targetGrid.ny();
        double[] t0 = targetGrid.voxelToPatient(0, 0, 0);
        double[] di = delta(targetGrid, 1, 0, 0, t0);
        double[] dj = delta(targetGrid, 0, 1, 0, t0);
        double[] dk = delta(targetGrid, 0, 0, 1, t0);
        // Source voxel coordinates are affine in target indices: precompute the steps.
        double[] s0 = sourceVoxel(source, targetToSource, t0[0], t0[1], t0[2]);
        double[] si = sub(sourceVoxel(source, targetToSource, t0[0] + di[0], t0[1] + di[1], t0[2] + di[2]), s0);
        double[] sj = sub(sourceVoxel(source, targetToSource, t0[0] + dj[0], t0[1] + dj[1], t0[2] + dj[2]), s0);
        double[] sk = sub(sourceVoxel(source, targetToSource, t0[0] + dk[0], t0[1] + dk[1], t0[2] + dk[2]), s0);
        IntStream.range(0, targetGrid.nz()).parallel().forEach(k -> {
            float[] votes = interpolation == Interpolation.MAJORITY ? new float[27] : null;
            for (int j = 0; j < ny; j++) {
                double bx = s0[0] + j * sj[0] + k * sk[0];
                double by = s0[1] + j * sj[1] + k * sk[1];
                double bz = s0[2] + j * sj[2] + k * sk[2];
                for (int i = 0; i < nx; i++) {
                    double x = bx + i * si[0];
                    double y = by + i * si[1];
                    double z = bz + i * si[2];
                    float value = switch (interpolation) {
                        case LINEAR -> linear(source, x, y, z);
                        case NEAREST -> nearest(source, x, y, z);
                        case MAJORITY -> majority(source, x, y, z, si, sj, sk, votes);
                    };
                    out[(k * ny + j) * nx + i] = value;
                }
            }
        });
        return targetGrid.withVoxels(out);
    }

    private static double[] sourceVoxel(Volume source, AffineTransform targetToSource, double x, double y, double z) {
        double[] p = targetToSource.apply(x, y, z);
        return source.patientToVoxel(p[0], p[1], p[2]);
    }

    /** Trilinear value at a patient (LPS) position; 0 outside the grid. */
    public static float linearAtPatient(Volume v, double x, double y, double z) {
        double[] ijk = v.patientToVoxel(x, y, z);
        return linear(v, ijk[0], ijk[1], ijk[2]);
    }

    static float nearest(Volume v, double x, double y, double z) {
        int i = (int) Math.round(x);
        int j = (int) Math.round(y);
        int k = (int) Math.round(z);
        if (i < 0 || j < 0 || k < 0 || i >= v.nx() || j >= v.ny() || k >= v.nz()) {
            return 0;
        }
        return v.voxels()[(k * v.ny() + j) * v.nx() + i];
    }

    static float linear(Volume v, double x, double y, double z) {
        if (x < -0.5 || y < -0.5 || z < -0.5 || x > v.nx() - 0.5 || y > v.ny() - 0.5 || z > v.nz() - 0.5) {
            return 0;
        }
        // Clamp to the grid so the half-voxel border interpolates from the edge voxels.
        x = Math.min(Math.max(x, 0), v.nx() - 1);
        y = Math.min(Math.max(y, 0), v.ny() - 1);
        z = Math.min(Math.max(z, 0), v.nz() - 1);
        int i0 = Math.min((int) x, v.nx() - 2 < 0 ? 0 : v.nx() - 2);
        int j0 = Math.min((int) y, v.ny() - 2 < 0 ? 0 : v.ny() - 2);
        int k0 = Math.min((int) z, v.nz() - 2 < 0 ? 0 : v.nz() - 2);
        int i1 = Math.min(i0 + 1, v.nx() - 1);
        int j1 = Math.min(j0 + 1, v.ny() - 1);
        int k1 = Math.min(k0 + 1, v.nz() - 1);
        double fx = x - i0;
        double fy = y - j0;
        double fz = z - k0;
        float[] d = v.voxels();
        int nx = v.nx();
        int ny = v.ny();
        double c00 = d[(k0 * ny + j0) * nx + i0] * (1 - fx) + d[(k0 * ny + j0) * nx + i1] * fx;
        double c10 = d[(k0 * ny + j1) * nx + i0] * (1 - fx) + d[(k0 * ny + j1) * nx + i1] * fx;
        double c01 = d[(k1 * ny + j0) * nx + i0] * (1 - fx) + d[(k1 * ny + j0) * nx + i1] * fx;
        double c11 = d[(k1 * ny + j1) * nx + i0] * (1 - fx) + d[(k1 * ny + j1) * nx + i1] * fx;
        double c0 = c00 * (1 - fy) + c10 * fy;
        double c1 = c01 * (1 - fy) + c11 * fy;
        return (float) (c0 * (1 - fz) + c1 * fz);
    }

    private static float majority(Volume v, double x, double y, double z, double[] si, double[] sj, double[] sk,
                                  float[] votes) {
        int n = 0;
        for (int a = -1; a <= 1; a++) {
            for (int b = -1; b <= 1; b++) {
                for (int c = -1; c <= 1; c++) {
                    // Samples at the centre and a third of the way to the target voxel's faces.
                    double px = x + (a * si[0] + b * sj[0] + c * sk[0]) / 3;
                    double py = y + (a * si[1] + b * sj[1] + c * sk[1]) / 3;
                    double pz = z + (a * si[2] + b * sj[2] + c * sk[2]) / 3;
                    votes[n++] = nearest(v, px, py, pz);
                }
            }
        }
        float best = votes[13];
        int bestCount = 0;
        for (int a = 0; a < n; a++) {
            int count = 0;
            for (int b = 0; b < n; b++) {
                if (votes[b] == votes[a]) {
                    count++;
                }
            }
            // Ties go to the centre sample's label.
            if (count > bestCount || (count == bestCount && votes[a] == votes[13])) {
                best = votes[a];
                bestCount = count;
            }
        }
        return best;
    }

    private static double[] delta(Volume grid, int i, int j, int k, double[] origin) {
        return sub(grid.voxelToPatient(i, j, k), origin);
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }
}
