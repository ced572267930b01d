package org.neurogate.inference.stroke;

import org.neurogate.inference.image.Components;
import org.neurogate.inference.volume.Volume;

/** Voxel and lesion-wise agreement of two lesion masks on the same grid. */
public final class LesionOverlap {

    private LesionOverlap() {
    }

    /** [Dice, lesion-wise F1]: a lesion counts as found when any voxel of it overlaps the other mask. */
    public static double[] score(Volume found, Volume truth) {
        return score(found, truth, 0);
    }

    /**
     * As {@link #score(Volume, Volume)}, with true lesions smaller than {@code minTruthMl} left out of
     * the lesion-wise count: below the smallest lesion the detector reports, they cannot be found.
     */
    public static double[] score(Volume found, Volume truth, double minTruthMl) {
        float[] a = found.voxels();
        float[] b = truth.voxels();
        boolean[] ma = new boolean[a.length];
        boolean[] mb = new boolean[b.length];
        long both = 0;
        long na = 0;
        long nb = 0;
        for (int i = 0; i < a.length; i++) {
            ma[i] = a[i] > 0;
            mb[i] = b[i] > 0;
            both += ma[i] && mb[i] ? 1 : 0;
            na += ma[i] ? 1 : 0;
            nb += mb[i] ? 1 : 0;
        }
        double dice = na + nb == 0 ? 1 : 2.0 * both / (na + nb);
        double precision = detected(ma, mb, found, 0);
        double recall = detected(mb, ma, found, (int) Math.ceil(minTruthMl * 1000 / found.voxelVolumeMm3()));
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new double[] {dice, f1};
    }

    /** Share of the components of {@code of} (of at least minVoxels) that overlap {@code other}; 1 when there are none. */
    private static double detected(boolean[] of, boolean[] other, Volume grid, int minVoxels) {
        Components.Labelled c = Components.label(of, grid.nx(), grid.ny(), grid.nz());
        boolean[] hit = new boolean[c.count() + 1];
        for (int i = 0; i < of.length; i++) {
            if (c.labels()[i] > 0 && other[i]) {
                hit[c.labels()[i]] = true;
            }
        }
        int hits = 0;
        int counted = 0;
        for (int k = 1; k <= c.count(); k++) {
            if (c.sizes()[k] >= minVoxels) {
                counted++;
                hits += hit[k] ? 1 : 0;
            }
        }
        return counted == 0 ? 1 : hits / (double) counted;
    }
}
