package org.neurogate.inference.volumetry;

import ai.onnxruntime.OrtException;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.neurogate.inference.analysis.ModelUse;
import org.neurogate.inference.image.VoxelBox;
import org.neurogate.inference.midline.MidSagittalPlane;
import org.neurogate.inference.models.MirrorAugmentation;
import org.neurogate.inference.models.ModelManifest;
import org.neurogate.inference.models.ModelPack;
import org.neurogate.inference.models.ModelRunner;
import org.neurogate.inference.models.Segmenter;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.preprocess.Conform;
import org.neurogate.inference.preprocess.Interpolation;
import org.neurogate.inference.tissue.IntensityClusters;
import org.neurogate.inference.volume.Volume;

/**
 * Intracranial mask and CSF / grey / white matter of a T1 series, in the conformed 1 mm space.
 *
 * <p>The mask model finds the intracranial cavity. The three tissue intensities are then measured on
 * this scan (k-means on the intracranial voxels), because T1 contrast and scaling differ between
 * scanners, sequences and sites; the T1 is mapped piecewise linearly onto a tissue-anchored scale
 * (CSF 0, grey 1, white 2) and the tissue model classifies on that scale.
 *
 * @param conformedT1 the T1 resampled to 256^3 1 mm LIA
 * @param labels      on the conformed grid: 0 outside the intracranial mask, then {@link #CSF},
 *                    {@link #GREY}, {@link #WHITE}
 * @param centres     the measured CSF, grey and white matter intensities (scanner units)
 * @param brainMask   on the conformed grid, the skull-stripping model's own mask (1 brain, 0 not), or
 *                    null where the structure labels' union stood in for one
 */
public record BrainTissue(Volume conformedT1, Volume labels, double[] centres, ModelUse mask, ModelUse tissue,
                          Volume brainMask) {

    public static final int CSF = 1;
    public static final int GREY = 2;
    public static final int WHITE = 3;
    /** Only from a structure model: ventricles (CSF) and hippocampus (grey matter) as their own labels. */
    public static final int VENTRICLES = 4;
    public static final int HIPPOCAMPUS = 5;

    private static final Pattern VENTRICLE_NAME = Pattern.compile("(?i).*ventricle.*");
    private static final Pattern HIPPOCAMPUS_NAME = Pattern.compile("(?i)^(left-|right-)?hippocampus$");
    private static final Pattern WHITE_NAME = Pattern.compile("(?i).*(white-matter|brain-stem|wm-hypointensities|corpus.?callosum).*");
    private static final Pattern GREY_NAME = Pattern.compile(
            "(?i).*(cortex|ctx-|thalamus|caudate|putamen|pallidum|amygdala|accumbens|ventraldc).*");

    public BrainTissue {
        centres = centres.clone();
    }

    @Override
    public double[] centres() {
        return centres.clone();
    }

    /**
     * Tissue from an imported whole-brain structure model (MeshNet model18cls, the 104-class model):
     * its labels grouped by name into grey matter (cortex, deep grey nuclei), white matter (cerebral
     * and cerebellar white matter, brain stem), ventricles and hippocampus; dark unlabelled voxels
     * inside the brain mask are sulcal CSF.
     *
     * @param maskModel a brain-mask model (mindgrab), or null to take the structure labels' union
     */
    public static BrainTissue fromStructureModel(InferenceEngine engine, Volume t1, ModelPack.Model maskModel,
                                                 ModelPack.Model structureModel) throws OrtException {
        Volume conformed = Conform.conform(t1, 256, 1.0, Interpolation.LINEAR);
        boolean mirrorStructures = structureModel.manifest().mirrorAugmentation() != null;
        boolean mirrorMask = maskModel != null && maskModel.manifest().mirrorAugmentation() != null;
        // The structure model runs inside the brain the skull-stripper found, not over the whole head.
        Segmenter.Scored mask = maskModel == null ? null : ModelRunner.labels(engine, maskModel, conformed, mirrorMask, null);
        VoxelBox brain = mask == null ? null : brainBox(mask.labels());
        Segmenter.Scored structures = ModelRunner.labels(engine, structureModel, conformed, mirrorStructures, brain);
        BrainTissue single = fromLabels(conformed, structures.labels(), mask, maskModel, structureModel);
        if (!mirrorStructures && !mirrorMask) {
            return single;
        }
        // The mirror is the head's own mid-sagittal plane, found on the first pass's tissue; the
        // analysis fits it again on the fused labels.
        double[] c = single.centres();
        MidSagittalPlane plane = MidSagittalPlane.estimate(conformed, single.labels(), (c[2] - c[0]) / 2);
        if (mirrorStructures) {
            structures = MirrorAugmentation.fused(engine, structureModel, conformed, plane.normal(), plane.offsetMm(),
                    structures, brain);
        }
        if (mirrorMask) {
            mask = MirrorAugmentation.fused(engine, maskModel, conformed, plane.normal(), plane.offsetMm(), mask, null);
        }
        return fromLabels(conformed, structures.labels(), mask, maskModel, structureModel);
    }

    /**
     * Voxels of context a structure model gets past the brain mask's box. Measured against model18cls
     * over the whole head on three real T1s (README, Models): a margin of 8 changes 1 % of the brain's
     * voxels, 16 changes 0.1-0.6 % and 24 hardly fewer, while the network's work grows with the box.
     */
    public static final int STRUCTURE_MARGIN = 16;

    /** The brain mask's box widened by {@link #STRUCTURE_MARGIN}; null (no limit) when the mask is empty. */
    public static VoxelBox brainBox(Volume mask) {
        VoxelBox brain = VoxelBox.above(mask, 0.5f);
        return brain == null ? null : brain.widened(STRUCTURE_MARGIN, STRUCTURE_MARGIN, mask);
    }

    private static BrainTissue fromLabels(Volume conformed, Volume structures, Segmenter.Scored mask,
                                          ModelPack.Model maskModel, ModelPack.Model structureModel) {
        float[] m = mask == null ? null : mask.labels().voxels();
        int[] group = new int[256];
        for (ModelManifest.Label l : structureModel.manifest().labels()) {
            String name = l.name();
            group[l.value()] = l.value() == 0 ? 0 : HIPPOCAMPUS_NAME.matcher(name).matches() ? HIPPOCAMPUS
                    : VENTRICLE_NAME.matcher(name).matches() ? VENTRICLES : WHITE_NAME.matcher(name).matches() ? WHITE
                    : GREY_NAME.matcher(name).matches() ? GREY : CSF;
        }
        float[] s = structures.voxels();
        float[] v = conformed.voxels();
        int[] groupOf = new int[s.length];
        double[] sum = new double[6];
        long[] count = new long[6];
        for (int i = 0; i < s.length; i++) {
            int g = group[Math.max(0, Math.min(255, Math.round(s[i])))];
            groupOf[i] = g;
            sum[g] += v[i];
            count[g]++;
        }
        // Inside the brain mask but unlabelled: sulcal CSF when dark (below halfway from the ventricles'
        // CSF to grey matter), else dura, vessels and partial skull, which are not intracranial volume.
        double csfLevel = count[VENTRICLES] > 0 ? sum[VENTRICLES] / count[VENTRICLES] : 0;
        double greyLevel = count[GREY] > 0 ? sum[GREY] / count[GREY] : 0;
        double darkBelow = (csfLevel + greyLevel) / 2;
        float[] labels = new float[s.length];
        int inside = 0;
        for (int i = 0; i < s.length; i++) {
            int g = groupOf[i];
            boolean masked = m == null ? g > 0 : m[i] > 0.5f || g > 0;
            int label = !masked ? 0 : g != 0 ? g : v[i] < darkBelow ? CSF : 0;
            labels[i] = label;
            inside += label > 0 ? 1 : 0;
        }
        float[] intracranial = new float[inside];
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (labels[i] > 0) {
                intracranial[n++] = v[i];
            }
        }
        return new BrainTissue(conformed, conformed.withVoxels(labels), kMeans3(intracranial),
                ModelUse.of(maskModel == null ? structureModel : maskModel), ModelUse.of(structureModel),
                m == null ? null : conformed.withVoxels(m));
    }

    public static BrainTissue segment(InferenceEngine engine, Volume t1, ModelPack.Model maskModel,
                                      ModelPack.Model tissueModel) throws OrtException {
        Volume conformed = Conform.conform(t1, 256, 1.0, Interpolation.LINEAR);
        Volume mask = Segmenter.segment(engine, maskModel.onnx(), conformed, Segmenter.Normalisation.QUANTILE_5_95,
                Segmenter.Crop.NONE);
        float[] m = mask.voxels();
        float[] v = conformed.voxels();
        int inside = 0;
        for (float x : m) {
            inside += x > 0.5f ? 1 : 0;
        }
        if (inside < 100_000) {
            throw new IllegalStateException("intracranial mask has " + inside + " mL; not a head T1");
        }
        float[] intracranial = new float[inside];
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (m[i] > 0.5f) {
                intracranial[n++] = v[i];
            }
        }
        double[] centres = kMeans3(intracranial);
        float[] anchored = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            anchored[i] = (float) anchor(v[i], centres);
        }
        Volume classes = Segmenter.segment(engine, tissueModel.onnx(), conformed.withVoxels(anchored),
                Segmenter.Normalisation.NONE, Segmenter.Crop.NONE);
        float[] c = classes.voxels();
        float[] labels = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            labels[i] = m[i] > 0.5f ? c[i] + 1 : 0;
        }
        return new BrainTissue(conformed, conformed.withVoxels(labels), centres, ModelUse.of(maskModel),
                ModelUse.of(tissueModel), mask);
    }

    /** Piecewise linear through (csf, 0), (grey, 1), (white, 2), extended linearly beyond both ends. */
    public static double anchor(double x, double[] c) {
        return x < c[1] ? (x - c[0]) / (c[1] - c[0]) : 1 + (x - c[1]) / (c[2] - c[1]);
    }

    /** The three k-means centres ({@link IntensityClusters#kMeans3}), each moved to its histogram peak. */
    public static double[] kMeans3(float[] values) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return modes(sorted, IntensityClusters.kMeans3(values));
    }

    /**
     * Each class's histogram peak near its k-means centre. Partial-volume voxels pull a cluster's mean
     * towards its neighbours (most CSF voxels border grey matter), but not its peak; class boundaries
     * halfway between peaks keep the volumes unbiased.
     */
    private static double[] modes(float[] sorted, double[] centres) {
        double width = (centres[2] - centres[0]) / 100;
        double[] peaks = new double[3];
        for (int k = 0; k < 3; k++) {
            double lo = k == 0 ? centres[0] - 30 * width : (centres[k - 1] + centres[k]) / 2;
            double hi = k == 2 ? centres[2] + 30 * width : (centres[k] + centres[k + 1]) / 2;
            int bins = Math.max(3, (int) Math.ceil((hi - lo) / width));
            long[] histogram = new long[bins];
            int from = lowerBound(sorted, lo);
            for (int i = from; i < sorted.length && sorted[i] < hi; i++) {
                histogram[Math.min(bins - 1, (int) ((sorted[i] - lo) / width))]++;
            }
            int best = -1;
            long bestCount = -1;
            for (int b = 1; b < bins - 1; b++) {
                long smoothed = histogram[b - 1] + 2 * histogram[b] + histogram[b + 1];
                if (smoothed > bestCount) {
                    bestCount = smoothed;
                    best = b;
                }
            }
            peaks[k] = bestCount <= 0 ? centres[k] : lo + (best + 0.5) * width;
        }
        return peaks;
    }

    private static int lowerBound(float[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Volume in mL of the voxels carrying {@code label}. */
    public double volumeMl(int label) {
        long count = 0;
        for (float x : labels.voxels()) {
            count += Math.round(x) == label ? 1 : 0;
        }
        return count * labels.voxelVolumeMm3() / 1000;
    }

    /** True when the labels came from a structure model, with ventricles and hippocampus of their own. */
    public boolean hasStructures() {
        for (float x : labels.voxels()) {
            if (x >= VENTRICLES) {
                return true;
            }
        }
        return false;
    }

    public double intracranialMl() {
        long count = 0;
        for (float x : labels.voxels()) {
            count += x > 0.5f ? 1 : 0;
        }
        return count * labels.voxelVolumeMm3() / 1000;
    }
}
