package org.neurogate.inference.onnx;

import java.util.Locale;

/**
 * How models run.
 *
 * @param device        {@code cpu} or {@code cuda} (env NEUROGATE_INFERENCE_DEVICE); cuda falls back to
 *                      the CPU, with one warning, where no CUDA provider can be loaded
 * @param threads       intra-op threads per inference
 * @param maxConcurrent inferences allowed at once; more wait their turn, which bounds native memory
 */
public record InferenceSettings(String device, int threads, int maxConcurrent) {

    public InferenceSettings {
        device = device == null ? "cpu" : device.trim().toLowerCase(Locale.ROOT);
        if (!device.equals("cpu") && !device.equals("cuda")) {
            throw new IllegalArgumentException("inference device must be cpu or cuda, was " + device);
        }
        if (threads < 1 || maxConcurrent < 1) {
            throw new IllegalArgumentException("threads and maxConcurrent must be >= 1");
        }
    }

    /** From NEUROGATE_INFERENCE_DEVICE / _THREADS / _MAX_CONCURRENT, defaulting to CPU, all cores, one at a time. */
    public static InferenceSettings fromEnvironment() {
        return new InferenceSettings(System.getenv().getOrDefault("NEUROGATE_INFERENCE_DEVICE", "cpu"),
                Integer.parseInt(System.getenv().getOrDefault("NEUROGATE_INFERENCE_THREADS",
                        Integer.toString(Runtime.getRuntime().availableProcessors()))),
                Integer.parseInt(System.getenv().getOrDefault("NEUROGATE_INFERENCE_MAX_CONCURRENT", "1")));
    }
}
