package org.neurogate.phantoms;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * A cohort of phantom studies spanning ages 40-90, both sexes, CN and MCI, with and without lesions
 * and midline shift, in varied poses and acquisition planes; {@code cohort.csv} lists their truths.
 */
public final class PhantomCohort {

    private static final String[] COLUMNS = {"subject", "seed", "age_years", "sex", "diagnosis", "icv_ml",
        "hippocampus_left_ml", "hippocampus_right_ml", "lesion_count", "lesion_volume_ml", "lesion_core_volume_ml",
        "midline_shift_mm", "msp_yaw_deg", "msp_roll_deg", "wmh_count"};

    /**
     * Diffusion SNR (white matter on b0) of the five acquisitions lesion subjects cycle through (0: the
     * study's own): 20 and 40 on b0 are SNR 10 and 20 on the b=1000 trace, where lesions are read.
     */
    private static final double[] DIFFUSION_SNR = {0, 20, 40, 20, 40};

    private PhantomCohort() {
    }

    public static void write(int size, long seed, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Writer csv = Files.newBufferedWriter(dir.resolve("cohort.csv"), StandardCharsets.UTF_8)) {
            csv.write(String.join(",", COLUMNS) + "\n");
            for (int i = 0; i < size; i++) {
                String name = String.format(Locale.ROOT, "sub-%03d", i + 1);
                SplittableRandom r = new SplittableRandom(seed * 31 + i);
                long subjectSeed = seed * 1000 + i + 1;
                // Spread ages evenly over 40-90 and alternate sex and diagnosis so every mix is present.
                double age = 40 + 50.0 * (i + r.nextDouble()) / size;
                boolean lesion = i % 3 == 1;
                double shift = i % 4 == 2 ? (r.nextBoolean() ? 1 : -1) * (2 + r.nextDouble() * 6) : 0;
                Subject subject = new Subject(subjectSeed, age, i % 2 == 0 ? Subject.Sex.F : Subject.Sex.M,
                        (i / 2) % 2 == 1 ? Subject.Diagnosis.MCI : Subject.Diagnosis.CN,
                        r.nextDouble(-15, 15), r.nextDouble(-15, 15), r.nextDouble(-10, 10),
                        new Vec3(r.nextDouble(-5, 5), r.nextDouble(-5, 5), r.nextDouble(-5, 5)), shift,
                        lesion ? 1 + r.nextInt(2) : 0, lesion ? 3 + r.nextDouble() * 25 : 0);
                AcquisitionOptions.Plane plane = AcquisitionOptions.Plane.values()[i % 3];
                boolean thinSlices = i % 5 == 3;
                // Lesion subjects cycle through the diffusion images real stroke protocols give: the
                // study's own SNR, trace SNR 10 and 20, with a noisy background and skull-stripped.
                int diffusion = lesion ? (i / 3) % 5 : 0;
                AcquisitionOptions acquisition = new AcquisitionOptions(plane, r.nextDouble(0, 8), false,
                        AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 25 + r.nextDouble() * 15, thinSlices ? 3 : 0,
                        thinSlices ? 1 : 0, DIFFUSION_SNR[diffusion], diffusion == 1 || diffusion == 4);
                Map<String, Object> truth = PhantomStudy.write(subject, acquisition, dir.resolve(name));
                StringBuilder line = new StringBuilder(name);
                for (int c = 1; c < COLUMNS.length; c++) {
                    line.append(',').append(truth.get(COLUMNS[c]));
                }
                csv.write(line + "\n");
            }
        }
    }
}
