package org.neurogate.inference.models;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;

/**
 * {@code ./neurogate models list | import-meshnet <dir> --out <pack> | import-onnx <file> --manifest <json>
 * | import-brainage <dir>}.
 */
public final class ModelsCli {

    static final String USAGE = """
            usage: ./neurogate models list
                   ./neurogate models import-meshnet <tfjs model dir> --out <pack dir> [--id ID]
                                                     [--normalisation minmax|quantile-5-95]
                   ./neurogate models import-onnx <model.onnx> --manifest <manifest.json> [--out <pack dir>]
                   ./neurogate models import-brainage <model folder> [--manifest <brain-age.json>] [--out <pack dir>]""";

    private ModelsCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** @param env NEUROGATE_DATA_DIR, NEUROGATE_MODEL_PACKS and the inference settings */
    static int run(String[] args, java.util.Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        Path dataDir = Path.of(env.getOrDefault("NEUROGATE_DATA_DIR", "data"));
        try (InferenceEngine engine = new InferenceEngine(InferenceSettings.fromEnvironment())) {
            return switch (args[0]) {
                case "list" -> list(engine, dataDir, env.get("NEUROGATE_MODEL_PACKS"), out, err);
                case "import-meshnet" -> importMeshNet(args, engine, dataDir, out, err);
                case "import-onnx" -> importOnnx(args, engine, dataDir, out, err);
                case "import-brainage" -> importBrainAge(args, engine, dataDir, out, err);
                default -> {
                    err.println("models: unknown command " + args[0]);
                    err.println(USAGE);
                    yield 2;
                }
            };
        } catch (IOException e) {
            err.println("models: " + e.getMessage());
            return 1;
        }
    }

    private static int list(InferenceEngine engine, Path dataDir, String configuredPacks, PrintStream out, PrintStream err)
            throws IOException {
        Path reference = ReferencePack.materialise(Files.createTempDirectory("neurogate-reference-pack"));
        ModelRegistry.Loaded loaded = ModelRegistry.load(
                ModelRegistry.packDirectories(reference, configuredPacks, dataDir), engine);
        out.printf(Locale.ROOT, "%-28s %-8s %-22s %-10s %-8s %s%n", "MODEL", "VERSION", "TASK", "OUTPUT", "CLASSES", "SOURCE");
        for (ModelPack pack : loaded.packs()) {
            for (ModelPack.Model m : pack.models()) {
                ModelManifest mf = m.manifest();
                String source = pack.directory().equals(reference) ? "reference pack (built by NeuroGate)"
                        : pack.directory().toString();
                out.printf(Locale.ROOT, "%-28s %-8s %-22s %-10s %-8s %s%n", mf.id(), mf.version(), mf.task(), mf.outputKind(),
                        mf.labels() == null ? "-" : Integer.toString(mf.labels().size()), source);
            }
        }
        for (org.neurogate.inference.brainage.BrainAgeModel b : loaded.brainAge()) {
            out.printf(Locale.ROOT, "%-28s %-8s %-22s %-10s %-8s %s%n", b.manifest().id(), b.manifest().version(),
                    b.manifest().task(), "age", b.manifest().ensemble().size() + " nets", b.directory());
        }
        for (String problem : loaded.refused()) {
            err.println("refused: " + problem);
        }
        return loaded.refused().isEmpty() ? 0 : 1;
    }

    private static int importMeshNet(String[] args, InferenceEngine engine, Path dataDir, PrintStream out, PrintStream err)
            throws IOException {
        if (args.length < 2) {
            err.println(USAGE);
            return 2;
        }
        Path source = Path.of(args[1]);
        Path pack = null;
        String id = source.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        String normalisation = "minmax";
        for (int i = 2; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                err.println("models: " + args[i] + " needs a value");
                return 2;
            }
            switch (args[i]) {
                case "--out" -> pack = Path.of(value);
                case "--id" -> id = value;
                case "--normalisation" -> normalisation = value;
                default -> {
                    err.println("models: unknown option " + args[i]);
                    return 2;
                }
            }
        }
        if (pack == null) {
            err.println("models: import-meshnet needs --out <pack dir>");
            return 2;
        }
        MeshNetImporter.Imported imported;
        try {
            imported = MeshNetImporter.importInto(source, pack, id, normalisation);
            ModelPack.load(pack, engine);
        } catch (ModelPack.InvalidPackException e) {
            err.println("models: the imported model does not validate: " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "Imported %s (%d classes, %d parameters) into %s%n", id, imported.classes(),
                imported.parameters(), pack);
        return 0;
    }

    private static int importOnnx(String[] args, InferenceEngine engine, Path dataDir, PrintStream out, PrintStream err)
            throws IOException {
        if (args.length < 4 || !"--manifest".equals(args[2])) {
            err.println(USAGE);
            return 2;
        }
        Path onnx = Path.of(args[1]);
        Path manifestFile = Path.of(args[3]);
        Path pack = args.length >= 6 && "--out".equals(args[4]) ? Path.of(args[5]) : dataDir.resolve("model-packs/imported");
        ModelManifest manifest = ModelPack.JSON.readValue(manifestFile.toFile(), ModelManifest.class);
        try {
            String actual = ModelPack.sha256(onnx);
            if (manifest.sha256() != null && !manifest.sha256().equals(actual)) {
                err.println("models: " + onnx + " has sha256 " + actual + ", " + manifestFile + " says " + manifest.sha256());
                return 1;
            }
            if (manifest.id() == null) {
                err.println("models: " + manifestFile + ": id is required");
                return 1;
            }
            ModelPack.write(pack, manifest.id(), Files.readAllBytes(onnx), manifest);
            ModelPack.load(pack, engine);
        } catch (ModelPack.InvalidPackException e) {
            err.println("models: refused: " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "Imported %s into %s%n", manifest.id(), pack);
        return 0;
    }

    private static int importBrainAge(String[] args, InferenceEngine engine, Path dataDir, PrintStream out,
                                      PrintStream err) throws IOException {
        if (args.length < 2 || args.length % 2 != 0) {
            err.println(USAGE);
            return 2;
        }
        Path source = Path.of(args[1]);
        Path manifest = null;
        Path pack = dataDir.resolve("model-packs/brain-age");
        for (int i = 2; i < args.length; i += 2) {
            switch (args[i]) {
                case "--manifest" -> manifest = Path.of(args[i + 1]);
                case "--out" -> pack = Path.of(args[i + 1]);
                default -> {
                    err.println("models: unknown option " + args[i]);
                    return 2;
                }
            }
        }
        try {
            org.neurogate.inference.brainage.BrainAgeModel model =
                    org.neurogate.inference.brainage.BrainAgeImporter.importInto(source, manifest, pack, engine);
            out.printf(Locale.ROOT, "Imported %s %s (%d networks and the template) into %s%n", model.manifest().id(),
                    model.manifest().version(), model.manifest().ensemble().size(), pack);
            return 0;
        } catch (ModelPack.InvalidPackException e) {
            err.println("models: refused: " + e.getMessage());
            return 1;
        }
    }
}
