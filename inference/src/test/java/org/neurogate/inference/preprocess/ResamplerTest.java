package org.neurogate.inference.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurogate.inference.volume.Volume;

/** Resampling, conforming and normalising against answers known in advance. */
class ResamplerTest {

    private static final double[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};

    @Test
    void identityResampleIsExact() {
        Volume v = random(7, 9, 11, new double[] {1.2, 0.9, 3}, new double[] {0.6, 0.8, 0, -0.8, 0.6, 0, 0, 0, 1},
                new double[] {-10, 4, 2});
        for (Interpolation interpolation : Interpolation.values()) {
            Volume out = Resampler.resample(v, v.blank(), interpolation);
            for (int n = 0; n < v.size(); n++) {
                assertEquals(v.voxels()[n], out.voxels()[n], 1e-5, interpolation + " voxel " + n);
            }
        }
    }

    @Test
    void ninetyDegreeRotationMapsKnownVoxelsToKnownPositions() {
        Volume source = random(5, 4, 3, new double[] {1, 1, 1}, IDENTITY, new double[] {0, 0, 0});
        // Target axes: i along +y, j along -x, k along +z (a 90 degree turn about z); target voxel
        // (i, j, k) lies at (-j, i, k), which is source voxel (-j + 3, i, k) once the origin is (3, 0, 0).
        double[] turned = {0, -1, 0, 1, 0, 0, 0, 0, 1};
        Volume target = new Volume(new float[4 * 4 * 3], 4, 4, 3, new double[] {1, 1, 1}, turned, new double[] {3, 0, 0});
        for (Interpolation interpolation : new Interpolation[] {Interpolation.NEAREST, Interpolation.LINEAR}) {
            Volume out = Resampler.resample(source, target, interpolation);
            for (int k = 0; k < 3; k++) {
                for (int j = 0; j < 4; j++) {
                    for (int i = 0; i < 4; i++) {
                        assertEquals(source.get(3 - j, i, k), out.get(i, j, k), 1e-5, interpolation + " (" + i + "," + j + "," + k + ")");
                    }
                }
            }
        }
    }

    @Test
    void linearInterpolationIsExactOnALinearRamp() {
        float[] ramp = new float[6 * 6 * 6];
        Volume v = new Volume(ramp, 6, 6, 6, new double[] {2, 2, 2}, IDENTITY, new double[] {0, 0, 0});
        for (int k = 0; k < 6; k++) {
            for (int j = 0; j < 6; j++) {
                for (int i = 0; i < 6; i++) {
                    ramp[v.index(i, j, k)] = 3 * i * 2 + 5 * j * 2 - 2 * k * 2;
                }
            }
        }
        Volume fine = new Volume(new float[9 * 9 * 9], 9, 9, 9, new double[] {1.1, 1.1, 1.1}, IDENTITY, new double[] {0.3, 0.7, 0.5});
        Volume out = Resampler.resample(v, fine, Interpolation.LINEAR);
        for (int k = 0; k < 9; k++) {
            for (int j = 0; j < 9; j++) {
                for (int i = 0; i < 9; i++) {
                    double[] p = fine.voxelToPatient(i, j, k);
                    assertEquals(3 * p[0] + 5 * p[1] - 2 * p[2], out.get(i, j, k), 1e-3);
                }
            }
        }
    }

    @Test
    void conformAndBackKeepsLabels() {
        // An oblique 0.9 x 0.9 x 1.3 mm label volume of nested boxes.
        double c = Math.cos(Math.toRadians(12));
        double s = Math.sin(Math.toRadians(12));
        double[] oblique = {c, 0, s, 0, 1, 0, -s, 0, c};
        float[] labels = new float[80 * 90 * 60];
        Volume v = new Volume(labels, 80, 90, 60, new double[] {0.9, 0.9, 1.3}, oblique, new double[] {-30, -40, -35});
        for (int k = 0; k < 60; k++) {
            for (int j = 0; j < 90; j++) {
                for (int i = 0; i < 80; i++) {
                    int label = Math.abs(i - 40) < 25 && Math.abs(j - 45) < 30 && Math.abs(k - 30) < 20 ? 1 : 0;
                    label += Math.abs(i - 40) < 10 && Math.abs(j - 45) < 12 && Math.abs(k - 30) < 8 ? 1 : 0;
                    labels[v.index(i, j, k)] = label;
                }
            }
        }
        Volume conformed = Conform.conform(v, 256, 1.0, Interpolation.NEAREST);
        assertEquals(256, conformed.nx());
        double[] lia = conformed.axis(1);
        assertEquals(-1, lia[2], 1e-12, "j axis points inferior");
        Volume back = Conform.toNative(conformed, v.blank(), Interpolation.NEAREST);
        long same = 0;
        for (int n = 0; n < v.size(); n++) {
            same += back.voxels()[n] == v.voxels()[n] ? 1 : 0;
        }
        assertTrue(same >= 0.99 * v.size(), "labels kept: " + same + " of " + v.size());
    }

    @Test
    void normalisationsHitTheirTargets() {
        Volume v = random(10, 10, 10, new double[] {1, 1, 1}, IDENTITY, new double[] {0, 0, 0});
        Volume minMax = IntensityNormalization.minMax(v);
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float x : minMax.voxels()) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        assertEquals(0, lo, 1e-6);
        assertEquals(1, hi, 1e-6);
        Volume mask = v.withVoxels(new float[v.size()]);
        java.util.Arrays.fill(mask.voxels(), 0, 500, 1);
        Volume z = IntensityNormalization.zScore(v, mask);
        double mean = 0;
        for (int i = 0; i < 500; i++) {
            mean += z.voxels()[i];
        }
        assertEquals(0, mean / 500, 1e-4);
        assertEquals(0, z.voxels()[900], 0, "outside the mask");
        Volume q = IntensityNormalization.quantile(v, 0.05, 0.95);
        for (float x : q.voxels()) {
            assertTrue(x >= 0 && x <= 1);
        }
    }

    private static Volume random(int nx, int ny, int nz, double[] spacing, double[] direction, double[] origin) {
        SplittableRandom r = new SplittableRandom(nx * 31L + ny);
        float[] data = new float[nx * ny * nz];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextInt(0, 1000);
        }
        return new Volume(data, nx, ny, nz, spacing, direction, origin);
    }
}
