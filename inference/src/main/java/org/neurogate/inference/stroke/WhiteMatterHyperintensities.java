package org.neurogate.inference.stroke;

import org.neurogate.inference.image.Components;
import org.neurogate.inference.image.Morphology;
import org.neurogate.inference.preprocess.Interpolation;
import org.neurogate.inference.preprocess.Resampler;
import org.neurogate.inference.volume.Volume;

/**
 * White-matter hyperintensities on FLAIR: voxels clearly brighter than this scan's own parenchyma,
 * in connected sets of at least {@link #MIN_ML}. An acute infarct is FLAIR-bright too, so voxels
 * within the diffusion lesion (when one was found) are not counted as WMH.
 */
public final class WhiteMatterHyperintensities {

    /** FLAIR above this multiple of the median parenchymal signal is hyperintense. */
    static final double RATIO = 1.35;
    /** The smallest hyperintensity counted, 0.03 mL: below that, noise and partial volume. */
    static final double MIN_ML = 0.03;

    /** @param mask 1 where a hyperintensity was counted, on the FLAIR grid */
    public record Result(Volume mask, int count, double volumeMl) {
    }

    private WhiteMatterHyperintensities() {
    }

    private static float[] grow(float[] mask, Volume grid) {
        boolean[] m = new boolean[mask.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = mask[i] > 0;
        }
        boolean[] grown = Morphology.dilate(m, grid.nx(), grid.ny(), grid.nz());
        float[] out = new float[mask.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = grown[i] ? 1 : 0;
        }
        return out;
    }

    /** The hyperintensities a WMH-segmentation model drew on the FLAIR grid: every part of its mask, as it is. */
    public static Result fromMask(Volume labels) {
        float[] l = labels.voxels();
        boolean[] found = new boolean[l.length];
        float[] mask = new float[l.length];
        long voxels = 0;
        for (int i = 0; i < l.length; i++) {
            found[i] = l[i] > 0;
            mask[i] = found[i] ? 1 : 0;
            voxels += found[i] ? 1 : 0;
        }
        int count = Components.label(found, labels.nx(), labels.ny(), labels.nz()).count();
        return new Result(labels.withVoxels(mask), count, voxels * labels.voxelVolumeMm3() / 1000);
    }

    /** @param strokeMask the diffusion lesion mask on its own grid, or null */
    public static Result segment(Volume flair, Volume strokeMask) {
        float[] f = flair.voxels();
        double head = DiffusionLesions.headLevel(f);
        int n = 0;
        float[] tissue = new float[f.length];
        for (float x : f) {
            if (x > head) {
                tissue[n++] = x;
            }
        }
        if (n < 1000) {
            throw new IllegalArgumentException("too little tissue on the FLAIR images (" + n + " voxels)");
        }
        double median = DiffusionLesions.median(java.util.Arrays.copyOf(tissue, n));
        // The infarct on the FLAIR grid, grown by one voxel: its FLAIR-bright rim is not a WMH either.
        float[] stroke = strokeMask == null ? null
                : grow(Resampler.resample(strokeMask, flair.blank(), Interpolation.LINEAR).voxels(), flair);
        boolean[] bright = new boolean[f.length];
        for (int i = 0; i < f.length; i++) {
            bright[i] = f[i] > RATIO * median && (stroke == null || stroke[i] <= 0);
        }
        Components.Labelled parts = Components.label(bright, flair.nx(), flair.ny(), flair.nz());
        float[] mask = new float[f.length];
        int count = 0;
        long voxels = 0;
        boolean[] kept = new boolean[parts.count() + 1];
        for (int c = 1; c <= parts.count(); c++) {
            if (parts.sizes()[c] * flair.voxelVolumeMm3() / 1000 >= MIN_ML) {
                kept[c] = true;
                count++;
                voxels += parts.sizes()[c];
            }
        }
        for (int i = 0; i < f.length; i++) {
            mask[i] = kept[parts.labels()[i]] ? 1 : 0;
        }
        return new Result(flair.withVoxels(mask), count, voxels * flair.voxelVolumeMm3() / 1000);
    }
}
