package org.neurogate.inference.models;

import ai.onnxruntime.OrtException;
import org.neurogate.inference.image.VoxelBox;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.preprocess.Conform;
import org.neurogate.inference.preprocess.Interpolation;
import org.neurogate.inference.volume.Volume;

/**
 * Runs a pack model on a series volume as its manifest says: into the model's space, normalised,
 * inferred, and the output mapped back onto the native grid of the source series (labels by nearest
 * neighbour, maps linearly), so it lines up with the images a radiologist sees.
 */
public final class ModelRunner {

    /** The model's output in its own space and on the source series' grid. */
    public record Output(Volume modelSpace, Volume nativeGrid) {
    }

    private ModelRunner() {
    }

    public static Output run(InferenceEngine engine, ModelPack.Model model, Volume series) throws OrtException {
        ModelManifest m = model.manifest();
        Volume input = "conformed-256-1mm-LIA".equals(m.targetSpace())
                ? Conform.conform(series, 256, 1.0, Interpolation.LINEAR) : series;
        Volume output;
        if ("label-map".equals(m.outputKind())) {
            output = labels(engine, model, input, false, null).labels();
        } else {
            Volume normalised = Segmenter.normalise(input, m.segmenterNormalisation());
            InferenceEngine.Tensor map = engine.run(model.onnx(), normalised.voxels(),
                    new long[] {1, 1, input.nz(), input.ny(), input.nx()});
            output = input.withVoxels(map.values());
        }
        Volume nativeGrid = input == series ? output
                : Conform.toNative(output, series.blank(), "label-map".equals(m.outputKind())
                        ? Interpolation.NEAREST : Interpolation.LINEAR);
        return new Output(output, nativeGrid);
    }

    /**
     * A label-map model's labels of an input already in its space, with each voxel's confidence when
     * {@code withConfidence} (for {@link MirrorAugmentation}).
     *
     * @param within where the model runs when its manifest crops to the non-zero box (a box around the
     *               brain, so the network skips the skull, the neck and the empty field of view); null:
     *               the non-zero box alone. Ignored for a model that runs on its whole input.
     */
    public static Segmenter.Scored labels(InferenceEngine engine, ModelPack.Model model, Volume modelSpaceInput,
                                          boolean withConfidence, VoxelBox within) throws OrtException {
        ModelManifest m = model.manifest();
        Segmenter.Crop crop = m.segmenterCrop();
        return Segmenter.segment(engine, model.onnx(), java.util.List.of(modelSpaceInput), m.channelNormalisations(),
                crop, withConfidence, crop.enabled() ? within : null);
    }

    /** Volume in mL of the voxels whose label is one of {@code labels}. */
    public static double volumeMl(Volume labelMap, int... labels) {
        long count = 0;
        for (float v : labelMap.voxels()) {
            int label = Math.round(v);
            for (int l : labels) {
                if (label == l) {
                    count++;
                    break;
                }
            }
        }
        return count * labelMap.voxelVolumeMm3() / 1000;
    }
}
