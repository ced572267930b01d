package org.neurogate.inference.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.neurogate.inference.brainage.BrainAgeModel;
import org.neurogate.inference.onnx.InferenceEngine;

/**
 * Every model pack a NeuroGate process uses: the reference pack, the packs named in
 * NEUROGATE_MODEL_PACKS (a path list), and the packs under {@code <data dir>/model-packs}.
 */
public final class ModelRegistry {

    /** The packs that loaded and, for each one refused, why. */
    public record Loaded(List<ModelPack> packs, List<BrainAgeModel> brainAge, List<String> refused) {

        public Loaded(List<ModelPack> packs, List<String> refused) {
            this(packs, List.of(), refused);
        }

        public Optional<ModelPack.Model> find(String id) {
            return packs.stream().flatMap(p -> p.models().stream()).filter(m -> m.manifest().id().equals(id)).findFirst();
        }

        public List<ModelPack.Model> models() {
            return packs.stream().flatMap(p -> p.models().stream()).toList();
        }
    }

    private ModelRegistry() {
    }

    public static List<Path> packDirectories(Path referencePack, String configuredPacks, Path dataDir) throws IOException {
        List<Path> dirs = new ArrayList<>();
        dirs.add(referencePack);
        if (configuredPacks != null) {
            for (String p : configuredPacks.split("[:,]")) {
                if (!p.isBlank()) {
                    dirs.add(Path.of(p.trim()));
                }
            }
        }
        Path installed = dataDir.resolve("model-packs");
        if (Files.isDirectory(installed)) {
            try (Stream<Path> s = Files.list(installed)) {
                s.filter(Files::isDirectory).sorted().forEach(dirs::add);
            }
        }
        return dirs;
    }

    public static Loaded load(List<Path> directories, InferenceEngine engine) {
        List<ModelPack> packs = new ArrayList<>();
        List<BrainAgeModel> brainAge = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Path dir : directories) {
            try {
                if (BrainAgeModel.isPack(dir)) {
                    brainAge.add(BrainAgeModel.load(dir, engine));
                    continue;
                }
                packs.add(ModelPack.load(dir, engine));
            } catch (ModelPack.InvalidPackException e) {
                refused.add(e.getMessage());
            }
        }
        return new Loaded(packs, brainAge, refused);
    }
}
