package org.neurogate.inference.preprocess;

/** How values are taken between voxel centres. */
public enum Interpolation {
    /** Trilinear: for intensities. */
    LINEAR,
    /** Nearest neighbour: for labels when the target grid is as fine as the source. */
    NEAREST,
    /** Most frequent label among 3x3x3 samples spread over the target voxel: for labels onto coarser grids. */
    MAJORITY
}
