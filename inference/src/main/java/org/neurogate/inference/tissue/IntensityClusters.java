package org.neurogate.inference.tissue;

import java.util.Arrays;

/** Three intensity clusters of a brain (CSF, grey, white on a T1), the start of every tissue model here. */
public final class IntensityClusters {

    private IntensityClusters() {
    }

    /** Three-class 1D k-means (Lloyd), started at the 10th, 50th and 90th percentiles; returns sorted centres. */
    public static double[] kMeans3(float[] values) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] c = {sorted[sorted.length / 10], sorted[sorted.length / 2], sorted[sorted.length * 9 / 10]};
        for (int iteration = 0; iteration < 100; iteration++) {
            double[] sum = new double[3];
            long[] count = new long[3];
            double cut01 = (c[0] + c[1]) / 2;
            double cut12 = (c[1] + c[2]) / 2;
            for (float x : sorted) {
                int k = x < cut01 ? 0 : x < cut12 ? 1 : 2;
                sum[k] += x;
                count[k]++;
            }
            double moved = 0;
            for (int k = 0; k < 3; k++) {
                double next = count[k] == 0 ? c[k] : sum[k] / count[k];
                moved = Math.max(moved, Math.abs(next - c[k]));
                c[k] = next;
            }
            if (moved < 1e-3 * (c[2] - c[0])) {
                break;
            }
        }
        Arrays.sort(c);
        return c;
    }
}
