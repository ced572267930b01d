package org.neurogate.inference.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.inference.models.MeshNetImporter;
import org.neurogate.inference.models.ModelManifest;
import org.neurogate.inference.models.ModelPack;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;
import org.neurogate.inference.roles.SeriesRoleRules;
import org.neurogate.phantoms.AcquisitionOptions;
import org.neurogate.phantoms.NiftiImport;
import org.neurogate.phantoms.SeriesRole;
import org.neurogate.phantoms.anatomy.Subject;
import org.neurogate.phantoms.geometry.Vec3;

/** The analyses on the real scans in ../shared/data (skipped where that folder is absent). */
class RealDataAnalysisTest {

    private static final Path DATA = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data");
    private static InferenceEngine engine;

    @BeforeAll
    static void start() {
        engine = new InferenceEngine(new InferenceSettings("cpu", Runtime.getRuntime().availableProcessors(), 1));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static StudyAnalyzer referenceOnly(Path dir) throws Exception {
        return AnalysisCli.analyzer(engine, Map.of("NEUROGATE_DATA_DIR", dir.resolve("none").toString()), System.err);
    }

    @Test
    void healthyVolunteersScannerAdcHasNoIschaemicCore(@TempDir Path dir) throws Exception {
        Path study = DATA.resolve("dicom-siemens-xa30-enhanced");
        assumeTrue(Files.isDirectory(study), "../shared/data is absent; skipping");
        Findings f = referenceOnly(dir).analyze(StudyInput.read(study, SeriesRoleRules.defaults())).findings();
        assertNotNull(f.lesion(), "diffusion analysed: " + f.notAssessed());
        assertEquals(0, f.lesion().coreVolumeMl(), "ischaemic core on a healthy volunteer");
        assertEquals(0, f.lesion().count());
        // Its trace is b=2500; the analysis says it worked on a computed b=1000 image.
        assertTrue(f.qcNotes().stream().anyMatch(n -> n.contains("b=2500")), f.qcNotes().toString());
        // The reference pack's mask does not fit this real T1: the T1 analyses say so, with no numbers.
        assertTrue(f.mci() == null && f.notAssessed().stream().anyMatch(n -> n.contains("intracranial mask failed QC")),
                f.notAssessed().toString());
    }

    @Test
    void islesStrokeCaseConvertedToDicomYieldsALesion(@TempDir Path dir) throws Exception {
        Path isles = DATA.resolve("nifti-isles22-case0001-dwi-adc");
        assumeTrue(Files.isDirectory(isles), "../shared/data is absent; skipping");
        Subject subject = new Subject(5, 65, Subject.Sex.M, Subject.Diagnosis.CN, 0, 0, 0, Vec3.ZERO, 0, 0, 0);
        AcquisitionOptions acquisition = new AcquisitionOptions(AcquisitionOptions.Plane.AXIAL, 0, false,
                AcquisitionOptions.EXPLICIT_LITTLE_ENDIAN, 30);
        Path study = dir.resolve("isles");
        NiftiImport.write(isles.resolve("sub-strokecase0001_ses-0001_dwi.nii.gz"), SeriesRole.DWI, null, subject,
                acquisition, study);
        NiftiImport.write(isles.resolve("sub-strokecase0001_ses-0001_adc.nii.gz"), SeriesRole.ADC, null, subject,
                acquisition, study);
        Findings f = referenceOnly(dir).analyze(StudyInput.read(study, SeriesRoleRules.defaults())).findings();
        assertNotNull(f.lesion(), f.notAssessed().toString());
        assertTrue(f.lesion().count() >= 1 && f.lesion().totalVolumeMl() > 0.5, "lesion " + f.lesion());
        assertTrue(f.lesion().coreVolumeMl() > 0, "restricted core " + f.lesion());
        assertTrue(f.notAssessed().contains("midline symmetry not assessed: no T1 series"), f.notAssessed().toString());
    }

    @Test
    void realT1WithTheImportedMeshNetPack(@TempDir Path dir) throws Exception {
        Path t1 = DATA.resolve("dicom-philips-adni-mprage-t1");
        assumeTrue(Files.isDirectory(t1), "../shared/data is absent; skipping");
        Path pack = dir.resolve("meshnet");
        for (String model : List.of("mindgrab", "model18cls")) {
            MeshNetImporter.Imported imported = MeshNetImporter.convert(DATA.resolve("models-brainchop-meshnet-tfjs/" + model));
            List<ModelManifest.Label> labels = new java.util.ArrayList<>();
            for (int i = 0; i < imported.classes(); i++) {
                labels.add(new ModelManifest.Label(i, imported.labels().get(i), "99NEUROGATE", model + "-" + i));
            }
            ModelPack.write(pack, model, imported.onnx(), new ModelManifest(model, "imported-1", "segmentation",
                    List.of("T1"), "conformed-256-1mm-LIA", "minmax", "nonzero-box-2-3", "label-map", labels, null, "MIT",
                    "research", "test", null));
        }
        StudyAnalyzer analyzer = AnalysisCli.analyzer(engine, Map.of("NEUROGATE_MODEL_PACKS", pack.toString(),
                "NEUROGATE_DATA_DIR", dir.resolve("none").toString()), System.err);
        Findings f = analyzer.analyze(StudyInput.read(t1, SeriesRoleRules.defaults())).findings();
        Findings.Mci m = f.mci();
        assertNotNull(m, f.notAssessed().toString());
        assertEquals("model18cls", m.hippocampusModel().modelId());
        // A 41-year-old man.
        assertTrue(m.icvMl() > 1200 && m.icvMl() < 1900, "ICV " + m.icvMl() + " mL");
        assertTrue(m.hippocampusLeftMl() > 3 && m.hippocampusLeftMl() < 6, "left hippocampus " + m.hippocampusLeftMl());
        assertTrue(m.hippocampusRightMl() > 3 && m.hippocampusRightMl() < 6, "right hippocampus " + m.hippocampusRightMl());
        assertTrue(f.midline() != null && f.midline().shiftMm() != null && f.midline().shiftMm() < 2,
                "a healthy midline: " + f.midline());
        System.out.println("real T1 with mindgrab + model18cls: " + m + "; brain age " + f.brainAge());
    }
}
