package org.neurogate.inference.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny graphs built in code, run by ONNX Runtime, checked number by number. */
class InferenceEngineTest {

    @Test
    void elementwiseGraphComputesKnownValues(@TempDir Path dir) throws Exception {
        OnnxGraph g = new OnnxGraph("affine").input("x", 1, 4).output("y", 1, 4);
        String scaled = g.node("Mul", List.of("x", g.constant(2f)), g.temp("scaled"));
        g.node("Add", List.of(scaled, g.constant(-1f)), "y");
        Path model = write(dir, "affine.onnx", g);
        try (InferenceEngine engine = new InferenceEngine(new InferenceSettings("cpu", 1, 1))) {
            InferenceEngine.Tensor out = engine.run(model, new float[] {0, 1, 2.5f, -3}, new long[] {1, 4});
            assertArrayEquals(new float[] {-1, 1, 4, -7}, out.values(), 1e-6f);
            assertSame(engine.session(model), engine.session(model), "one session per model");
        }
    }

    @Test
    void dilatedSameConvolutionMatchesAHandComputation(@TempDir Path dir) throws Exception {
        // 3x3x3 kernel with a single 1 at offset (+1,0,0) in D, dilation 2: out[d] = in[d + 2].
        float[] kernel = new float[27];
        kernel[2 * 9 + 1 * 3 + 1] = 1;
        OnnxGraph g = new OnnxGraph("conv").input("x", 1, 1, 6, 1, 1).output("y", 1, 1, 6, 1, 1)
                .initializer("w", kernel, 1, 1, 3, 3, 3);
        g.node("Conv", List.of("x", "w"), "y", "dilations", new long[] {2, 2, 2}, "pads", new long[] {2, 2, 2, 2, 2, 2},
                "kernel_shape", new long[] {3, 3, 3});
        Path model = write(dir, "conv.onnx", g);
        try (InferenceEngine engine = new InferenceEngine(new InferenceSettings("cpu", 2, 1))) {
            InferenceEngine.Tensor out = engine.run(model, new float[] {1, 2, 3, 4, 5, 6}, new long[] {1, 1, 6, 1, 1});
            assertArrayEquals(new float[] {3, 4, 5, 6, 0, 0}, out.values(), 1e-6f);
            assertArrayEquals(new long[] {1, 1, 6, 1, 1}, out.shape());
        }
    }

    @Test
    void cudaFallsBackToTheCpuWhenAbsent(@TempDir Path dir) throws Exception {
        Path model = identityModel(dir);
        try (InferenceEngine engine = new InferenceEngine(new InferenceSettings("cuda", 1, 1))) {
            InferenceEngine.Tensor out = engine.run(model, new float[] {7, 8}, new long[] {1, 2});
            assertArrayEquals(new float[] {7, 8}, out.values());
            // The default (CPU) ONNX Runtime artifact has no CUDA provider: the engine says so once and
            // runs on the CPU. Built with -Donnxruntime.artifact=onnxruntime_gpu on a GPU host it says cuda.
            assertEquals(cudaBuild() ? "cuda" : "cpu", engine.provider());
        }
    }

    @Test
    void aWrongBufferSizeIsRefusedWithTheNumbers(@TempDir Path dir) throws Exception {
        Path model = identityModel(dir);
        try (InferenceEngine engine = new InferenceEngine(new InferenceSettings("cpu", 1, 1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.run(model, new float[3], new long[] {1, 2}));
            assertEquals("x: shape [1, 2] needs 2 elements, buffer has 3", e.getMessage(), "the input, its shape and the buffer");
        }
        assertThrows(IllegalArgumentException.class, () -> new InferenceSettings("tpu", 1, 1));
    }

    private static boolean cudaBuild() {
        return "onnxruntime_gpu".equals(System.getProperty("onnxruntime.artifact")) && Files.exists(Path.of("/dev/nvidia0"));
    }

    private static Path identityModel(Path dir) throws Exception {
        OnnxGraph g = new OnnxGraph("identity").input("x", 1, 2).output("y", 1, 2);
        g.node("Identity", List.of("x"), "y");
        return write(dir, "identity.onnx", g);
    }

    private static Path write(Path dir, String name, OnnxGraph graph) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, graph.toBytes());
        return file;
    }
}
