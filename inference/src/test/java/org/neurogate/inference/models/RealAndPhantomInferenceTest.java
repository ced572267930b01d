package org.neurogate.inference.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.inference.dicom.SeriesVolume;
import org.neurogate.inference.dicom.VolumeAssembler;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;
import org.neurogate.inference.volume.Volume;
import org.neurogate.phantoms.AcquisitionOptions;
import org.neurogate.phantoms.PhantomStudy;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.geometry.Vec3;

/** Whole pipelines: DICOM series to volume, into model space, through a pack model, back to the native grid. */
class RealAndPhantomInferenceTest {

    private static InferenceEngine engine;

    @BeforeAll
    static void start() {
        engine = new InferenceEngine(new InferenceSettings("cpu", Runtime.getRuntime().availableProcessors(), 1));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void realPhilipsT1ThroughImportedModel18clsGivesAdultVolumes(@TempDir Path dir) throws Exception {
        Path data = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data");
        assumeTrue(Files.isDirectory(data.resolve("dicom-philips-adni-mprage-t1")), "../shared/data is absent; skipping");
        Volume t1 = series(data.resolve("dicom-philips-adni-mprage-t1"));
        MeshNetImporter.Imported imported = MeshNetImporter.importInto(
                data.resolve("models-brainchop-meshnet-tfjs/model18cls"), dir, "model18cls", "minmax");
        ModelPack.Model model = ModelPack.load(dir, engine).models().get(0);
        ModelRunner.Output out = ModelRunner.run(engine, model, t1);
        assertEquals(t1.size(), out.nativeGrid().size(), "labels on the native grid of the series");
        double hippocampi = ModelRunner.volumeMl(out.modelSpace(), 14);
        double brain = 0;
        for (int label = 1; label < imported.classes(); label++) {
            brain += ModelRunner.volumeMl(out.modelSpace(), label);
        }
        // A 41-year-old man: hippocampi 3-5 mL each, brain about 1.0-1.6 L.
        assertTrue(hippocampi > 6 && hippocampi < 10, "hippocampi " + hippocampi + " mL");
        assertTrue(brain > 1000 && brain < 1700, "brain " + brain + " mL");
    }

    @Test
    void referenceBrainMaskFindsThePhantomsIntracranialVolume(@TempDir Path dir) throws Exception {
        Path study = dir.resolve("phantom");
        Map<String, Object> truth = PhantomStudy.write(new Subject(91, 60, Subject.Sex.F, Subject.Diagnosis.CN, 7, -5, 0,
                Vec3.ZERO, 0, 0, 0), new AcquisitionOptions(AcquisitionOptions.Plane.SAGITTAL, 4, false,
                AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30), study);
        Volume t1 = series(study.resolve("dicom/01_t1"));
        ModelPack pack = ModelPack.load(ReferencePack.materialise(dir.resolve("reference")), engine);
        ModelPack.Model mask = pack.models().stream().filter(m -> m.manifest().id().equals("reference-brain-mask")).findFirst()
                .orElseThrow();
        ModelRunner.Output out = ModelRunner.run(engine, mask, t1);
        double measured = ModelRunner.volumeMl(out.nativeGrid(), 1);
        double icv = ((Number) truth.get("icv_ml")).doubleValue();
        assertTrue(Math.abs(measured - icv) / icv < 0.15, "brain mask " + measured + " mL vs ICV " + icv + " mL");
        ModelPack.Model asymmetry = pack.models().stream().filter(m -> m.manifest().id().equals("reference-lr-asymmetry"))
                .findFirst().orElseThrow();
        assertEquals(t1.size(), ModelRunner.run(engine, asymmetry, t1).nativeGrid().size());
    }

    private static Volume series(Path dir) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        SeriesVolume result = new VolumeAssembler(VolumeAssembler.Tolerances.defaults()).assemble(files).get(0);
        return assertInstanceOf(SeriesVolume.Analysable.class, result).volume();
    }
}
