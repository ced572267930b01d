package org.neurogate.inference.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * What NeuroGate must know to run a model and to report what produced a result: the manifest
 * ({@code <model>.json}) beside each {@code <model>.onnx} of a pack.
 *
 * @param inputRoles     series roles fed to the model, one per input channel (e.g. ["T1"])
 * @param targetSpace    grid the model runs on: "native", or "conformed-256-1mm-LIA"
 * @param normalisation  "minmax", "quantile-5-95" or "none"
 * @param crop           "none" or "nonzero-box-2-3" (brainchop's bounding box, -2/+3 voxels)
 * @param outputKind     "label-map" (class scores, or their arg-max as one channel) or "map" (one value per voxel)
 * @param labels         one entry per output class for a label map
 * @param sha256         of the .onnx file; checked at load
 * @param task           what the model is for; the analyses pick models by it
 * @param inputNormalisations one normalisation per input role, for multi-input models whose channels were
 *                       normalised differently (a DWI by its quantiles, an ADC as is); absent: {@code normalisation}
 *                       for every channel
 * @param mirrorAugmentation present: the model also runs on the input mirrored about the mid-sagittal
 *                       plane, and the two label maps are fused (see {@link MirrorAugmentation}); absent: one pass
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(String id, String version, String task, List<String> inputRoles, String targetSpace,
                            String normalisation, String crop, String outputKind, List<Label> labels, String sha256,
                            String licence, @JsonProperty("intended_use") String intendedUse, String source,
                            String validation, List<String> inputNormalisations, Mirror mirrorAugmentation) {

    /**
     * Acute ischaemic lesions from diffusion images: inputs among DWI_B1000, ADC (in 10^-6 mm^2/s),
     * DWI_B0 and FLAIR on the b=1000 grid; every label above 0 is lesion.
     */
    public static final String LESION_SEGMENTATION = "lesion-segmentation";
    /** White-matter hyperintensities from FLAIR (optionally with T1) on the FLAIR grid; every label above 0 is WMH. */
    public static final String WMH_SEGMENTATION = "wmh-segmentation";
    /** The input roles each lesion task may take, and must run on its source grid. */
    private static final java.util.Map<String, List<String>> LESION_INPUTS = java.util.Map.of(
            LESION_SEGMENTATION, List.of("DWI_B1000", "ADC", "DWI_B0", "FLAIR"),
            WMH_SEGMENTATION, List.of("FLAIR", "T1"));

    public ModelManifest(String id, String version, String task, List<String> inputRoles, String targetSpace,
                         String normalisation, String crop, String outputKind, List<Label> labels, String sha256,
                         String licence, String intendedUse, String source, String validation) {
        this(id, version, task, inputRoles, targetSpace, normalisation, crop, outputKind, labels, sha256, licence,
                intendedUse, source, validation, null, null);
    }

    public ModelManifest(String id, String version, String task, List<String> inputRoles, String targetSpace,
                         String normalisation, String crop, String outputKind, List<Label> labels, String sha256,
                         String licence, String intendedUse, String source, String validation,
                         List<String> inputNormalisations) {
        this(id, version, task, inputRoles, targetSpace, normalisation, crop, outputKind, labels, sha256, licence,
                intendedUse, source, validation, inputNormalisations, null);
    }

    /** The same manifest with the model file's checksum. */
    public ModelManifest withSha256(String sum) {
        return new ModelManifest(id, version, task, inputRoles, targetSpace, normalisation, crop, outputKind, labels,
                sum, licence, intendedUse, source, validation, inputNormalisations, mirrorAugmentation);
    }

    /**
     * Mirror test-time augmentation. A network trained without mirrored examples is not left-right
     * symmetric: MeshNet put 10 % more hippocampus on one side of an exactly symmetric brain.
     *
     * @param labelPairs lateralised labels as [left, right] value pairs, swapped in the mirrored pass's
     *                   output (a left hippocampus seen in the mirror is the right one); empty when the
     *                   labels do not name a side
     */
    public record Mirror(List<List<Integer>> labelPairs) {
        public Mirror {
            labelPairs = labelPairs == null ? List.of() : List.copyOf(labelPairs);
        }

        /** Each label's counterpart on the other side; itself when it has no side. */
        public int[] counterparts(int labels) {
            int[] out = new int[labels];
            for (int i = 0; i < labels; i++) {
                out[i] = i;
            }
            for (List<Integer> pair : labelPairs) {
                out[pair.get(0)] = pair.get(1);
                out[pair.get(1)] = pair.get(0);
            }
            return out;
        }
    }

    /** The normalisation of each input channel, in the order of {@code inputRoles}. */
    public List<Segmenter.Normalisation> channelNormalisations() {
        List<Segmenter.Normalisation> out = new ArrayList<>();
        for (int c = 0; c < inputRoles.size(); c++) {
            out.add(normalisation(inputNormalisations == null ? normalisation : inputNormalisations.get(c)));
        }
        return out;
    }

    /** One class of a label map, with a coded concept (SNOMED CT where one exists, else a local code). */
    public record Label(int value, String name, String codingScheme, String code) {
    }

    public static final List<String> TARGET_SPACES = List.of("native", "conformed-256-1mm-LIA");
    public static final List<String> NORMALISATIONS = List.of("minmax", "quantile-5-95", "none");
    public static final List<String> CROPS = List.of("none", "nonzero-box-2-3");
    public static final List<String> OUTPUT_KINDS = List.of("label-map", "map");

    /** Every problem with the manifest's fields; empty when it is complete. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        require(problems, "id", id);
        require(problems, "version", version);
        require(problems, "task", task);
        require(problems, "sha256", sha256);
        require(problems, "licence", licence);
        require(problems, "intended_use", intendedUse);
        if (id != null && !id.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            problems.add("id '" + id + "' must be lower-case letters, digits, '.', '_' or '-'");
        }
        if (inputRoles == null || inputRoles.isEmpty()) {
            problems.add("inputRoles is required");
        }
        oneOf(problems, "targetSpace", targetSpace, TARGET_SPACES);
        oneOf(problems, "normalisation", normalisation, NORMALISATIONS);
        oneOf(problems, "crop", crop, CROPS);
        oneOf(problems, "outputKind", outputKind, OUTPUT_KINDS);
        if ("label-map".equals(outputKind) && (labels == null || labels.isEmpty())) {
            problems.add("a label-map model needs its label table");
        }
        if (labels != null) {
            for (int i = 0; i < labels.size(); i++) {
                Label l = labels.get(i);
                if (l.value() != i || l.name() == null || l.code() == null || l.codingScheme() == null) {
                    problems.add("label " + i + " needs value " + i + ", a name, a coding scheme and a code");
                }
            }
        }
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
            problems.add("sha256 must be 64 lower-case hex digits");
        }
        if (inputNormalisations != null) {
            if (inputRoles != null && inputNormalisations.size() != inputRoles.size()) {
                problems.add("inputNormalisations needs one entry per input role (" + inputRoles.size() + "), has "
                        + inputNormalisations.size());
            }
            for (String n : inputNormalisations) {
                oneOf(problems, "inputNormalisations", n, NORMALISATIONS);
            }
        }
        if (mirrorAugmentation != null) {
            if (!"label-map".equals(outputKind)) {
                problems.add("mirror augmentation fuses label maps: outputKind must be label-map");
            }
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (List<Integer> pair : mirrorAugmentation.labelPairs()) {
                boolean known = pair != null && pair.size() == 2 && pair.stream().allMatch(
                        v -> v != null && labels != null && v > 0 && v < labels.size());
                if (!known || pair.get(0).equals(pair.get(1)) || !seen.add(pair.get(0)) || !seen.add(pair.get(1))) {
                    problems.add("mirrorAugmentation.labelPairs: " + pair + " must be two distinct labels of the "
                            + "table above 0, each in one pair only");
                }
            }
        }
        List<String> lesionInputs = LESION_INPUTS.get(task);
        if (lesionInputs != null) {
            if (inputRoles != null && !lesionInputs.containsAll(inputRoles)) {
                problems.add("a " + task + " model takes inputs among " + lesionInputs + ", not " + inputRoles);
            }
            if (!"native".equals(targetSpace)) {
                problems.add("a " + task + " model runs on its source series' grid: targetSpace must be native");
            }
            if (!"label-map".equals(outputKind)) {
                problems.add("a " + task + " model gives a label map");
            }
        }
        return problems;
    }

    public Segmenter.Normalisation segmenterNormalisation() {
        return normalisation(normalisation);
    }

    private static Segmenter.Normalisation normalisation(String name) {
        return switch (name) {
            case "quantile-5-95" -> Segmenter.Normalisation.QUANTILE_5_95;
            case "none" -> Segmenter.Normalisation.NONE;
            default -> Segmenter.Normalisation.MIN_MAX;
        };
    }

    public Segmenter.Crop segmenterCrop() {
        return "nonzero-box-2-3".equals(crop) ? new Segmenter.Crop(2, 3) : Segmenter.Crop.NONE;
    }

    private static void require(List<String> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is required");
        }
    }

    private static void oneOf(List<String> problems, String field, String value, List<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            problems.add(field + " must be one of " + allowed + ", was " + value);
        }
    }
}
