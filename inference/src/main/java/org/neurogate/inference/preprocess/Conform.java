package org.neurogate.inference.preprocess;

import org.neurogate.inference.volume.Volume;

/**
 * A model's input space, such as FreeSurfer's "conformed" 256^3 grid at 1 mm in LIA orientation that
 * MeshNet models expect: voxel axes point to the patient's Left, Inferior and Anterior, and voxel
 * (n/2, n/2, n/2) sits at the centre of the source volume.
 */
public final class Conform {

    private Conform() {
    }

    /** LIA axes in LPS: +i = Left (+x), +j = Inferior (-z), +k = Anterior (-y). */
    static final double[] LIA = {1, 0, 0, 0, 0, -1, 0, -1, 0};

    public static Volume grid(Volume source, int size, double spacingMm) {
        double[] centre = source.voxelToPatient((source.nx() - 1) / 2.0, (source.ny() - 1) / 2.0, (source.nz() - 1) / 2.0);
        double half = size / 2.0 * spacingMm;
        // origin = centre - half * (i + j + k axes), with the axes as columns of LIA.
        double[] origin = {
            centre[0] - half * (LIA[0] + LIA[1] + LIA[2]),
            centre[1] - half * (LIA[3] + LIA[4] + LIA[5]),
            centre[2] - half * (LIA[6] + LIA[7] + LIA[8])};
        return new Volume(new float[size * size * size], size, size, size,
                new double[] {spacingMm, spacingMm, spacingMm}, LIA, origin);
    }

    public static Volume conform(Volume source, int size, double spacingMm, Interpolation interpolation) {
        return Resampler.resample(source, grid(source, size, spacingMm), interpolation);
    }

    /** A model output on the conformed grid, mapped back onto the native grid of its source series. */
    public static Volume toNative(Volume conformed, Volume nativeGrid, Interpolation interpolation) {
        return Resampler.resample(conformed, nativeGrid, interpolation);
    }
}
