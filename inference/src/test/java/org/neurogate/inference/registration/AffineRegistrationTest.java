package org.neurogate.inference.registration;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurogate.inference.preprocess.Interpolation;
import org.neurogate.inference.preprocess.Resampler;
import org.neurogate.inference.volume.NiftiFile;
import org.neurogate.inference.volume.Volume;

/**
 * Known answers: the brain-age pack's MNI152 template, moved by a known affine map, is registered back
 * to itself; the recovered map must agree with the true one within 1 mm RMS over the template's brain.
 */
class AffineRegistrationTest {

    private static Volume template;

    @BeforeAll
    static void loadTemplate() throws Exception {
        Path file = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data", "models-brainage-2dproj-onnx",
                "MNI152_T1_1mm_brain.nii.gz");
        assumeTrue(Files.isRegularFile(file), file.toAbsolutePath() + " is absent; skipping");
        template = NiftiFile.read(file);
    }

    @Test
    void aRotatedShiftedAndScaledTemplateIsRecoveredWithinAMillimetre() {
        double[] centre = template.voxelToPatient(91, 109, 91);
        AffineTransform truth = AffineTransform.of(centre, new double[] {7, -5, 9},
                new double[] {Math.toRadians(12), Math.toRadians(-6), Math.toRadians(8)},
                new double[] {1.08, 0.94, 1.03}, new double[] {0.03, -0.02, 0.04});
        assertRecovered(truth);
    }

    @Test
    void aPitchedSmallerHeadIsRecoveredWithinAMillimetre() {
        double[] centre = template.voxelToPatient(91, 109, 91);
        AffineTransform truth = AffineTransform.of(centre, new double[] {-12, 10, -6},
                new double[] {Math.toRadians(-22), Math.toRadians(4), Math.toRadians(-3)},
                new double[] {0.9, 0.88, 0.92}, new double[] {0, 0, 0});
        assertRecovered(truth);
    }

    private static void assertRecovered(AffineTransform truth) {
        Volume grid = paddedGrid(template, 24);
        Volume moving = Resampler.resample(template, grid, truth.inverse(), Interpolation.LINEAR);
        long start = System.nanoTime();
        AffineRegistration.Result result = new AffineRegistration(AffineRegistration.Settings.DEFAULT)
                .register(template, moving);
        double seconds = (System.nanoTime() - start) / 1e9;
        double rms = rmsOverBrain(result.fixedToMoving(), truth);
        System.out.printf("known affine: RMS %.3f mm over the brain, correlation ratio %.4f, %d evaluations, %.1f s%n",
                rms, result.correlationRatio(), result.evaluations(), seconds);
        assertTrue(rms < 1.0, "RMS " + rms + " mm");
    }

    static double rmsOverBrain(AffineTransform a, AffineTransform b) {
        double sum = 0;
        long n = 0;
        for (int k = 0; k < template.nz(); k += 2) {
            for (int j = 0; j < template.ny(); j += 2) {
                for (int i = 0; i < template.nx(); i += 2) {
                    if (template.get(i, j, k) > 0) {
                        double[] x = template.voxelToPatient(i, j, k);
                        double[] p = a.apply(x[0], x[1], x[2]);
                        double[] q = b.apply(x[0], x[1], x[2]);
                        sum += (p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2]);
                        n++;
                    }
                }
            }
        }
        return Math.sqrt(sum / n);
    }

    /** The volume's grid grown by {@code margin} voxels on every side, so a moved brain stays in view. */
    static Volume paddedGrid(Volume v, int margin) {
        int nx = v.nx() + 2 * margin;
        int ny = v.ny() + 2 * margin;
        int nz = v.nz() + 2 * margin;
        return new Volume(new float[nx * ny * nz], nx, ny, nz, v.spacing(), v.direction(),
                v.voxelToPatient(-margin, -margin, -margin));
    }
}
