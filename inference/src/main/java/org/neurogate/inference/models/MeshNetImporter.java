package org.neurogate.inference.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurogate.inference.onnx.OnnxGraph;

/**
 * Converts a brainchop MeshNet model in TensorFlow.js layers format ({@code model.json} plus float32
 * weight shards) into ONNX.
 *
 * <p>Axis order is the whole difficulty: TF.js sees the volume as NDHWC in NIfTI index order (i, j, k),
 * while NeuroGate keeps voxels with i fastest, which as a C-order tensor is (k, j, i). Rather than
 * transposing 16 million voxels, the kernels' three spatial axes are reversed, which computes the
 * same convolution on the reversed axes. Conv3D layers use "same" padding (pad = dilation) and any
 * dilation; activations ReLU, ELU and GELU (exact erf form). A conv whose name ends in {@code _gn}
 * (mindgrab) is followed by per-channel instance normalisation (eps 1e-5, no affine) before its
 * activation, as brainchop applies it outside the Keras topology. The graph ends in the arg-max over
 * classes, so its output is the label map itself.
 */
public final class MeshNetImporter {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The converted model and what its manifest needs to know. */
    public record Imported(byte[] onnx, List<String> labels, int classes, boolean instanceNormalised, int parameters) {
    }

    private MeshNetImporter() {
    }

    private static final String LOCAL = "99NEUROGATE";
    private static final String[] BRAIN = {"SCT", "12738006"};
    /** Hippocampus, not lateralised (model18cls) and left / right (FreeSurfer names). */
    public static final String HIPPOCAMPUS = "NG-HIPPOCAMPUS";
    public static final String HIPPOCAMPUS_LEFT = "NG-HIPPO-L";
    public static final String HIPPOCAMPUS_RIGHT = "NG-HIPPO-R";
    /**
     * The coded concepts of the label names NeuroGate's analyses look for: the analyses pick models by
     * task and by these codes, so a label renamed in a later model version cannot change which runs.
     */
    private static final java.util.Map<String, String[]> KNOWN_CONCEPTS = java.util.Map.of(
            "brain", BRAIN, "brain mask", BRAIN,
            "hippocampus", new String[] {LOCAL, HIPPOCAMPUS},
            "left-hippocampus", new String[] {LOCAL, HIPPOCAMPUS_LEFT},
            "right-hippocampus", new String[] {LOCAL, HIPPOCAMPUS_RIGHT});

    /**
     * Converts a brainchop model and writes it into a pack under {@code id}, with the manifest every
     * import gets: a T1 model in conformed 256^3 1 mm LIA space whose output is a label map.
     */
    public static Imported importInto(Path source, Path pack, String id, String normalisation)
            throws IOException, ModelPack.InvalidPackException {
        Imported imported = convert(source);
        List<ModelManifest.Label> labels = new ArrayList<>();
        for (int i = 0; i < imported.labels().size(); i++) {
            String name = imported.labels().get(i);
            String[] concept = KNOWN_CONCEPTS.get(name.toLowerCase(java.util.Locale.ROOT));
            labels.add(concept == null ? new ModelManifest.Label(i, name, LOCAL, id + "-" + i)
                    : new ModelManifest.Label(i, name, concept[0], concept[1]));
        }
        boolean brainMask = labels.size() == 2 && BRAIN[1].equals(labels.get(1).code());
        ModelManifest manifest = new ModelManifest(id, "imported-1", brainMask ? "brain-mask" : "segmentation", List.of("T1"),
                "conformed-256-1mm-LIA",
                normalisation, "nonzero-box-2-3", "label-map", labels, null, "MIT (brainchop, neuroneural/brainchop)",
                "Research use; not for diagnosis until validated at the site", "brainchop MeshNet TF.js model " + source
                        + ", " + imported.parameters() + " parameters" + (imported.instanceNormalised()
                        ? ", instance normalisation after each _gn convolution" : ""), null, null,
                new ModelManifest.Mirror(sidePairs(imported.labels())));
        ModelPack.write(pack, id, imported.onnx(), manifest);
        return imported;
    }

    public static Imported convert(Path dir) throws IOException {
        Path modelJson = dir.resolve("model.json");
        if (!Files.isRegularFile(modelJson)) {
            throw new IOException(dir + " has no model.json: not a TF.js layers model");
        }
        JsonNode model = JSON.readTree(modelJson.toFile());
        Map<String, float[]> weights = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        int parameters = readWeights(dir, model.path("weightsManifest"), weights, shapes);
        JsonNode layers = model.path("modelTopology").path("model_config").path("config").path("layers");
        if (!layers.isArray() || layers.isEmpty()) {
            throw new IOException(modelJson + ": no layers in modelTopology.model_config.config");
        }
        OnnxGraph g = new OnnxGraph(dir.getFileName().toString()).input("input", 1, 1, -1, -1, -1);
        String x = "input";
        int classes = 0;
        boolean instanceNormalised = false;
        for (JsonNode layer : layers) {
            String type = layer.path("class_name").asText();
            JsonNode c = layer.path("config");
            String name = c.path("name").asText();
            switch (type) {
                case "InputLayer" -> { }
                case "Conv3D" -> {
                    if (!"channels_last".equals(c.path("data_format").asText("channels_last"))) {
                        throw new IOException(modelJson + ": layer " + name + " is not channels_last");
                    }
                    long[] kernelShape = shapes.get(name + "/kernel");
                    float[] kernel = weights.get(name + "/kernel");
                    if (kernel == null || kernelShape.length != 5) {
                        throw new IOException(modelJson + ": no 5-D kernel for layer " + name);
                    }
                    int out = (int) kernelShape[4];
                    int in = (int) kernelShape[3];
                    int kd = (int) kernelShape[0];
                    if (kernelShape[1] != kd || kernelShape[2] != kd || kd % 2 == 0) {
                        throw new IOException(modelJson + ": layer " + name + " needs a cubic odd kernel, has "
                                + java.util.Arrays.toString(kernelShape));
                    }
                    long dilation = c.path("dilation_rate").path(0).asLong(1);
                    if (!"same".equals(c.path("padding").asText())) {
                        throw new IOException(modelJson + ": layer " + name + " padding is not 'same'");
                    }
                    String w = name + "_W";
                    g.initializer(w, reversedSpatialKernel(kernel, kd, in, out), out, in, kd, kd, kd);
                    List<String> inputs = new ArrayList<>(List.of(x, w));
                    if (c.path("use_bias").asBoolean(false)) {
                        g.initializer(name + "_B", weights.get(name + "/bias"), out);
                        inputs.add(name + "_B");
                    }
                    long pad = dilation * (kd - 1) / 2;
                    x = g.node("Conv", inputs, g.temp(name), "kernel_shape", new long[] {kd, kd, kd},
                            "dilations", new long[] {dilation, dilation, dilation},
                            "pads", new long[] {pad, pad, pad, pad, pad, pad});
                    if (name.endsWith("_gn")) {
                        float[] ones = new float[out];
                        java.util.Arrays.fill(ones, 1f);
                        g.initializer(name + "_gamma", ones, out).initializer(name + "_beta", new float[out], out);
                        x = g.node("InstanceNormalization", List.of(x, name + "_gamma", name + "_beta"),
                                g.temp(name + "_in"), "epsilon", 1e-5f);
                        instanceNormalised = true;
                    }
                    x = activation(g, x, c.path("activation").asText("linear"), name);
                    classes = out;
                }
                case "Activation" -> x = activation(g, x, c.path("activation").asText(), name);
                default -> throw new IOException(modelJson + ": unsupported layer " + type + " (" + name + ")");
            }
        }
        // The arg-max runs inside the graph: 104 class scores over 256^3 voxels are 7 GB, one label is 67 MB.
        String best = g.node("ArgMax", List.of(x), g.temp("argmax"), "axis", 1L, "keepdims", 1L);
        g.node("Cast", List.of(best), "labels", "to", 1L);
        g.output("labels", 1, 1, -1, -1, -1);
        // The winning class's log softmax probability, max - logsumexp: what mirror augmentation fuses
        // the two passes by, at one channel instead of the scores.
        String top = g.node("ReduceMax", List.of(x), g.temp("top"), "axes", new long[] {1}, "keepdims", 1L);
        String all = g.node("ReduceLogSumExp", List.of(x), g.temp("logsumexp"), "axes", new long[] {1}, "keepdims", 1L);
        g.node("Sub", List.of(top, all), Segmenter.CONFIDENCE_OUTPUT);
        g.output(Segmenter.CONFIDENCE_OUTPUT, 1, 1, -1, -1, -1);
        return new Imported(g.toBytes(), labels(dir, classes), classes, instanceNormalised, parameters);
    }

    /**
     * FreeSurfer's lateralised label names as [left, right] pairs ("Left-X" / "Right-X", "ctx-lh-X" /
     * "ctx-rh-X"), read once at import and written into the manifest, which is what runs use.
     */
    static List<List<Integer>> sidePairs(List<String> labels) {
        List<List<Integer>> pairs = new ArrayList<>();
        for (int left = 0; left < labels.size(); left++) {
            String name = labels.get(left);
            String right = name.startsWith("Left-") ? "Right-" + name.substring(5)
                    : name.startsWith("ctx-lh-") ? "ctx-rh-" + name.substring(7) : null;
            int r = right == null ? -1 : labels.indexOf(right);
            if (r > 0) {
                pairs.add(List.of(left, r));
            }
        }
        return pairs;
    }

    private static String activation(OnnxGraph g, String x, String kind, String layer) throws IOException {
        return switch (kind) {
            case "linear" -> x;
            case "relu" -> g.node("Relu", List.of(x), g.temp(layer + "_relu"));
            case "elu" -> g.node("Elu", List.of(x), g.temp(layer + "_elu"), "alpha", 1.0f);
            case "gelu" -> {
                // GELU(x) = 0.5 x (1 + erf(x / sqrt 2)), the exact form brainchop uses.
                // Written as ONNX Runtime's Gelu fusion expects it (x / sqrt 2, not x * 1/sqrt 2): one
                // fused kernel instead of five passes over a 15-channel block.
                String scaled = g.node("Div", List.of(x, g.constant((float) Math.sqrt(2))), g.temp(layer + "_s"));
                String erf = g.node("Erf", List.of(scaled), g.temp(layer + "_erf"));
                String plusOne = g.node("Add", List.of(erf, g.constant(1f)), g.temp(layer + "_p1"));
                String half = g.node("Mul", List.of(x, g.constant(0.5f)), g.temp(layer + "_h"));
                yield g.node("Mul", List.of(half, plusOne), g.temp(layer + "_gelu"));
            }
            default -> throw new IOException("unsupported activation " + kind + " in layer " + layer);
        };
    }

    /** TF [kd][kh][kw][in][out] to ONNX [out][in][kw][kh][kd]: the spatial axes reversed (see class comment). */
    static float[] reversedSpatialKernel(float[] tf, int k, int in, int out) {
        float[] onnx = new float[tf.length];
        for (int d = 0; d < k; d++) {
            for (int h = 0; h < k; h++) {
                for (int w = 0; w < k; w++) {
                    for (int c = 0; c < in; c++) {
                        for (int o = 0; o < out; o++) {
                            float v = tf[(((d * k + h) * k + w) * in + c) * out + o];
                            onnx[(((o * in + c) * k + w) * k + h) * k + d] = v;
                        }
                    }
                }
            }
        }
        return onnx;
    }

    private static int readWeights(Path dir, JsonNode manifest, Map<String, float[]> weights, Map<String, long[]> shapes)
            throws IOException {
        int total = 0;
        for (JsonNode group : manifest) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            for (JsonNode path : group.path("paths")) {
                bytes.writeBytes(Files.readAllBytes(dir.resolve(path.asText())));
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode w : group.path("weights")) {
                if (!"float32".equals(w.path("dtype").asText("float32"))) {
                    throw new IOException(dir + ": weight " + w.path("name").asText() + " is not float32");
                }
                long[] shape = new long[w.path("shape").size()];
                int count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = w.path("shape").path(i).asLong();
                    count *= (int) shape[i];
                }
                if (buffer.remaining() < count * 4) {
                    throw new IOException(dir + ": weight shards end before " + w.path("name").asText());
                }
                float[] values = new float[count];
                buffer.asFloatBuffer().get(values);
                buffer.position(buffer.position() + count * 4);
                weights.put(w.path("name").asText(), values);
                shapes.put(w.path("name").asText(), shape);
                total += count;
            }
            if (buffer.hasRemaining()) {
                throw new IOException(dir + ": " + buffer.remaining() + " bytes of weights left over after the manifest");
            }
        }
        return total;
    }

    private static List<String> labels(Path dir, int classes) throws IOException {
        for (String name : List.of("colormap.json", "colormap3.json")) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                JsonNode labels = JSON.readTree(file.toFile()).path("labels");
                if (labels.size() == classes) {
                    List<String> out = new ArrayList<>();
                    labels.forEach(l -> out.add(l.asText()));
                    return out;
                }
            }
        }
        List<String> generic = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            generic.add("label " + i);
        }
        return generic;
    }
}
