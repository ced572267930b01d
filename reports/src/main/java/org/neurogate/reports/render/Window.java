package org.neurogate.reports.render;

import java.util.Arrays;
import java.util.Locale;
import org.neurogate.inference.volume.Volume;

/**
 * An intensity window: values at or below {@code low} show black, at or above {@code high} white. MR
 * intensities have no absolute scale, so presets are percentiles of the volume's own non-zero voxels.
 */
public record Window(double low, double high) {

    public Window {
        if (!(high > low)) {
            throw new IllegalArgumentException("a window needs high > low, was " + low + ".." + high);
        }
    }

    /** The window presets of the viewer. */
    public enum Preset {
        /** 1st to 99.5th percentile: the whole head, as most MR viewers open a series. */
        AUTO(1, 99.5),
        /** Darker tissue differences drawn out: 20th to 95th percentile. */
        CONTRAST(20, 95),
        /** Everything up to the 99.9th percentile, for bright lesions and vessels. */
        WIDE(0, 99.9);

        final double lowPercentile;
        final double highPercentile;

        Preset(double lowPercentile, double highPercentile) {
            this.lowPercentile = lowPercentile;
            this.highPercentile = highPercentile;
        }

        public static Preset parse(String name) {
            try {
                return name == null || name.isBlank() ? AUTO : valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("window preset must be one of " + Arrays.toString(values()) + ", was " + name);
            }
        }
    }

    /** The sorted non-zero intensities of a volume (every voxel up to 200,000, else an even sample). */
    public static float[] intensitySample(Volume volume) {
        float[] voxels = volume.voxels();
        int step = Math.max(1, voxels.length / 200_000);
        float[] sample = new float[voxels.length / step + 1];
        int n = 0;
        for (int i = 0; i < voxels.length; i += step) {
            if (voxels[i] != 0 && Float.isFinite(voxels[i])) {
                sample[n++] = voxels[i];
            }
        }
        float[] out = Arrays.copyOf(sample, n);
        Arrays.sort(out);
        return out;
    }

    public static Window of(float[] sortedSample, Preset preset) {
        if (sortedSample.length == 0) {
            return new Window(0, 1);
        }
        double low = sortedSample[(int) Math.floor(preset.lowPercentile / 100 * (sortedSample.length - 1))];
        double high = sortedSample[(int) Math.floor(preset.highPercentile / 100 * (sortedSample.length - 1))];
        if (preset.lowPercentile == 0) {
            low = Math.min(0, low);
        }
        return high > low ? new Window(low, high) : new Window(low, low + 1);
    }

    /** Grey level 0-255 of an intensity. */
    int grey(double value) {
        double t = (value - low) / (high - low);
        return t <= 0 ? 0 : t >= 1 ? 255 : (int) Math.round(t * 255);
    }
}
