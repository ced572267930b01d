package org.neurogate.gateway.analysis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Model packs and how models run. */
@ConfigMapping(prefix = "neurogate")
public interface InferenceConfig {

    /** Extra model pack directories, a path list (':' or ','). Env: NEUROGATE_MODEL_PACKS. */
    Optional<String> modelPacks();

    Inference inference();

    interface Inference {
        /** {@code cpu} or {@code cuda}; cuda falls back to the CPU with one warning. Env: NEUROGATE_INFERENCE_DEVICE. */
        @WithDefault("cpu")
        String device();

        /** Intra-op threads per inference; 0 means all cores. Env: NEUROGATE_INFERENCE_THREADS. */
        @WithDefault("0")
        int threads();

        /** Inferences at once; more wait. Env: NEUROGATE_INFERENCE_MAX_CONCURRENT. */
        @WithDefault("1")
        int maxConcurrent();
    }
}
