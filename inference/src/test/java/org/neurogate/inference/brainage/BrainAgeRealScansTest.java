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
import org.neurogate.inference.analysis.StudyInput;
import org.neurogate.inference.models.MeshNetImporter;
import org.neurogate.inference.models.ModelPack;
import org.neurogate.inference.models.ModelRunner;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;
import org.neurogate.inference.preprocess.Conform;
import org.neurogate.inference.preprocess.Interpolation;
import org.neurogate.inference.roles.SeriesRole;
import org.neurogate.inference.roles.SeriesRoleRules;
import org.neurogate.inference.volume.NiftiFile;
import org.neurogate.inference.volume.Volume;

/**
 * The 2D-projection brain-age CNN on the six IXI FreeSurfer heads of ../shared/data (29-71 y, three
 * sites), each skull-stripped by mindgrab as the gateway does; the Philips and Siemens DICOM T1s run
 * through the whole analysis in RealDataAnalysisTest. With {@code -Dng.brainage.all=true} the two 2 mm
 * IXI T1s and both DICOM T1s are added here too (the closing figures; mindgrab takes about two
 * minutes a scan on two cores, so CI keeps to the six). Prints per subject, per direction and for the
 * ensemble.
 */
class BrainAgeRealScansTest {

    private static final Path DATA = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data");

    private record Case(String name, Volume t1, double age, boolean male) {
    }

    @Test
    void ensembleAgesOnRealScans(@TempDir Path dir) throws Exception {
        Path published = DATA.resolve("models-brainage-2dproj-onnx");
        assumeTrue(Files.isDirectory(published) && Files.isDirectory(DATA.resolve("nifti-ixi-t1-freesurfer-with-age")),
                "../shared/data is absent; skipping");
        Path masks = dir.resolve("mindgrab");
        MeshNetImporter.importInto(DATA.resolve("models-brainchop-meshnet-tfjs/mindgrab"), masks, "mindgrab", "minmax");
        List<String> failures = new ArrayList<>();
        double absolute = 0;
        double worst = 0;
        int n = 0;
        try (InferenceEngine engine = new InferenceEngine(new InferenceSettings("cpu", 2, 1))) {
            BrainAgeModel model = BrainAgeImporter.importInto(published, null, dir.resolve("brain-age"), engine);
            ModelPack.Model mindgrab = ModelPack.load(masks, engine).models().get(0);
            for (Case c : cases()) {
                Volume conformed = Conform.conform(c.t1(), 256, 1.0, Interpolation.LINEAR);
                Volume mask = ModelRunner.run(engine, mindgrab, c.t1()).modelSpace();
                long start = System.nanoTime();
                BrainAgeModel.Estimate e = model.estimate(engine, conformed, mask, c.male());
                double seconds = (System.nanoTime() - start) / 1e9;
                double error = e.predictedYears() - c.age();
                System.out.printf(Locale.ROOT, "brain age %-30s %5.1f y %s: ensemble %5.1f (SD %4.1f, ±%4.1f), error %+5.1f;"
                        + " axi %5.1f cor %5.1f sag %5.1f; correlation ratio %.3f; GM %.0f mL; %.1f s%n",
                        c.name(), c.age(), c.male() ? "M" : "F", e.predictedYears(), e.memberSdYears(),
                        e.uncertaintyYears(), error, e.byDirection().get(ProjectionRecipe.Direction.AXI),
                        e.byDirection().get(ProjectionRecipe.Direction.COR),
                        e.byDirection().get(ProjectionRecipe.Direction.SAG), e.correlationRatio(), e.greyMatterMl(),
                        seconds);
                absolute += Math.abs(error);
                worst = Math.max(worst, Math.abs(error));
                n++;
                if (c.name().startsWith("dicom-") && Math.abs(error) > 8) {
                    failures.add(c.name() + " off by " + error + " y (the DICOM scans must be within 8 y)");
                }
            }
        }
        double mae = absolute / n;
        System.out.printf(Locale.ROOT, "brain age on %d real scans: MAE %.1f y, worst %.1f y%n", n, mae, worst);
        // The targets are MAE <= 6 y and no subject beyond 15 y, not met yet; these guards hold
        // what is measured now against regression: the six heads MAE 9.8 y, worst 19.7 y (IXI017);
        // all ten scans MAE 8.1 y.
        if (mae > 12) {
            failures.add("MAE " + mae + " y");
        }
        if (worst > 22) {
            failures.add("worst error " + worst + " y");
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    private static List<Case> cases() throws Exception {
        List<Case> cases = new ArrayList<>();
        Path fs = DATA.resolve("nifti-ixi-t1-freesurfer-with-age");
        for (String line : Files.readAllLines(fs.resolve("ages.csv")).subList(1, 7)) {
            String[] f = line.split(",");
            cases.add(new Case(f[0], NiftiFile.read(fs.resolve(f[0] + "-T1_head.nii.gz")), Double.parseDouble(f[1]),
                    f[2].equals("M")));
        }
        if (!Boolean.getBoolean("ng.brainage.all")) {
            return cases;
        }
        Path twoMm = DATA.resolve("nifti-ixi-t1-2mm-with-age");
        for (String line : Files.readAllLines(twoMm.resolve("participants.csv")).subList(1, 3)) {
            String[] f = line.split(",");
            cases.add(new Case(f[0] + " (2 mm)", NiftiFile.read(twoMm.resolve(f[0] + "_T1.nii.gz")),
                    Double.parseDouble(f[1]), f[2].equals("M")));
        }
        for (String folder : List.of("dicom-philips-adni-mprage-t1", "dicom-siemens-xa30-enhanced")) {
            StudyInput input = StudyInput.read(DATA.resolve(folder), SeriesRoleRules.defaults());
            cases.add(new Case(folder, input.get(SeriesRole.T1).volume(), input.demographics().ageYears(),
                    "M".equals(input.demographics().sex())));
        }
        return cases;
    }
}
