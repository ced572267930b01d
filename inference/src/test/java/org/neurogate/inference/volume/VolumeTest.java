package org.neurogate.inference.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Voxel/patient transforms against hand-computed positions, and refused malformed volumes. */
class VolumeTest {

    // LIA: i to the left (+x), j inferior (-z), k anterior (-y), as a conformed MeshNet volume.
    private static final double[] LIA = {1, 0, 0, 0, 0, -1, 0, -1, 0};

    @Test
    void voxelToPatientFollowsTheDicomFormula() {
        Volume v = new Volume(new float[2 * 3 * 4], 2, 3, 4, new double[] {0.5, 2, 3}, LIA, new double[] {10, 20, 30});
        // (i, j, k) = (1, 2, 3): x = 10 + 1*0.5, y = 20 - 3*3, z = 30 - 2*2
        assertArrayEquals(new double[] {10.5, 11, 26}, v.voxelToPatient(1, 2, 3), 1e-12);
        assertArrayEquals(new double[] {1, 2, 3}, v.patientToVoxel(10.5, 11, 26), 1e-12);
        double[] p = v.voxelToPatient(0.25, 1.75, 2.5);
        assertArrayEquals(new double[] {0.25, 1.75, 2.5}, v.patientToVoxel(p[0], p[1], p[2]), 1e-12);
        assertEquals(3, v.voxelVolumeMm3(), 1e-12);
        assertEquals(v.index(1, 2, 3), 23);
    }

    @Test
    void malformedVolumesAreRefusedWithTheirNumbers() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> new Volume(new float[5], 2, 3, 1, new double[] {1, 1, 1}, LIA, new double[3]));
        assertTrue(size.getMessage().contains("need 6 voxels, got 5"), size.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Volume(new float[1], 1, 1, 1, new double[] {1, 0, 1}, LIA, new double[3]));
        assertThrows(IllegalArgumentException.class, () -> new Volume(new float[1], 1, 1, 1, new double[] {1, 1, 1},
                new double[] {1, 0, 0, 0.5, 1, 0, 0, 0, 1}, new double[3]));
    }
}
