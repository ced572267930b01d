package org.neurogate.inference.models;

import ai.onnxruntime.OrtException;
import java.nio.file.Path;
import java.util.List;
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
        int[] lo = {0, 0, 0};
        int[] hi = {input.nx(), input.ny(), input.nz()};
        if (crop.enabled()) {
            int[][] box = nonZeroBox(normalised.get(0));
            if (box == null) {
                return input.blank();
            }
            int[] n = {input.nx(), input.ny(), input.nz()};
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.max(box[0][a] - crop.before(), 0);
                hi[a] = Math.min(box[1][a] + crop.after(), n[a]);
            }
        }
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
        engine.run(model, block, new long[] {1, channels.size(), dk, dj, di}, (scores, shape) -> {
            // One channel: the model already ends in its arg-max. Several: class scores.
            int classes = (int) shape[1];
            for (int k = 0; k < dk; k++) {
                for (int j = 0; j < dj; j++) {
                    for (int i = 0; i < di; i++) {
                        int v = (k * dj + j) * di + i;
                        if (classes == 1) {
                            labels[input.index(lo[0] + i, lo[1] + j, lo[2] + k)] = Math.round(scores.get(v));
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
                        labels[input.index(lo[0] + i, lo[1] + j, lo[2] + k)] = best;
                    }
                }
            }
            return null;
        });
        return input.withVoxels(labels);
    }

    /** The intensity normalisation a model was trained with. */
    static Volume normalise(Volume input, Normalisation normalisation) {
        return switch (normalisation) {
            case MIN_MAX -> IntensityNormalization.minMax(input);
            case QUANTILE_5_95 -> IntensityNormalization.quantile(input, 0.05, 0.95);
            case NONE -> input;
        };
    }

    /** [min corner, max corner] (inclusive) of voxels above 0, per axis i, j, k; null when there are none. */
    static int[][] nonZeroBox(Volume v) {
        int[] min = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] max = {-1, -1, -1};
        float[] d = v.voxels();
        for (int k = 0; k < v.nz(); k++) {
            for (int j = 0; j < v.ny(); j++) {
                int row = (k * v.ny() + j) * v.nx();
                for (int i = 0; i < v.nx(); i++) {
                    if (d[row + i] > 0) {
                        min[0] = Math.min(min[0], i);
                        max[0] = Math.max(max[0], i);
                        min[1] = Math.min(min[1], j);
                        max[1] = Math.max(max[1], j);
                        min[2] = Math.min(min[2], k);
                        max[2] = Math.max(max[2], k);
                    }
                }
            }
        }
        return max[0] < 0 ? null : new int[][] {min, max};
    }
}
