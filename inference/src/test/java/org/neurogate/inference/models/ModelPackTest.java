package org.neurogate.inference.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;

/** Packs are validated before use; each kind of bad pack is refused with the file and the problem. */
class ModelPackTest {

    private static InferenceEngine engine;

    @BeforeAll
    static void start() {
        engine = new InferenceEngine(new InferenceSettings("cpu", 1, 1));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void theReferencePackBuiltByTheProjectValidates(@TempDir Path dir) throws Exception {
        ModelPack pack = ModelPack.load(ReferencePack.materialise(dir), engine);
        assertEquals(List.of("reference-brain-age", "reference-brain-mask", "reference-lr-asymmetry", "reference-tissue"),
                pack.models().stream().map(m -> m.manifest().id()).toList());
    }

    @Test
    void aChangedModelFileIsRefusedByItsChecksum(@TempDir Path dir) throws Exception {
        ReferencePack.materialise(dir);
        Path onnx = dir.resolve("reference-tissue.onnx");
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[bytes.length - 1] ^= 1;
        Files.write(onnx, bytes);
        ModelPack.InvalidPackException e = assertThrows(ModelPack.InvalidPackException.class, () -> ModelPack.load(dir, engine));
        assertTrue(e.getMessage().contains("reference-tissue.onnx") && e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void manifestProblemsAreNamed(@TempDir Path dir) throws Exception {
        ReferencePack.materialise(dir);
        Path manifest = dir.resolve("reference-brain-mask.json");
        String json = Files.readString(manifest);
        Files.writeString(manifest, json.replace("\"licence\"", "\"licenceX\""));
        assertThrows(ModelPack.InvalidPackException.class, () -> ModelPack.load(dir, engine));
        Files.writeString(manifest, json.replaceFirst("\"intended_use\" : \"[^\"]*\"", "\"intended_use\" : \"\""));
        ModelPack.InvalidPackException missing = assertThrows(ModelPack.InvalidPackException.class, () -> ModelPack.load(dir, engine));
        assertTrue(missing.getMessage().contains("reference-brain-mask.json") && missing.getMessage().contains("intended_use"),
                missing.getMessage());
    }

    @Test
    void aLabelTableThatDoesNotFitTheOutputIsRefused(@TempDir Path dir) throws Exception {
        ReferencePack.materialise(dir);
        Path manifest = dir.resolve("reference-brain-mask.json");
        String json = Files.readString(manifest);
        // Drop the second label: two output channels, one label.
        String shortened = json.replaceFirst(",\\s*\\{\\s*\"value\" : 1[^}]*}", "");
        Files.writeString(manifest, shortened);
        ModelPack.InvalidPackException e = assertThrows(ModelPack.InvalidPackException.class, () -> ModelPack.load(dir, engine));
        assertTrue(e.getMessage().contains("channel"), e.getMessage());
        Files.delete(manifest);
        ModelPack.InvalidPackException none = assertThrows(ModelPack.InvalidPackException.class, () -> ModelPack.load(dir, engine));
        assertTrue(none.getMessage().contains("no manifest"), none.getMessage());
    }

    @Test
    void anyOnnxModelCanBeImportedWithAManifest(@TempDir Path dir) throws Exception {
        org.neurogate.inference.onnx.OnnxGraph g = new org.neurogate.inference.onnx.OnnxGraph("site-map")
                .input("x", 1, 1, -1, -1, -1).output("y", 1, 1, -1, -1, -1);
        g.node("Abs", List.of("x"), "y");
        Path onnx = dir.resolve("site-map.onnx");
        Files.write(onnx, g.toBytes());
        Path manifest = dir.resolve("site-map.json");
        Files.writeString(manifest, """
                {"id": "site-map", "version": "1.0", "task": "intensity-map", "inputRoles": ["T1"],
                 "targetSpace": "native", "normalisation": "none", "crop": "none", "outputKind": "map",
                 "licence": "site internal", "intended_use": "research"}""");
        Map<String, String> env = Map.of("NEUROGATE_DATA_DIR", dir.resolve("data").toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, ModelsCli.run(new String[] {"import-onnx", onnx.toString(), "--manifest", manifest.toString()},
                env, new PrintStream(out), System.err), out.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream listing = new ByteArrayOutputStream();
        assertEquals(0, ModelsCli.run(new String[] {"list"}, env, new PrintStream(listing), System.err));
        assertTrue(listing.toString(StandardCharsets.UTF_8).contains("site-map"));
        // A manifest whose checksum does not match the file is refused.
        Files.writeString(manifest, Files.readString(manifest).replace("\"intended_use\"",
                "\"sha256\": \"" + "0".repeat(64) + "\", \"intended_use\""));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(1, ModelsCli.run(new String[] {"import-onnx", onnx.toString(), "--manifest", manifest.toString()},
                env, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("sha256"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void importedMeshNetPackIsListedBesideTheReferencePack(@TempDir Path dir) throws Exception {
        Path tfjs = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data", "models-brainchop-meshnet-tfjs",
                "model18cls");
        assumeTrue(Files.isDirectory(tfjs), "../shared/data is absent; skipping");
        Path data = dir.resolve("data");
        Map<String, String> env = Map.of("NEUROGATE_DATA_DIR", data.toString(), "NEUROGATE_INFERENCE_THREADS", "1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int imported = ModelsCli.run(new String[] {"import-meshnet", tfjs.toString(), "--out",
            data.resolve("model-packs/brainchop").toString()}, env, new PrintStream(out), System.err);
        assertEquals(0, imported, out.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream listing = new ByteArrayOutputStream();
        assertEquals(0, ModelsCli.run(new String[] {"list"}, env, new PrintStream(listing), System.err));
        String text = listing.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("reference-tissue") && text.contains("model18cls"), text);
        assertTrue(text.contains("18"), text);
        assertEquals(2, ModelsCli.run(new String[] {"import-meshnet", tfjs.toString()}, env,
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
    }
}
