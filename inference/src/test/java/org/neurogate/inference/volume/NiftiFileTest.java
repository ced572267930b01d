package org.neurogate.inference.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NiftiFileTest {

    @Test
    void obliqueLabelMapRoundTripsWithItsGeometry(@TempDir Path dir) throws Exception {
        double c = Math.cos(Math.toRadians(20));
        double s = Math.sin(Math.toRadians(20));
        // Columns: i along (c, s, 0), j along (-s, c, 0), k against +z (a left-handed order, as in LIA).
        double[] direction = {c, -s, 0, s, c, 0, 0, 0, -1};
        float[] voxels = new float[4 * 3 * 2];
        for (int i = 0; i < voxels.length; i++) {
            voxels[i] = i % 7;
        }
        Volume v = new Volume(voxels, 4, 3, 2, new double[] {0.9, 1.1, 4}, direction, new double[] {-10, 20.5, 33});
        Path file = dir.resolve("labels.nii.gz");
        NiftiFile.write(v, file, true);
        Volume back = NiftiFile.read(file);
        assertArrayEquals(voxels, back.voxels());
        assertArrayEquals(v.spacing(), back.spacing(), 1e-5);
        assertArrayEquals(v.direction(), back.direction(), 1e-6);
        assertArrayEquals(v.origin(), back.origin(), 1e-4);
        double[] p = v.voxelToPatient(3, 2, 1);
        assertArrayEquals(p, back.voxelToPatient(3, 2, 1), 1e-4);
        assertEquals(4, back.nx());
    }
}
