package org.neurogate.inference.models;

import ai.onnxruntime.OrtException;
import org.neurogate.inference.image.VoxelBox;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.preprocess.Interpolation;
import org.neurogate.inference.preprocess.Resampler;
import org.neurogate.inference.registration.AffineTransform;
import org.neurogate.inference.volume.Volume;

/**
 * Mirror test-time augmentation for a label-map model whose manifest asks for it: the model runs once
 * on its input and once on the input reflected about the head's mid-sagittal plane; the second label
 * map goes back through the same reflection, its lateralised labels swapped, and each voxel keeps the
 * label of the pass that was surer of it (the higher softmax probability of its winning class).
 *
 * <p>Why this rule: it treats the two passes alike, so on a brain that is its own mirror image the
 * fused map is exactly mirror-symmetric (voxel v and its mirror image read the same two confidences,
 * in swapped roles), whatever side the network leans to. Where the two passes agree nothing changes.
 * Ties (equal confidence, different labels) keep the unmirrored pass. Reflecting about the
 * mid-sagittal plane rather than the grid's centre keeps the mirrored head where the original was,
 * in the same pose, so the second pass sees the head as the first did, only mirrored.
 */
public final class MirrorAugmentation {

    private MirrorAugmentation() {
    }

    /** The reflection about the plane {@code n . p = offset} (unit n): p' = p - 2 (n . p - offset) n. */
    public static AffineTransform reflection(double[] normal, double offsetMm) {
        double[] m = new double[12];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                m[r * 4 + c] = (r == c ? 1 : 0) - 2 * normal[r] * normal[c];
            }
            m[r * 4 + 3] = 2 * offsetMm * normal[r];
        }
        return new AffineTransform(m);
    }

    /**
     * The model's label map of {@code input} (already in the model's space), fused with its pass over
     * the mirrored input.
     *
     * @param first  the unmirrored pass, with its confidence
     * @param within where the unmirrored pass ran (see {@link ModelRunner#labels}); the mirrored pass
     *               runs in its mirror image
     */
    public static Segmenter.Scored fused(InferenceEngine engine, ModelPack.Model model, Volume input,
                                         double[] normal, double offsetMm, Segmenter.Scored first, VoxelBox within)
            throws OrtException {
        ModelManifest m = model.manifest();
        AffineTransform mirror = reflection(normal, offsetMm);
        Volume mirrored = Resampler.resample(input, input.blank(), mirror, Interpolation.LINEAR);
        Segmenter.Scored second = ModelRunner.labels(engine, model, mirrored, true,
                within == null ? null : within.mapped(mirror, input));
        // A reflection is its own inverse: the same map brings the second pass back.
        Volume labelsBack = Resampler.resample(second.labels(), input.blank(), mirror, Interpolation.NEAREST);
        Volume confidenceBack = Resampler.resample(input.withVoxels(second.confidence()), input.blank(), mirror,
                Interpolation.NEAREST);
        return fuse(first, labelsBack.voxels(), confidenceBack.voxels(),
                m.mirrorAugmentation().counterparts(m.labels().size()));
    }

    /**
     * Voxel by voxel, the surer of the two passes; the mirrored pass's labels are first swapped to
     * their counterparts on the other side.
     */
    static Segmenter.Scored fuse(Segmenter.Scored first, float[] mirroredLabels, float[] mirroredConfidence,
                                 int[] counterparts) {
        float[] labels = first.labels().voxels().clone();
        float[] confidence = first.confidence().clone();
        for (int v = 0; v < labels.length; v++) {
            if (mirroredConfidence[v] > confidence[v]) {
                int label = Math.round(mirroredLabels[v]);
                labels[v] = label >= 0 && label < counterparts.length ? counterparts[label] : label;
                confidence[v] = mirroredConfidence[v];
            }
        }
        return new Segmenter.Scored(first.labels().withVoxels(labels), confidence);
    }
}
