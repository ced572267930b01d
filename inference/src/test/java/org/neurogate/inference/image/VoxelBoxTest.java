package org.neurogate.inference.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurogate.inference.models.MirrorAugmentation;
import org.neurogate.inference.registration.AffineTransform;
import org.neurogate.inference.volume.Volume;

class VoxelBoxTest {

    /** 20 x 10 x 8 voxels of 2 mm, origin (-19, 0, 5) mm: voxel i sits at x = -19 + 2 i. */
    private static final Volume GRID = new Volume(new float[20 * 10 * 8], 20, 10, 8, new double[] {2, 2, 2},
            new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[] {-19, 0, 5});

    @Test
    void theBoxOfTheVoxelsAboveALevelIsHalfOpen() {
        Volume v = GRID.blank();
        v.voxels()[v.index(3, 2, 1)] = 1;
        v.voxels()[v.index(7, 5, 6)] = 2;
        v.voxels()[v.index(9, 9, 7)] = 0.5f;
        assertEquals(new VoxelBox(3, 2, 1, 8, 6, 7), VoxelBox.above(v, 0.5f));
        assertEquals(new VoxelBox(3, 2, 1, 10, 10, 8), VoxelBox.above(v, 0));
        assertNull(VoxelBox.above(v, 2));
        assertEquals(5L * 4 * 6, VoxelBox.above(v, 0.5f).voxels());
    }

    @Test
    void wideningAndIntersectionStayOnTheGrid() {
        VoxelBox box = new VoxelBox(3, 2, 1, 8, 6, 7);
        assertEquals(new VoxelBox(0, 0, 0, 11, 9, 8), box.widened(4, 3, GRID));
        assertEquals(new VoxelBox(4, 3, 2, 7, 5, 6), box.widened(-1, -1, GRID));
        assertEquals(new VoxelBox(5, 2, 1, 8, 4, 7), box.intersection(new VoxelBox(5, 0, 0, 20, 4, 8)));
        assertTrue(box.intersection(new VoxelBox(9, 0, 0, 20, 10, 8)).isEmpty());
        assertEquals(VoxelBox.of(GRID), new VoxelBox(-5, -5, -5, 50, 50, 50).intersection(VoxelBox.of(GRID))
                .widened(0, 0, GRID));
    }

    @Test
    void aBoxMirroredAboutTheGridsMidPlaneIsItsMirrorImage() {
        // The grid's x runs from -19 to 19 mm: the plane x = 0 maps voxel i onto voxel 19 - i.
        AffineTransform mirror = MirrorAugmentation.reflection(new double[] {1, 0, 0}, 0);
        assertEquals(new VoxelBox(12, 2, 1, 17, 6, 7), new VoxelBox(3, 2, 1, 8, 6, 7).mapped(mirror, GRID));
        // About x = 4 mm (between voxels 11 and 12): i maps onto 23 - i, and what falls off the grid is cut.
        AffineTransform off = MirrorAugmentation.reflection(new double[] {1, 0, 0}, 4);
        assertEquals(new VoxelBox(16, 2, 1, 20, 6, 7), new VoxelBox(3, 2, 1, 8, 6, 7).mapped(off, GRID));
    }

    @Test
    void anObliqueMapGivesABoxHoldingEveryMappedVoxel() {
        // 10 degrees about z, about the grid's centre (0, 9, 12) mm.
        double a = Math.toRadians(10);
        double cx = 0;
        double cy = 9;
        double[] m = {Math.cos(a), -Math.sin(a), 0, 0, Math.sin(a), Math.cos(a), 0, 0, 0, 0, 1, 0};
        m[3] = cx - m[0] * cx - m[1] * cy;
        m[7] = cy - m[4] * cx - m[5] * cy;
        AffineTransform rotation = new AffineTransform(m);
        VoxelBox box = new VoxelBox(6, 3, 2, 14, 7, 6);
        VoxelBox mapped = box.mapped(rotation, GRID);
        for (int k = box.k0(); k < box.k1(); k++) {
            for (int j = box.j0(); j < box.j1(); j++) {
                for (int i = box.i0(); i < box.i1(); i++) {
                    double[] p = GRID.voxelToPatient(i, j, k);
                    double[] q = rotation.apply(p[0], p[1], p[2]);
                    double[] v = GRID.patientToVoxel(q[0], q[1], q[2]);
                    int[] n = {(int) Math.round(v[0]), (int) Math.round(v[1]), (int) Math.round(v[2])};
                    assertTrue(n[0] >= mapped.i0() && n[0] < mapped.i1() && n[1] >= mapped.j0() && n[1] < mapped.j1()
                            && n[2] >= mapped.k0() && n[2] < mapped.k1(), "voxel " + i + "," + j + "," + k + " maps outside "
                            + mapped);
                }
            }
        }
        assertTrue(mapped.voxels() < 2 * box.voxels(), "a 10 degree turn widens a box a little, not " + mapped);
    }
}
