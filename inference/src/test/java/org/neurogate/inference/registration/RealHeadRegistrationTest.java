package org.neurogate.inference.registration;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurogate.inference.preprocess.Interpolation;
import org.neurogate.inference.preprocess.Resampler;
import org.neurogate.inference.volume.NiftiFile;
import org.neurogate.inference.volume.Volume;

/**
 * Real heads: each of the six IXI FreeSurfer brains is registered to the brain-age pack's MNI152
 * template, and its brain mask, carried into MNI space, must overlap the template's brain with
 * Dice ≥ 0.9.
 */
class RealHeadRegistrationTest {

    @Test
    void everyIxiBrainMaskLandsOnTheTemplateBrain() throws Exception {
        Path shared = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data");
        Path templateFile = shared.resolve("models-brainage-2dproj-onnx/MNI152_T1_1mm_brain.nii.gz");
        Path subjects = shared.resolve("nifti-ixi-t1-freesurfer-with-age");
        assumeTrue(Files.isRegularFile(templateFile) && Files.isDirectory(subjects), "shared data absent; skipping");
        Volume template = NiftiFile.read(templateFile);
        List<String> failures = new ArrayList<>();
        for (String line : Files.readAllLines(subjects.resolve("ages.csv")).subList(1, 7)) {
            String subject = line.split(",")[0];
            Volume brain = NiftiFile.read(subjects.resolve(subject + "-T1_brain.nii.gz"));
            long start = System.nanoTime();
            AffineRegistration.Result r = new AffineRegistration(AffineRegistration.Settings.DEFAULT)
                    .register(template, brain);
            double seconds = (System.nanoTime() - start) / 1e9;
            float[] mask = brain.voxels().clone();
            for (int i = 0; i < mask.length; i++) {
                mask[i] = mask[i] > 0 ? 1 : 0;
            }
            Volume carried = Resampler.resample(brain.withVoxels(mask), template, r.fixedToMoving(), Interpolation.LINEAR);
            double dice = dice(carried.voxels(), template.voxels());
            System.out.printf("%s: Dice %.3f with the template brain, correlation ratio %.3f, volume ratio %.3f, %.1f s%n",
                    subject, dice, r.correlationRatio(), r.fixedToMoving().determinant(), seconds);
            if (dice < 0.9) {
                failures.add(subject + " Dice " + dice);
            }
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    static double dice(float[] a, float[] b) {
        long both = 0;
        long na = 0;
        long nb = 0;
        for (int i = 0; i < a.length; i++) {
            boolean x = a[i] > 0.5f;
            boolean y = b[i] > 0;
            both += x && y ? 1 : 0;
            na += x ? 1 : 0;
            nb += y ? 1 : 0;
        }
        return 2.0 * both / (na + nb);
    }
}
