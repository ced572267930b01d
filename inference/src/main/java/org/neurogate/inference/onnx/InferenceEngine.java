package org.neurogate.inference.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;

/**
 * Runs ONNX models with ONNX Runtime: one environment per process, one session per model, created
 * once and reused, closed with the engine. Inferences beyond {@code maxConcurrent} wait, so a burst of
 * studies cannot exhaust native memory.
 */
public final class InferenceEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InferenceEngine.class.getName());

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final InferenceSettings settings;
    private final Semaphore slots;
    private final Map<Path, OrtSession> sessions = new ConcurrentHashMap<>();
    private volatile String provider;
    /** The options of every run in progress: terminating them is how a shutdown stops native work safely. */
    private final java.util.Set<OrtSession.RunOptions> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    /** Output of one inference: a float tensor in C order. */
    public record Tensor(float[] values, long[] shape) {
    }

    public InferenceEngine(InferenceSettings settings) {
        this.settings = settings;
        this.slots = new Semaphore(settings.maxConcurrent(), true);
    }

    /** The execution provider in use: "cpu", or "cuda" once a CUDA session was created. */
    public String provider() {
        return provider == null ? settings.device() : provider;
    }

    public OrtSession session(Path model) throws OrtException {
        OrtSession existing = sessions.get(model);
        if (existing != null) {
            return existing;
        }
        synchronized (sessions) {
            OrtSession again = sessions.get(model);
            if (again != null) {
                return again;
            }
            OrtSession created = environment.createSession(model.toString(), options());
            sessions.put(model, created);
            return created;
        }
    }

    /** Reads a model's output while it is still in native memory, so a large output is never copied whole. */
    @FunctionalInterface
    public interface OutputReader<R> {
        R read(FloatBuffer values, long[] shape);
    }

    /** Runs a single-input, single-output model and copies the output out. */
    public Tensor run(Path model, float[] input, long[] shape) throws OrtException {
        return run(model, input, shape, (values, outShape) -> {
            float[] copy = new float[values.remaining()];
            values.get(copy);
            return new Tensor(copy, outShape);
        });
    }

    /** Runs a single-input, single-output model and hands its output to {@code reader}. */
    public <R> R run(Path model, float[] input, long[] shape, OutputReader<R> reader) throws OrtException {
        String inputName = session(model).getInputNames().iterator().next();
        return run(model, Map.of(inputName, new Tensor(input, shape)), reader);
    }

    /** Reads every output of a run, by name, while they are still in native memory. */
    @FunctionalInterface
    public interface OutputsReader<R> {
        R read(Map<String, FloatBuffer> values, Map<String, long[]> shapes);
    }

    /** Runs a model with named float inputs (e.g. an image and the patient's sex); its first output to {@code reader}. */
    public <R> R run(Path model, Map<String, Tensor> inputs, OutputReader<R> reader) throws OrtException {
        String first = session(model).getOutputNames().iterator().next();
        return runOutputs(model, inputs, (values, shapes) -> reader.read(values.get(first), shapes.get(first)));
    }

    /** Runs a model with named float inputs and hands all its float outputs to {@code reader}. */
    public <R> R runOutputs(Path model, Map<String, Tensor> inputs, OutputsReader<R> reader) throws OrtException {
        OrtSession session = session(model);
        for (Map.Entry<String, Tensor> in : inputs.entrySet()) {
            long needed = Arrays.stream(in.getValue().shape()).reduce(1, (a, b) -> a * b);
            if (needed != in.getValue().values().length) {
                throw new IllegalArgumentException(in.getKey() + ": shape " + Arrays.toString(in.getValue().shape())
                        + " needs " + needed + " elements, buffer has " + in.getValue().values().length);
            }
        }
        OrtSession.RunOptions options = new OrtSession.RunOptions();
        slots.acquireUninterruptibly();
        try {
            running.add(options);
            if (closing) {
                throw new ShuttingDownException();
            }
            // Each session's arena keeps what its largest run needed (over 2 GB for a MeshNet on a 256³
            // head) for as long as the session lives, and an analysis runs several such models in turn:
            // shrinking the arena at the end of every run hands that memory back, so the peak is one
            // model's, not their sum. Re-allocating is a few milliseconds against seconds of convolution.
            options.addRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
            Map<String, OnnxTensor> tensors = new java.util.LinkedHashMap<>();
            try {
                for (Map.Entry<String, Tensor> in : inputs.entrySet()) {
                    tensors.put(in.getKey(), OnnxTensor.createTensor(environment,
                            FloatBuffer.wrap(in.getValue().values()), in.getValue().shape()));
                }
                try (OrtSession.Result result = session.run(tensors, options)) {
                    Map<String, FloatBuffer> values = new java.util.LinkedHashMap<>();
                    Map<String, long[]> shapes = new java.util.LinkedHashMap<>();
                    for (Map.Entry<String, ai.onnxruntime.OnnxValue> out : result) {
                        OnnxTensor tensor = (OnnxTensor) out.getValue();
                        values.put(out.getKey(), tensor.getFloatBuffer());
                        shapes.put(out.getKey(), tensor.getInfo().getShape());
                    }
                    return reader.read(values, shapes);
                }
            } catch (OrtException e) {
                if (closing) {
                    throw new ShuttingDownException();
                }
                throw e;
            } finally {
                tensors.values().forEach(OnnxTensor::close);
            }
        } finally {
            running.remove(options);
            options.close();
            slots.release();
        }
    }

    /** A run refused or stopped because the engine is shutting down; the caller gives its work back. */
    public static final class ShuttingDownException extends IllegalStateException {
        ShuttingDownException() {
            super("inference engine is shutting down");
        }
    }

    /**
     * Stops every run in progress (ONNX Runtime's terminate flag; they end with
     * {@link ShuttingDownException}) and refuses new ones. Called before {@link #close()}, so no session
     * is freed under a thread still inside it.
     */
    public void terminateRuns() {
        closing = true;
        for (OrtSession.RunOptions options : running) {
            try {
                options.setTerminate(true);
            } catch (OrtException e) {
                LOG.warning("cannot terminate an ONNX run: " + e.getMessage());
            }
        }
    }

    /** Input and output shapes as the model declares them (-1 for symbolic dimensions). */
    public static long[] declaredShape(NodeInfo info) {
        return info.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
    }

    private OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(settings.threads());
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (settings.device().equals("cuda") && provider == null) {
            try {
                options.addCUDA(0);
                provider = "cuda";
            } catch (OrtException | UnsatisfiedLinkError | RuntimeException e) {
                provider = "cpu";
                LOG.warning("NEUROGATE_INFERENCE_DEVICE=cuda, but the CUDA execution provider is not available ("
                        + e.getMessage() + "); running every model on the CPU");
            }
        } else if ("cuda".equals(provider)) {
            options.addCUDA(0);
        } else if (provider == null) {
            provider = "cpu";
        }
        return options;
    }

    /**
     * Terminates runs in progress, waits for them to leave native code (up to 30 s), then frees the
     * sessions. If a run has not left by then, the sessions are left to the process's exit: freeing them
     * under a running thread would crash the JVM.
     */
    @Override
    public void close() {
        terminateRuns();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!running.isEmpty()) {
            LOG.warning(running.size() + " ONNX run(s) still in progress; sessions left open for the process exit");
            return;
        }
        for (OrtSession s : sessions.values()) {
            try {
                s.close();
            } catch (OrtException e) {
                LOG.warning("closing an ONNX session failed: " + e.getMessage());
            }
        }
        sessions.clear();
    }
}
