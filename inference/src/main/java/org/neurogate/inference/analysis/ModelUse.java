package org.neurogate.inference.analysis;

import org.neurogate.inference.models.ModelPack;

/** Which model produced a result: the pack it came from, its id and its version. */
public record ModelUse(String pack, String modelId, String version) {

    public ModelUse {
        if (pack == null || pack.isBlank() || modelId == null || modelId.isBlank() || version == null || version.isBlank()) {
            throw new IllegalArgumentException("pack, model id and version are required");
        }
    }

    public static ModelUse of(ModelPack.Model model) {
        return new ModelUse(model.pack().getFileName().toString(), model.manifest().id(), model.manifest().version());
    }

    /** The algorithm of NeuroGate itself, outside any pack (geometry, thresholds, normative tables). */
    public static ModelUse builtIn(String algorithm) {
        return new ModelUse("neurogate", algorithm, org.neurogate.inference.models.ReferencePack.VERSION);
    }

    @Override
    public String toString() {
        return modelId + " " + version + " (" + pack + ")";
    }
}
