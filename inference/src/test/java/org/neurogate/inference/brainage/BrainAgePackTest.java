package org.neurogate.inference.brainage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.inference.models.ModelPack;
import org.neurogate.inference.models.ModelRegistry;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;

/** The brain-age pack: imported as one pack of 15 networks and a template, checked at every load. */
class BrainAgePackTest {

    private static final Path PUBLISHED = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data",
            "models-brainage-2dproj-onnx");
    private static InferenceEngine engine;

    @BeforeAll
    static void start() {
        engine = new InferenceEngine(new InferenceSettings("cpu", 2, 1));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void thePublishedModelImportsAsOnePackAndTheRegistryFindsIt(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(PUBLISHED), PUBLISHED + " is absent; skipping");
        Path pack = dir.resolve("brain-age");
        BrainAgeModel model = BrainAgeImporter.importInto(PUBLISHED, null, pack, engine);
        BrainAgeManifest m = model.manifest();
        assertEquals("brain-age", m.task());
        assertEquals("mni152-1mm-affine", m.inputSpace());
        assertEquals(15, m.ensemble().size());
        assertEquals(List.of(218, 40, 140), List.of(m.recipe().size(), m.recipe().medianFrom(), m.recipe().medianTo()));
        assertEquals(ModelPack.sha256(PUBLISHED.resolve("MNI152_T1_1mm_brain.nii.gz")), m.template().sha256());
        assertEquals(182, model.template().nx());
        ModelRegistry.Loaded loaded = ModelRegistry.load(List.of(pack), engine);
        assertTrue(loaded.refused().isEmpty(), loaded.refused().toString());
        assertEquals(1, loaded.brainAge().size());
        assertEquals(15, loaded.brainAge().get(0).ensemble().members().size());
    }

    @Test
    void aChangedNetworkIsRefusedAtLoad(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(PUBLISHED), PUBLISHED + " is absent; skipping");
        Path pack = dir.resolve("brain-age");
        BrainAgeImporter.importInto(PUBLISHED, null, pack, engine);
        Path network = pack.resolve("brainage2d_cor_fold3.onnx");
        byte[] bytes = Files.readAllBytes(network);
        bytes[bytes.length - 1] ^= 1;
        Files.write(network, bytes);
        ModelPack.InvalidPackException e = assertThrows(ModelPack.InvalidPackException.class,
                () -> BrainAgeModel.load(pack, engine));
        assertTrue(e.getMessage().contains("brainage2d_cor_fold3.onnx: sha256 is"), e.getMessage());
        ModelRegistry.Loaded loaded = ModelRegistry.load(List.of(pack), engine);
        assertTrue(loaded.brainAge().isEmpty() && loaded.refused().size() == 1, loaded.refused().toString());
    }

    @Test
    void aManifestForAnotherSpaceOrWithoutItsFilesIsRefused(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(PUBLISHED), PUBLISHED + " is absent; skipping");
        Path pack = dir.resolve("brain-age");
        BrainAgeImporter.importInto(PUBLISHED, null, pack, engine);
        ObjectMapper json = new ObjectMapper();
        Path manifest = pack.resolve(BrainAgeManifest.FILE_NAME);
        ObjectNode original = (ObjectNode) json.readTree(manifest.toFile());
        ObjectNode otherSpace = original.deepCopy();
        otherSpace.put("inputSpace", "native");
        json.writeValue(manifest.toFile(), otherSpace);
        assertTrue(assertThrows(ModelPack.InvalidPackException.class, () -> BrainAgeModel.load(pack, engine))
                .getMessage().contains("inputSpace must be mni152-1mm-affine"));
        ObjectNode escaping = original.deepCopy();
        ((ObjectNode) escaping.path("template")).put("file", "../MNI152_T1_1mm_brain.nii.gz");
        json.writeValue(manifest.toFile(), escaping);
        assertTrue(assertThrows(ModelPack.InvalidPackException.class, () -> BrainAgeModel.load(pack, engine))
                .getMessage().contains("plain file name"));
        json.writeValue(manifest.toFile(), original);
        Files.delete(pack.resolve("brainage2d_sag_fold5.onnx"));
        assertTrue(assertThrows(ModelPack.InvalidPackException.class, () -> BrainAgeModel.load(pack, engine))
                .getMessage().contains("brainage2d_sag_fold5.onnx, which is absent"));
    }
}
