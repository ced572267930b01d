package org.neurogate.inference.analysis;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.neurogate.inference.models.ModelRegistry;
import org.neurogate.inference.models.ReferencePack;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;
import org.neurogate.inference.roles.SeriesRoleRules;
import org.neurogate.inference.volume.NiftiFile;

/**
 * {@code ./neurogate analyze DIR --out OUT} and {@code ./neurogate evaluate --cohort DIR}: the
 * analyses offline, with no server and no database.
 */
public final class AnalysisCli {

    static final String USAGE = """
            usage: ./neurogate analyze <DICOM dir> --out <dir> [--timings]
                   ./neurogate evaluate --cohort <phantom cohort dir> [--fit-brain-age <file.json>]
            Model packs: the reference pack, plus those in NEUROGATE_MODEL_PACKS (comma list of directories)
            and <NEUROGATE_DATA_DIR>/model-packs.""";

    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private AnalysisCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        try (InferenceEngine engine = new InferenceEngine(InferenceSettings.fromEnvironment())) {
            StudyAnalyzer analyzer = analyzer(engine, env, err);
            if (args[0].equals("analyze") && args.length >= 4 && args[2].equals("--out")) {
                boolean timings = args.length == 5 && args[4].equals("--timings");
                Findings f = analyze(analyzer, Path.of(args[1]), Path.of(args[3]), out, timings);
                out.println("findings: " + Path.of(args[3]).resolve("findings.json"));
                f.notAssessed().forEach(reason -> out.println("not assessed: " + reason));
                return 0;
            }
            if (args[0].equals("evaluate") && args.length >= 3 && args[1].equals("--cohort")) {
                Path fit = args.length == 5 && args[3].equals("--fit-brain-age") ? Path.of(args[4]) : null;
                return CohortEvaluation.run(analyzer, Path.of(args[2]), fit, out) ? 0 : 1;
            }
            err.println(USAGE);
            return 2;
        } catch (IOException | OrtException | RuntimeException e) {
            err.println(args[0] + ": " + e.getMessage());
            return 1;
        }
    }

    static StudyAnalyzer analyzer(InferenceEngine engine, Map<String, String> env, PrintStream err) throws IOException {
        Path reference = ReferencePack.materialise(Files.createTempDirectory("neurogate").resolve("reference-pack"));
        Path dataDir = Path.of(env.getOrDefault("NEUROGATE_DATA_DIR", "data"));
        ModelRegistry.Loaded loaded = ModelRegistry.load(
                ModelRegistry.packDirectories(reference, env.get("NEUROGATE_MODEL_PACKS"), dataDir), engine);
        loaded.refused().forEach(problem -> err.println("model pack refused: " + problem));
        return new StudyAnalyzer(engine, loaded.packs(), loaded.brainAge());
    }

    /** Analyses the DICOM files under {@code dicom}; writes findings.json and the label maps under {@code out}. */
    static Findings analyze(StudyAnalyzer analyzer, Path dicom, Path out, PrintStream log) throws IOException, OrtException {
        return analyze(analyzer, dicom, out, log, false);
    }

    /** @param timings print each stage's wall time (the benchmark reads these lines) */
    static Findings analyze(StudyAnalyzer analyzer, Path dicom, Path out, PrintStream log, boolean timings)
            throws IOException, OrtException {
        long start = System.nanoTime();
        StudyInput input = StudyInput.read(dicom, SeriesRoleRules.defaults());
        double reading = (System.nanoTime() - start) / 1e9;
        StudyAnalyzer.StudyAnalysis analysis = analyzer.analyze(input);
        if (timings) {
            log.printf(java.util.Locale.ROOT, "stage %-42s %7.2f s%n", "read DICOM and assemble volumes", reading);
            analysis.secondsByStage().forEach((stage, s) -> log.printf(java.util.Locale.ROOT, "stage %-42s %7.2f s%n", stage, s));
            log.printf(java.util.Locale.ROOT, "stage %-42s %7.2f s%n", "whole study",
                    (System.nanoTime() - start) / 1e9);
        }
        Files.createDirectories(out);
        ObjectNode json = JSON.valueToTree(analysis.findings());
        json.set("measurements", JSON.valueToTree(analysis.findings().measurements()));
        JSON.writeValue(out.resolve("findings.json").toFile(), json);
        for (Map.Entry<String, StudyAnalyzer.LabelMap> map : analysis.labelMaps().entrySet()) {
            NiftiFile.write(map.getValue().labels(), out.resolve(map.getKey() + ".nii.gz"), true);
        }
        return analysis.findings();
    }

    static JsonNode readJson(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }
}
