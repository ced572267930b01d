package org.neurogate.inference.models;

import ai.onnxruntime.OrtException;
import java.nio.file.Path;
import java.util.List;
import org.neurogate.inference.image.VoxelBox;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.preprocess.IntensityNormalization;
import org.neurogate.inference.volume.Volume;

/**
 * Runs a label-map model on a volume already in the model's space: normalise, optionally crop to the
 * non-zero bounding box, infer, take the arg-max class per voxel.
 */
public final class Segmenter {

    /** Intensity normalisation a model was trained with. */
    public enum Normalisation { MIN_MAX, QUANTILE_5_95, NONE }

    /**
     * Crop to the bounding box of voxels above 0 after normalisation, widened by {@code before} voxels
     * below and {@code after} above (brainchop's layout: min - 2 to max + 3, half-open). Voxels outside
     * the box get label 0. {@link #NONE} runs on the whole volume.
     */
    public record Crop(int before, int after) {
        public static final Crop NONE = new Crop(-1, -1);

        public boolean enabled() {
            return before >= 0;
        }
    }

    private Segmenter() {
    }

    public static Volume segment(InferenceEngine engine, Path model, Volume input, Normalisation normalisation,
                                 Crop crop) throws OrtException {
        return segment(engine, model, List.of(input), List.of(normalisation), crop);
    }

    /**
     * A multi-input model: each volume (all on one grid) normalised its own way and stacked as one
     * channel of the input tensor, in order; the crop box is the first channel's.
     */
    public static Volume segment(InferenceEngine engine, Path model, List<Volume> channels,
                                 List<Normalisation> normalisations, Crop crop) throws OrtException {
        return segment(engine, model, channels, normalisations, crop, false).labels();
    }

    /**
     * A label map and, per voxel, how sure the model was of it.
     *
     * @param confidence the natural log of the chosen class's softmax probability (0 = certain; voxels
     *                   outside the crop box are certain background); null when not asked for
     */
    public record Scored(Volume labels, float[] confidence) {
    }

    /** The name of the per-voxel log-probability output of a model that ends in its own arg-max. */
    public static final String CONFIDENCE_OUTPUT = "confidence";

    /**
     * As {@link #segment(InferenceEngine, Path, List, List, Crop)}, with each voxel's confidence when
     * {@code withConfidence}: from the class scores, or from the model's {@value #CONFIDENCE_OUTPUT}
     * output when it gives its arg-max only.
     */
    public static Scored segment(InferenceEngine engine, Path model, List<Volume> channels,
                                 List<Normalisation> normalisations, Crop crop, boolean withConfidence)
            throws OrtException {
        return segment(engine, model, channels, normalisations, crop, withConfidence, null);
    }

    /**
     * As above, the model run only inside {@code within} (null: the whole grid), intersected with the
     * crop box; voxels outside it are certain background.
     */
    public static Scored segment(InferenceEngine engine, Path model, List<Volume> channels,
                                 List<Normalisation> normalisations, Crop crop, boolean withConfidence,
                                 VoxelBox within) throws OrtException {
        Volume input = channels.get(0);
        for (Volume c : channels) {
            if (c.nx() != input.nx() || c.ny() != input.ny() || c.nz() != input.nz()) {
                throw new IllegalArgumentException("a model's input channels share one grid");
            }
        }
        List<Volume> normalised = new java.util.ArrayList<>();
        for (int c = 0; c < channels.size(); c++) {
            normalised.add(normalise(channels.get(c), normalisations.get(c)));
        }
        VoxelBox box = within == null ? VoxelBox.of(input) : within.intersection(VoxelBox.of(input));
        if (crop.enabled()) {
            VoxelBox nonZero = VoxelBox.above(normalised.get(0), 0);
            // brainchop's box: min - before to max + after, half-open, i.e. one less past the exclusive end.
            box = nonZero == null ? null : box.intersection(nonZero.widened(crop.before(), crop.after() - 1, input));
        }
        if (box == null || box.isEmpty()) {
            return new Scored(input.blank(), withConfidence ? new float[input.size()] : null);
        }
        int[] lo = {box.i0(), box.j0(), box.k0()};
        int[] hi = {box.i1(), box.j1(), box.k1()};
        int di = hi[0] - lo[0];
        int dj = hi[1] - lo[1];
        int dk = hi[2] - lo[2];
        int voxels = di * dj * dk;
        float[] block = new float[channels.size() * voxels];
        for (int c = 0; c < channels.size(); c++) {
            float[] source = normalised.get(c).voxels();
            for (int k = 0; k < dk; k++) {
                for (int j = 0; j < dj; j++) {
                    System.arraycopy(source, input.index(lo[0], lo[1] + j, lo[2] + k), block,
                            c * voxels + (k * dj + j) * di, di);
                }
            }
        }
        // i fastest: as a C-order tensor the block is (k, j, i), the order the importer's kernels expect.
        // The arg-max is read straight from the output tensor: a 256^3 x 18 score volume is 1.2 GB.
        float[] labels = new float[input.size()];
        float[] confidence = withConfidence ? new float[input.size()] : null;
        String inputName = engine.session(model).getInputNames().iterator().next();
        engine.runOutputs(model, java.util.Map.of(inputName, new InferenceEngine.Tensor(block,
                new long[] {1, channels.size(), dk, dj, di})), (outputs, shapes) -> {
            String first = outputs.keySet().iterator().next();
            java.nio.FloatBuffer scores = outputs.get(first);
            // One channel: the model already ends in its arg-max. Several: class scores.
            int classes = (int) shapes.get(first)[1];
            java.nio.FloatBuffer given = outputs.get(CONFIDENCE_OUTPUT);
            if (withConfidence && classes == 1 && given == null) {
                throw new IllegalArgumentException(model.getFileName() + " gives its arg-max only, with no '"
                        + CONFIDENCE_OUTPUT + "' output: mirror augmentation has nothing to fuse by (re-import it)");
            }
            for (int k = 0; k < dk; k++) {
                for (int j = 0; j < dj; j++) {
                    for (int i = 0; i < di; i++) {
                        int v = (k * dj + j) * di + i;
                        int target = input.index(lo[0] + i, lo[1] + j, lo[2] + k);
                        if (classes == 1) {
                            labels[target] = Math.round(scores.get(v));
                            if (confidence != null) {
                                confidence[target] = given.get(v);
                            }
                            continue;
                        }
                        int best = 0;
                        float bestScore = scores.get(v);
                        for (int c = 1; c < classes; c++) {
                            float score = scores.get(c * voxels + v);
                            if (score > bestScore) {
                                bestScore = score;
                                best = c;
                            }
                        }
                        labels[target] = best;
                        if (confidence != null) {
                            double sum = 0;
                            for (int c = 0; c < classes; c++) {
                                sum += Math.exp(scores.get(c * voxels + v) - bestScore);
                            }
                            confidence[target] = (float) -Math.log(sum);
                        }
                    }
                }
            }
            return null;
        });
        return new Scored(input.withVoxels(labels), confidence);
    }

    /** The intensity normalisation a model was trained with. */
    static Volume normalise(Volume input, Normalisation normalisation) {
        return switch (normalisation) {
            case MIN_MAX -> IntensityNormalization.minMax(input);
            case QUANTILE_5_95 -> IntensityNormalization.quantile(input, 0.05, 0.95);
            case NONE -> input;
        };
    }
}
