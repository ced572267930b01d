package org.neurogate.inference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.neurogate.inference.dicom.SeriesVolume;
import org.neurogate.inference.dicom.VolumeAssembler;
import org.neurogate.inference.models.MeshNetImporter;
import org.neurogate.inference.models.ModelPack;
import org.neurogate.inference.models.ModelRunner;
import org.neurogate.inference.models.ReferencePack;
import org.neurogate.inference.models.Segmenter;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;
import org.neurogate.inference.preprocess.Conform;
import org.neurogate.inference.preprocess.Interpolation;
import org.neurogate.inference.volume.Volume;

/**
 * {@code ./neurogate bench inference}: wall time and peak resident memory of each step, on the real
 * 170-slice T1 and the brainchop MeshNet models in ../shared/data. ONNX Runtime keeps its memory arena
 * for the life of a session, so each model is measured in its own process ({@code InferenceBench
 * <data> <step>}); without a step, the launcher's loop is printed here.
 */
public final class InferenceBench {

    private InferenceBench() {
    }

    static final List<String> STEPS = List.of("volume", "model5_gw_ae", "model18cls", "model21_104class", "mindgrab",
            "reference");

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        String only = args.length > 1 ? args[1] : null;
        InferenceSettings settings = InferenceSettings.fromEnvironment();
        if (only == null || only.equals("volume")) {
            System.out.printf(Locale.ROOT, "Inference benchmark: %s, %d intra-op thread(s), %d cores%n", settings.device(),
                    settings.threads(), Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "%-48s %10s %14s%n", "step (own process from the MeshNet rows on)", "wall s",
                    "peak RSS MB");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(data.resolve("dicom-philips-adni-mprage-t1"))) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        long t = System.nanoTime();
        Volume t1 = ((SeriesVolume.Analysable) new VolumeAssembler(VolumeAssembler.Tolerances.defaults())
                .assemble(files).get(0)).volume();
        boolean volumeStep = only == null || only.equals("volume");
        if (volumeStep) {
            report("series -> Volume (170 files, 256x256x170)", t);
        }
        t = System.nanoTime();
        Volume conformed = Conform.conform(t1, 256, 1.0, Interpolation.LINEAR);
        if (volumeStep) {
            report("conform to 256^3 1 mm LIA (trilinear)", t);
        }
        Path work = Files.createTempDirectory("neurogate-bench");
        try (InferenceEngine engine = new InferenceEngine(settings)) {
            for (String model : List.of("model5_gw_ae", "model18cls", "model21_104class", "mindgrab")) {
                Path dir = data.resolve("models-brainchop-meshnet-tfjs").resolve(model);
                if (!Files.isDirectory(dir) || (only != null && !only.equals(model))) {
                    continue;
                }
                Path onnx = work.resolve(model + ".onnx");
                Files.write(onnx, MeshNetImporter.convert(dir).onnx());
                t = System.nanoTime();
                Segmenter.segment(engine, onnx, conformed, Segmenter.Normalisation.MIN_MAX, Segmenter.Crop.NONE);
                report("MeshNet " + model + " on 256^3 (incl. session)", t);
            }
            if (only != null && !only.equals("reference")) {
                return;
            }
            ModelPack pack = ModelPack.load(ReferencePack.materialise(work.resolve("reference")), engine);
            for (ModelPack.Model m : pack.models()) {
                t = System.nanoTime();
                ModelRunner.run(engine, m, t1);
                report(m.manifest().id() + " (conform, infer, to native)", t);
            }
        }
    }

    private static void report(String step, long startNanos) throws Exception {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long peakKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                peakKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        System.out.printf(Locale.ROOT, "%-48s %10.2f %14d%n", step, seconds, peakKb / 1024);
    }
}
