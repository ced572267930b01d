package org.neurogate.inference.brainage;

import java.util.Arrays;

/**
 * The input recipe of the 2D-projection brain-age CNN: from two volumes on the MNI152 1 mm grid (the
 * z-scored T1 and its grey-matter partial-volume fraction), one 6-channel image per direction. Channels:
 * 0 mean(z), 1 SD(z), 2 mean(gm), 3 SD(gm), 4 max(z), 5 median(gm); every statistic over all slices along
 * the direction except the median, over {@code [medianFrom, medianTo)}; population SDs. Each projection
 * P (rows: the first remaining axis, columns: the second) becomes fliplr(flipud(Pᵀ)) and is padded,
 * centred, to {@code size}², with the mode of the channel's own values. The model's FACTS.md is the
 * contract; this is it, written once.
 *
 * <p>Volumes are indexed as stored in NIfTI: voxel (i, j, k) at {@code i + n0 * (j + n1 * k)}, axis 0
 * right to left, axis 1 posterior to anterior, axis 2 inferior to superior.
 */
public record ProjectionRecipe(int size, int medianFrom, int medianTo) {

    /** The published models' contract: 218 × 218, median over slices 40 to 139. */
    public static final ProjectionRecipe CONTRACT = new ProjectionRecipe(218, 40, 140);

    public static final int CHANNELS = 6;

    /** A projection direction: the voxel axis it collapses, and its name in the model files. */
    public enum Direction {
        SAG(0, "sag"), COR(1, "cor"), AXI(2, "axi");

        public final int axis;
        public final String fileName;

        Direction(int axis, String fileName) {
            this.axis = axis;
            this.fileName = fileName;
        }
    }

    /** The [6, size, size] image (C order) for one direction. */
    public float[] project(float[] z, float[] gm, int[] dims, Direction direction) {
        if (z.length != (long) dims[0] * dims[1] * dims[2] || gm.length != z.length) {
            throw new IllegalArgumentException("z, gm and dims " + Arrays.toString(dims) + " disagree");
        }
        int a = direction.axis;
        int u = a == 0 ? 1 : 0;
        int v = a == 2 ? 1 : 2;
        int nu = dims[u];
        int nv = dims[v];
        int na = dims[a];
        if (nu > size || nv > size) {
            throw new IllegalArgumentException("a " + nu + " × " + nv + " projection does not fit " + size + "²");
        }
        int[] stride = {1, dims[0], dims[0] * dims[1]};
        int from = Math.max(0, medianFrom);
        int to = Math.min(na, medianTo);
        // The image after the transpose and both flips is nv rows by nu columns; P[iu][iv] lands at
        // row nv-1-iv, column nu-1-iu.
        float[][] image = new float[CHANNELS][nv * nu];
        double[] zs = new double[na];
        double[] gs = new double[na];
        double[] medianWindow = new double[Math.max(0, to - from)];
        for (int iu = 0; iu < nu; iu++) {
            for (int iv = 0; iv < nv; iv++) {
                int base = iu * stride[u] + iv * stride[v];
                for (int ia = 0; ia < na; ia++) {
                    zs[ia] = z[base + ia * stride[a]];
                    gs[ia] = gm[base + ia * stride[a]];
                }
                int at = (nv - 1 - iv) * nu + (nu - 1 - iu);
                image[0][at] = (float) mean(zs);
                image[1][at] = (float) sd(zs);
                image[2][at] = (float) mean(gs);
                image[3][at] = (float) sd(gs);
                image[4][at] = (float) Arrays.stream(zs).max().orElse(0);
                System.arraycopy(gs, from, medianWindow, 0, medianWindow.length);
                image[5][at] = (float) median(medianWindow);
            }
        }
        float[] out = new float[CHANNELS * size * size];
        int top = (size - nv) / 2;
        int left = (size - nu) / 2;
        for (int c = 0; c < CHANNELS; c++) {
            int offset = c * size * size;
            Arrays.fill(out, offset, offset + size * size, mode(image[c]));
            for (int r = 0; r < nv; r++) {
                System.arraycopy(image[c], r * nu, out, offset + (top + r) * size + left, nu);
            }
        }
        return out;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double x : values) {
            sum += x;
        }
        return sum / values.length;
    }

    /** The population SD (divide by N), as the contract says. */
    private static double sd(double[] values) {
        double m = mean(values);
        double sum = 0;
        for (double x : values) {
            sum += (x - m) * (x - m);
        }
        return Math.sqrt(sum / values.length);
    }

    /** Of an even count, the mean of the two middle values (numpy's median). */
    private static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The most frequent value; of several equally frequent, the smallest (as scipy's mode). */
    static float mode(float[] values) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        float best = sorted[0];
        int bestRun = 0;
        for (int i = 0; i < sorted.length; ) {
            int j = i;
            while (j < sorted.length && sorted[j] == sorted[i]) {
                j++;
            }
            if (j - i > bestRun) {
                bestRun = j - i;
                best = sorted[i];
            }
            i = j;
        }
        return best;
    }
}
