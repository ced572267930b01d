package org.neurogate.phantoms;

import org.neurogate.phantoms.geometry.ImageGrid;

/**
 * One series' voxels on its own grid, slice-major (index = (k * rows + j) * columns + i), with the
 * ground truth sampled at the same voxel centres.
 *
 * @param frames      stored values; DWI holds b=0 volume then b=1000 volume ({@code 2 * grid.voxelCount()})
 * @param labels      {@link org.neurogate.phantoms.anatomy.Tissue} label per voxel
 * @param lesionMask  0 none, 1 lesion core (true ADC below 620), 2 rest of the lesion
 * @param bValues     one b-value per volume in {@code frames}; empty for non-diffusion series
 */
public record RenderedSeries(SeriesRole role, ImageGrid grid, short[] frames, byte[] labels, byte[] lesionMask,
                             int[] bValues) {
    public int volumes() {
        return frames.length / grid.voxelCount();
    }
}
