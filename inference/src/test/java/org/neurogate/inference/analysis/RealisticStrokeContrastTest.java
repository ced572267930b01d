package org.neurogate.inference.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.inference.image.Components;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;
import org.neurogate.inference.preprocess.Interpolation;
import org.neurogate.inference.preprocess.Resampler;
import org.neurogate.inference.roles.SeriesRoleRules;
import org.neurogate.inference.stroke.DiffusionLesions;
import org.neurogate.inference.stroke.LesionOverlap;
import org.neurogate.inference.volume.NiftiFile;
import org.neurogate.inference.volume.Volume;
import org.neurogate.phantoms.AcquisitionOptions;
import org.neurogate.phantoms.DiffusionContrast;
import org.neurogate.phantoms.NiftiImport;
import org.neurogate.phantoms.SeriesRole;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * Three real stroke lesion maps (97, 121 and 180 mL: territorial infarcts up to a third of a hemisphere)
 * implanted in real MNI anatomy under the graded diffusion contrast (core 2.6 times normal on the trace
 * and 0.55 times on ADC, rim 1.5 and 0.8 times, Rician noise), in the two ways real data come: a
 * skull-stripped trace and ADC with no b0 at SNR 10 (as ISLES), and a whole head with b0 at SNR 20.
 */
class RealisticStrokeContrastTest {

    private static final Path DATA = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data",
            "nifti-stroke-lesion-maps-mni");
    static final double MIN_DICE = 0.85;
    static final double MAX_VOLUME_ERROR = 0.15;
    static final double MIN_LESION_F1 = 0.9;
    static final double MAX_FALSE_LESION_ML = 1;

    private static InferenceEngine engine;

    @BeforeAll
    static void start() {
        engine = new InferenceEngine(new InferenceSettings("cpu", Runtime.getRuntime().availableProcessors(), 1));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** One way of acquiring: SNR, skull-stripped or not, with or without b0. */
    private record Acquisition(double snr, DiffusionContrast contrast) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "SNR %.0f, %s, %s", snr, contrast.skullStripped() ? "skull-stripped" : "whole head",
                    contrast.withB0() ? "with b0" : "no b0");
        }
    }

    @Test
    void gradedInfarctsOnRealAnatomy(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(DATA), "../shared/data is absent; skipping");
        StudyAnalyzer analyzer = AnalysisCli.analyzer(engine, Map.of("NEUROGATE_DATA_DIR", dir.resolve("none").toString()),
                System.err);
        List<Acquisition> acquisitions = List.of(new Acquisition(10, new DiffusionContrast(true, true, false)),
                new Acquisition(20, new DiffusionContrast(true, false, true)));
        for (Acquisition acquisition : acquisitions) {
            for (String map : List.of("M2095", "M2306", "example", "bilateral")) {
                Path study = dir.resolve(map + "-" + (int) acquisition.snr());
                Subject subject = new Subject(7, 65, Subject.Sex.M, Subject.Diagnosis.CN, 0, 0, 0, Vec3.ZERO, 0, 0, 0);
                Path mask = map.equals("bilateral") ? bilateral(dir) : DATA.resolve(map + "_lesion.nii.gz");
                NiftiImport.write(DATA.resolve("betsct1_unsmooth.nii.gz"), SeriesRole.T1, mask,
                        subject, new AcquisitionOptions(AcquisitionOptions.Plane.AXIAL, 0, false,
                                AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, acquisition.snr()), null, acquisition.contrast(), study);
                // Diffusion only, as a stroke protocol without a 3D T1: the plane comes from the diffusion images.
                StudyInput all = StudyInput.read(study.resolve("dicom"), SeriesRoleRules.defaults());
                StudyInput input = new StudyInput(all.studyInstanceUid(), all.demographics(), Map.of(
                        org.neurogate.inference.roles.SeriesRole.DWI_B1000, all.get(org.neurogate.inference.roles.SeriesRole.DWI_B1000),
                        org.neurogate.inference.roles.SeriesRole.ADC, all.get(org.neurogate.inference.roles.SeriesRole.ADC)),
                        all.qcNotes());
                StudyAnalyzer.StudyAnalysis analysis = analyzer.analyze(input);
                Findings.StrokeLesions lesion = analysis.findings().lesion();
                assertNotNull(lesion, analysis.findings().notAssessed().toString());
                Volume found = analysis.labelMaps().get("lesion_mask").labels();
                Volume truth = Resampler.resample(NiftiFile.read(study.resolve("truth/lesion_mask_dwi.nii.gz")), found.blank(),
                        Interpolation.NEAREST);
                double[] overlap = LesionOverlap.score(found, truth, DiffusionLesions.MIN_LESION_ML);
                double truthMl = 0;
                for (float t : truth.voxels()) {
                    truthMl += t > 0 ? found.voxelVolumeMm3() / 1000 : 0;
                }
                double error = (lesion.totalVolumeMl() - truthMl) / truthMl;
                double largestFalse = largestFalseLesionMl(found, truth);
                String what = String.format(Locale.ROOT, "%s lesion map, %s: truth %.1f mL, found %.1f mL (left %.1f, right %.1f) "
                        + "in %d lesion(s), Dice %.3f, lesion-wise F1 %.2f (true lesions of 0.1 mL or more), volume error %+.1f %%, largest false lesion %.2f mL",
                        map, acquisition, truthMl, lesion.totalVolumeMl(), lesion.leftVolumeMl(), lesion.rightVolumeMl(),
                        lesion.count(), overlap[0], overlap[1], 100 * error, largestFalse);
                System.out.println(what);
                assertTrue(overlap[0] >= MIN_DICE, what);
                assertTrue(Math.abs(error) <= MAX_VOLUME_ERROR, what);
                assertTrue(overlap[1] >= MIN_LESION_F1, what);
                assertTrue(largestFalse < MAX_FALSE_LESION_ML, what);
                if (!map.equals("bilateral")) {
                    // Every lesion map lies in the right hemisphere (MNI x > 0).
                    assertEquals(0, lesion.leftVolumeMl(), MAX_FALSE_LESION_ML, what);
                }
            }
        }
    }

    /**
     * Bilateral infarcts: M2095 in the right hemisphere and M2306 mirrored into the left, where it lies
     * partly opposite M2095. Reading against the other hemisphere must not cancel them.
     */
    private static Path bilateral(Path dir) throws java.io.IOException {
        Path file = dir.resolve("bilateral_lesion.nii.gz");
        if (Files.exists(file)) {
            return file;
        }
        org.neurogate.phantoms.nifti.Nifti1.Volume right = org.neurogate.phantoms.nifti.Nifti1.read(DATA.resolve("M2095_lesion.nii.gz"));
        org.neurogate.phantoms.nifti.Nifti1.Volume other = org.neurogate.phantoms.nifti.Nifti1.read(DATA.resolve("M2306_lesion.nii.gz"));
        int nx = right.grid().columns();
        byte[] both = new byte[right.voxels().length];
        for (int v = 0; v < both.length; v++) {
            int i = v % nx;
            int mirrored = v - i + (nx - 1 - i); // MNI x = -90 + i mm: column nx - 1 - i is the mirror image
            both[v] = (byte) (right.voxels()[v] > 0.5f || other.voxels()[mirrored] > 0.5f ? 1 : 0);
        }
        org.neurogate.phantoms.nifti.Nifti1.writeLabels(file, right.grid(), both);
        return file;
    }

    /** The largest found component that touches no truth voxel, in mL. */
    private static double largestFalseLesionMl(Volume found, Volume truth) {
        boolean[] mask = new boolean[found.size()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = found.voxels()[i] > 0;
        }
        Components.Labelled c = Components.label(mask, found.nx(), found.ny(), found.nz());
        boolean[] real = new boolean[c.count() + 1];
        for (int i = 0; i < mask.length; i++) {
            if (c.labels()[i] > 0 && truth.voxels()[i] > 0) {
                real[c.labels()[i]] = true;
            }
        }
        int largest = 0;
        for (int k = 1; k <= c.count(); k++) {
            largest = real[k] ? largest : Math.max(largest, c.sizes()[k]);
        }
        return largest * found.voxelVolumeMm3() / 1000;
    }
}
