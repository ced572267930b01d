package org.neurogate.inference.preprocess;

import java.util.Arrays;
import org.neurogate.inference.volume.Volume;

/** Intensity normalisations that models are trained with. */
public final class IntensityNormalization {

    private IntensityNormalization() {
    }

    /** Linear map of [min, max] onto [0, 1]. */
    public static Volume minMax(Volume v) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v.voxels()) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return scale(v, min, max);
    }

    /** Linear map of the [low, high] quantiles (e.g. 0.05 and 0.95) onto [0, 1], clipped. */
    public static Volume quantile(Volume v, double low, double high) {
        if (!(low >= 0 && low < high && high <= 1)) {
            throw new IllegalArgumentException("quantiles must satisfy 0 <= low < high <= 1: " + low + ", " + high);
        }
        float[] sorted = v.voxels().clone();
        Arrays.sort(sorted);
        float lo = sorted[(int) Math.floor(low * (sorted.length - 1))];
        float hi = sorted[(int) Math.ceil(high * (sorted.length - 1))];
        Volume scaled = scale(v, lo, hi);
        float[] out = scaled.voxels();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(1, Math.max(0, out[i]));
        }
        return scaled;
    }

    /** (x - mean) / sd with mean and sd taken inside {@code mask} (voxels > 0); outside the mask becomes 0. */
    public static Volume zScore(Volume v, Volume mask) {
        if (mask.size() != v.size()) {
            throw new IllegalArgumentException("mask has " + mask.size() + " voxels, volume " + v.size());
        }
        double sum = 0;
        double sumSquares = 0;
        long n = 0;
        for (int i = 0; i < v.size(); i++) {
            if (mask.voxels()[i] > 0) {
                sum += v.voxels()[i];
                sumSquares += (double) v.voxels()[i] * v.voxels()[i];
                n++;
            }
        }
        if (n < 2) {
            throw new IllegalArgumentException("mask holds " + n + " voxel(s); a z-score needs at least 2");
        }
        double mean = sum / n;
        double sd = Math.sqrt(Math.max(0, sumSquares / n - mean * mean));
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = mask.voxels()[i] > 0 && sd > 0 ? (float) ((v.voxels()[i] - mean) / sd) : 0;
        }
        return v.withVoxels(out);
    }

    private static Volume scale(Volume v, float lo, float hi) {
        float range = hi - lo;
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = range > 0 ? (v.voxels()[i] - lo) / range : 0;
        }
        return v.withVoxels(out);
    }
}
