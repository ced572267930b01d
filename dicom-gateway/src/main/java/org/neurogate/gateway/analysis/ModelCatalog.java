package org.neurogate.gateway.analysis;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;
import org.neurogate.gateway.ProcessConfig;
import org.neurogate.gateway.store.StorageConfig;
import org.neurogate.inference.brainage.BrainAgeModel;
import org.neurogate.inference.models.ModelPack;
import org.neurogate.inference.models.ModelRegistry;
import org.neurogate.inference.models.ReferencePack;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;

/**
 * Loads and validates every model pack when the gateway starts, so a bad pack is reported at once
 * (naming the file and the problem) rather than when the first study needs it.
 */
@ApplicationScoped
public class ModelCatalog {

    private static final Logger LOG = Logger.getLogger(ModelCatalog.class);

    private final InferenceConfig config;
    private final StorageConfig storage;
    private InferenceEngine engine;
    private volatile boolean ready;
    private volatile ModelRegistry.Loaded loaded = new ModelRegistry.Loaded(List.of(), List.of());

    private final ProcessConfig process;

    public ModelCatalog(InferenceConfig config, StorageConfig storage, ProcessConfig process) {
        this.process = process;
        this.config = config;
        this.storage = storage;
    }

    void load(@Observes StartupEvent event) throws IOException {
        if (!process.runs(ProcessConfig.Role.WORKER)) {
            return; // only workers run models: a receiver or web process holds no ONNX sessions
        }
        int threads = config.inference().threads() > 0 ? config.inference().threads()
                : Runtime.getRuntime().availableProcessors();
        engine = new InferenceEngine(new InferenceSettings(config.inference().device(), threads,
                config.inference().maxConcurrent()));
        Path dataDir = storage.dataDir().toAbsolutePath();
        Path reference = ReferencePack.materialise(dataDir.resolve("reference-pack"));
        loaded = ModelRegistry.load(ModelRegistry.packDirectories(reference, config.modelPacks().orElse(null), dataDir),
                engine);
        for (ModelPack.Model m : loaded.models()) {
            LOG.infof("Model %s %s (%s) from %s", m.manifest().id(), m.manifest().version(), m.manifest().task(), m.pack());
        }
        for (BrainAgeModel b : loaded.brainAge()) {
            LOG.infof("Model %s %s (%s, %d networks) from %s", b.manifest().id(), b.manifest().version(),
                    b.manifest().task(), b.manifest().ensemble().size(), b.directory());
        }
        for (String problem : loaded.refused()) {
            LOG.errorf("Model pack refused: %s", problem);
        }
        ready = true;
    }

    /** True once the packs are loaded; analyses wait for it (start-up observers run in no fixed order). */
    public boolean ready() {
        return ready;
    }

    void close(@Observes ShutdownEvent event) {
        if (engine != null) {
            engine.close();
        }
    }

    public ModelRegistry.Loaded loaded() {
        return loaded;
    }

    public InferenceEngine engine() {
        return engine;
    }
}
