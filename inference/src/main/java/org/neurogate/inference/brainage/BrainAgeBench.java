package org.neurogate.inference.brainage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;
import org.neurogate.inference.registration.AffineRegistration;
import org.neurogate.inference.tissue.PartialVolumeTissue;
import org.neurogate.inference.volume.NiftiFile;
import org.neurogate.inference.volume.Volume;

/**
 * {@code ./neurogate bench brainage}: the brain-age stage's steps (registration, grey-matter map,
 * projections, the 15 networks) on the six 1 mm IXI heads of ../shared/data, each with its FreeSurfer
 * brain mask, so that the skull-stripping model's time (a stage of its own) stays out. The launcher
 * reports the process's peak RSS.
 */
public final class BrainAgeBench {

    private BrainAgeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        Path published = data.resolve("models-brainage-2dproj-onnx");
        Path heads = data.resolve("nifti-ixi-t1-freesurfer-with-age");
        Volume template = NiftiFile.read(published.resolve(BrainAgeImporter.TEMPLATE));
        ProjectionEnsemble ensemble = ProjectionEnsemble.inFolder(published);
        System.out.printf(Locale.ROOT, "Brain-age stage benchmark: %d cores; 1 mm IXI heads (256^3), template %dx%dx%d%n",
                Runtime.getRuntime().availableProcessors(), template.nx(), template.ny(), template.nz());
        System.out.printf(Locale.ROOT, "%-20s %12s %12s %12s %12s %10s%n", "subject", "register s", "GM map s",
                "project s", "15 nets s", "total s");
        try (InferenceEngine engine = new InferenceEngine(InferenceSettings.fromEnvironment())) {
            for (String line : Files.readAllLines(heads.resolve("ages.csv")).subList(1, 7)) {
                String subject = line.split(",")[0];
                Volume head = NiftiFile.read(heads.resolve(subject + "-T1_head.nii.gz"));
                MniBrain.SkullStripped stripped = MniBrain.SkullStripped.of(head,
                        NiftiFile.read(heads.resolve(subject + "-T1_brain.nii.gz")));
                long t0 = System.nanoTime();
                AffineRegistration.Result r = new AffineRegistration(AffineRegistration.Settings.DEFAULT)
                        .register(template, stripped.brain());
                long t1 = System.nanoTime();
                MniBrain mni = MniBrain.onTemplate(template, stripped.brain(), stripped.mask(), r.fixedToMoving(), r,
                        new PartialVolumeTissue(PartialVolumeTissue.Settings.DEFAULT));
                long t2 = System.nanoTime();
                Map<ProjectionRecipe.Direction, float[]> projections = mni.projections(ProjectionRecipe.CONTRACT);
                long t3 = System.nanoTime();
                ensemble.predict(engine, projections, true);
                long t4 = System.nanoTime();
                System.out.printf(Locale.ROOT, "%-20s %12.2f %12.2f %12.2f %12.2f %10.2f%n", subject, (t1 - t0) / 1e9,
                        (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t4 - t0) / 1e9);
            }
        }
    }

}
