package org.neurogate.inference.volumetry;

import org.neurogate.inference.image.Components;
import org.neurogate.inference.midline.BrainFrame;
import org.neurogate.inference.volume.Volume;

/**
 * Hippocampi without a trained segmentation model: grey-matter-like voxels inside an anatomical prior
 * region of the medial temporal lobe, placed in the {@link BrainFrame}.
 *
 * <p>The prior is stated for a reference adult cavity of 130 x 170 x 121 mm and scaled to this head
 * by the frame: an ellipsoid per side centred 27 mm lateral, 10 mm posterior and 17 mm inferior of
 * the cavity's centroid, its long axis tilted 25 degrees in the sagittal plane, 1.2 times the size of
 * an adult hippocampus (semi-axes about 7.3 x 20 x 6.4 mm, 3.9 mL: the NiChart DLMUSE median is
 * 3.9-4.1 mL at 40, see {@link NormativeModel}), which leaves room for individual anatomy. Within it, the largest
 * connected set of voxels whose intensity lies between the CSF/grey and grey/white midpoints is the
 * hippocampus; the white matter that surrounds it in the temporal stem bounds it.
 */
public final class HippocampalPrior {

    /** How much larger than an adult hippocampus the prior is: room for anatomy, not for neighbours. */
    static final double PRIOR_MARGIN = 1.2;
    static final double[] REFERENCE_CAVITY_MM = {65, 85, 60.5};
    static final double[] CENTRE_MM = {27, 10, -17};
    static final double[] SEMI_AXES_MM = {7.3 * PRIOR_MARGIN, 20 * PRIOR_MARGIN, 6.4 * PRIOR_MARGIN};
    static final double TILT_DEG = -25;

    /** Left and right hippocampal masks on the T1's native grid (1 left, 2 right). */
    public record Result(Volume labels, double leftMl, double rightMl) {
    }

    private HippocampalPrior() {
    }

    /**
     * @param t1      native T1
     * @param frame   the brain frame
     * @param centres CSF, grey and white matter intensities measured on this scan
     */
    public static Result segment(Volume t1, BrainFrame frame, double[] centres) {
        double low = (centres[0] + centres[1]) / 2;
        double high = (centres[1] + centres[2]) / 2;
        float[] v = t1.voxels();
        // One pass places every grey-matter-like voxel in the left or the right prior (they are disjoint).
        boolean[][] candidate = {new boolean[v.length], new boolean[v.length]};
        for (int k = 0; k < t1.nz(); k++) {
            for (int j = 0; j < t1.ny(); j++) {
                for (int i = 0; i < t1.nx(); i++) {
                    int index = t1.index(i, j, k);
                    if (v[index] < low || v[index] > high) {
                        continue;
                    }
                    double[] q = frame.normalised(t1.voxelToPatient(i, j, k));
                    candidate[0][index] = inside(q[0], q[1], q[2]);
                    candidate[1][index] = inside(-q[0], q[1], q[2]);
                }
            }
        }
        float[] labels = new float[v.length];
        double[] volumes = new double[2];
        for (int side = 0; side < 2; side++) {
            Components.Labelled parts = Components.label(candidate[side], t1.nx(), t1.ny(), t1.nz());
            int largest = 0;
            for (int c = 1; c <= parts.count(); c++) {
                if (largest == 0 || parts.sizes()[c] > parts.sizes()[largest]) {
                    largest = c;
                }
            }
            if (largest == 0) {
                continue;
            }
            for (int index = 0; index < v.length; index++) {
                if (parts.labels()[index] == largest) {
                    labels[index] = side + 1;
                }
            }
            volumes[side] = parts.sizes()[largest] * t1.voxelVolumeMm3() / 1000;
        }
        return new Result(t1.withVoxels(labels), volumes[0], volumes[1]);
    }

    /** Inside the left prior ellipsoid; arguments in frame fractions (x left, y posterior, z superior). */
    static boolean inside(double x, double y, double z) {
        double dx = (x * REFERENCE_CAVITY_MM[0] - CENTRE_MM[0]) / SEMI_AXES_MM[0];
        if (Math.abs(dx) > 1) {
            return false;
        }
        double t = Math.toRadians(TILT_DEG);
        double dy = y * REFERENCE_CAVITY_MM[1] - CENTRE_MM[1];
        double dz = z * REFERENCE_CAVITY_MM[2] - CENTRE_MM[2];
        // Rotate into the ellipsoid's own axes (tilted about the left-right axis).
        double ly = (Math.cos(t) * dy + Math.sin(t) * dz) / SEMI_AXES_MM[1];
        double lz = (-Math.sin(t) * dy + Math.cos(t) * dz) / SEMI_AXES_MM[2];
        return dx * dx + ly * ly + lz * lz <= 1;
    }
}
