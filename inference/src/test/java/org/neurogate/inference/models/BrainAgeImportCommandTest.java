package org.neurogate.inference.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./neurogate models import-brainage} and {@code models list} on the published 2D-projection CNN. */
class BrainAgeImportCommandTest {

    @Test
    void theModelsCommandImportsTheBrainAgePackAndListsIt(@TempDir Path dir) {
        Path published = Path.of(System.getProperty("ng.shared.dir", "../../shared"), "data", "models-brainage-2dproj-onnx");
        assumeTrue(Files.isDirectory(published), published + " is absent; skipping");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("NEUROGATE_DATA_DIR", dir.toString());
        int rc = ModelsCli.run(new String[] {"import-brainage", published.toString()}, env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Imported brainage-2dproj ee34d93 (15 networks"),
                out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(dir.resolve("model-packs/brain-age/brain-age.json")));
        out.reset();
        rc = ModelsCli.run(new String[] {"list"}, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.startsWith("brainage-2dproj")
                && l.contains("brain-age") && l.contains("15 nets")), out.toString(StandardCharsets.UTF_8));
        assertEquals(2, ModelsCli.run(new String[] {"import-brainage", published.toString(), "--bogus", "x"}, env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    }
}
