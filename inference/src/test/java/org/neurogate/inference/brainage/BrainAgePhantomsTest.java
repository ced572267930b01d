package org.neurogate.inference.brainage;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;
import org.neurogate.inference.volume.PhantomVolumes;
import org.neurogate.inference.volume.Volume;
import org.neurogate.phantoms.PhantomRenderer;
import org.neurogate.phantoms.RenderedSeries;
import org.neurogate.phantoms.SeriesRole;
import org.neurogate.phantoms.anatomy.HeadAnatomy;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.anatomy.Tissue;
import org.neurogate.phantoms.geometry.ImageGrid;
import org.neurogate.phantoms.geometry.Vec3;

/**
 * The 2D-projection CNN on our own phantoms: it was not trained on them, so there is no age target
 * (the reference pack's ridge regression keeps the phantom target). What must hold is that a phantom
 * head registers to the MNI template as well as a real one (it passes the correlation-ratio gate) and
 * the stage gives an age; the predictions are printed for the closing note. Each phantom's brain mask
 * is its own intracranial tissue, so no skull-stripping model runs.
 */
class BrainAgePhantomsTest {

    private static final Path DATA = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data");

    @Test
    void phantomHeadsRegisterAndGetAnAge(@TempDir Path dir) throws Exception {
        Path published = DATA.resolve("models-brainage-2dproj-onnx");
        assumeTrue(Files.isDirectory(published), "../shared/data is absent; skipping");
        List<Subject> subjects = List.of(
                new Subject(11, 25, Subject.Sex.F, Subject.Diagnosis.CN, 3, -2, 4, new Vec3(1, -2, 0), 0, 0, 0),
                new Subject(12, 50, Subject.Sex.M, Subject.Diagnosis.CN, -4, 2, -3, new Vec3(-2, 1, 2), 0, 0, 0),
                new Subject(13, 75, Subject.Sex.F, Subject.Diagnosis.CN, 2, 3, 6, new Vec3(0, 2, -1), 0, 0, 0));
        List<String> failures = new ArrayList<>();
        try (InferenceEngine engine = new InferenceEngine(new InferenceSettings("cpu", 2, 1))) {
            BrainAgeModel model = BrainAgeImporter.importInto(published, null, dir.resolve("brain-age"), engine);
            for (Subject s : subjects) {
                Volume[] t1AndBrain = render(s);
                BrainAgeModel.Estimate e = model.estimate(engine, t1AndBrain[0], t1AndBrain[1], s.sex() == Subject.Sex.M);
                System.out.printf(Locale.ROOT, "brain age phantom seed %d, %.0f y %s: ensemble %5.1f (SD %4.1f), error %+5.1f;"
                        + " axi %5.1f cor %5.1f sag %5.1f; correlation ratio %.3f; GM %.0f mL%n", s.seed(), s.ageYears(),
                        s.sex(), e.predictedYears(), e.memberSdYears(), e.predictedYears() - s.ageYears(),
                        e.byDirection().get(ProjectionRecipe.Direction.AXI),
                        e.byDirection().get(ProjectionRecipe.Direction.COR),
                        e.byDirection().get(ProjectionRecipe.Direction.SAG), e.correlationRatio(), e.greyMatterMl());
                // The analysis refuses an age below a correlation ratio of 0.8; real brains reach 0.87-0.94.
                if (!(e.correlationRatio() >= 0.8)) {
                    failures.add("seed " + s.seed() + ": correlation ratio " + e.correlationRatio());
                }
                if (!Double.isFinite(e.predictedYears())) {
                    failures.add("seed " + s.seed() + ": no age");
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    /** The phantom's 1 mm T1 and its intracranial brain (tissue fraction at least a half) as volumes. */
    private static Volume[] render(Subject subject) {
        HeadAnatomy anatomy = new HeadAnatomy(subject);
        ImageGrid grid = ImageGrid.centred(176, 208, 176, 1, 1, 1, 1, new Vec3(1, 0, 0), new Vec3(0, 1, 0),
                new Vec3(0, 0, 0));
        RenderedSeries t1 = new PhantomRenderer(anatomy, 40).render(SeriesRole.T1, grid);
        double[] intracranial = PhantomVolumes.fractions(anatomy, grid, List.of(Tissue::intracranial))[0];
        float[] intensity = new float[grid.voxelCount()];
        float[] brain = new float[grid.voxelCount()];
        for (int at = 0; at < brain.length; at++) {
            brain[at] = intracranial[at] >= 0.5 ? 1 : 0;
            intensity[at] = t1.frames()[at];
        }
        Volume v = PhantomVolumes.of(grid, intensity);
        return new Volume[] {v, v.withVoxels(brain)};
    }
}
