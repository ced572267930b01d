package org.neurogate.inference.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.neurogate.inference.onnx.InferenceEngine;

/**
 * A directory of models, each {@code <name>.onnx} with its manifest {@code <name>.json}. Loading checks
 * every model before anything runs: the manifest's fields, the checksum, and that ONNX Runtime opens
 * the graph with the input and output shapes the manifest implies. A bad model refuses the whole pack,
 * with a message naming the file and the problem.
 */
public record ModelPack(Path directory, List<Model> models) {

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A validated model. */
    public record Model(ModelManifest manifest, Path onnx, Path pack) {
    }

    /** A pack that cannot be used; the message names the file and what is wrong with it. */
    public static final class InvalidPackException extends Exception {
        public InvalidPackException(String message) {
            super(message);
        }
    }

    public static ModelPack load(Path directory, InferenceEngine engine) throws InvalidPackException {
        if (!Files.isDirectory(directory)) {
            throw new InvalidPackException(directory + ": model pack directory does not exist");
        }
        List<Path> onnxFiles;
        try (Stream<Path> files = Files.list(directory)) {
            onnxFiles = files.filter(f -> f.toString().endsWith(".onnx")).sorted().toList();
        } catch (IOException e) {
            throw new InvalidPackException(directory + ": cannot list: " + e.getMessage());
        }
        if (onnxFiles.isEmpty()) {
            throw new InvalidPackException(directory + ": no .onnx model in this pack");
        }
        List<Model> models = new ArrayList<>();
        for (Path onnx : onnxFiles) {
            models.add(validate(onnx, directory, engine));
        }
        return new ModelPack(directory, List.copyOf(models));
    }

    static Model validate(Path onnx, Path pack, InferenceEngine engine) throws InvalidPackException {
        String base = onnx.getFileName().toString().replaceFirst("\\.onnx$", "");
        Path manifestFile = onnx.resolveSibling(base + ".json");
        if (!Files.isRegularFile(manifestFile)) {
            throw new InvalidPackException(onnx + ": no manifest " + manifestFile.getFileName() + " beside it");
        }
        ModelManifest manifest;
        try {
            manifest = JSON.readValue(manifestFile.toFile(), ModelManifest.class);
        } catch (IOException e) {
            throw new InvalidPackException(manifestFile + ": unreadable manifest: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new InvalidPackException(manifestFile + ": " + e.getMessage());
        }
        List<String> problems = manifest.problems();
        if (!problems.isEmpty()) {
            throw new InvalidPackException(manifestFile + ": " + String.join("; ", problems));
        }
        String actual = sha256(onnx);
        if (!actual.equals(manifest.sha256())) {
            throw new InvalidPackException(onnx + ": sha256 is " + actual + ", the manifest says " + manifest.sha256());
        }
        try {
            OrtSession session = engine.session(onnx);
            // One input tensor; several series roles are its channels.
            if (session.getNumInputs() != 1 || session.getNumOutputs() < 1) {
                throw new InvalidPackException(onnx + ": has " + session.getNumInputs() + " inputs and "
                        + session.getNumOutputs() + " outputs; a model takes one input tensor");
            }
            NodeInfo input = session.getInputInfo().values().iterator().next();
            long[] inShape = InferenceEngine.declaredShape(input);
            if (inShape.length != 5 || (inShape[1] > 0 && inShape[1] != manifest.inputRoles().size())) {
                throw new InvalidPackException(onnx + ": input '" + input.getName() + "' has shape "
                        + java.util.Arrays.toString(inShape) + "; expected [1, " + manifest.inputRoles().size() + ", D, H, W]");
            }
            NodeInfo output = session.getOutputInfo().values().iterator().next();
            long[] outShape = InferenceEngine.declaredShape(output);
            // A label map is either class scores (one channel per label) or the arg-max itself (one channel).
            long expectedChannels = "label-map".equals(manifest.outputKind()) ? manifest.labels().size() : 1;
            if (outShape.length != 5 || (outShape[1] > 0 && outShape[1] != expectedChannels && outShape[1] != 1)) {
                throw new InvalidPackException(onnx + ": output '" + output.getName() + "' has shape "
                        + java.util.Arrays.toString(outShape) + "; the manifest implies " + expectedChannels + " channel(s)");
            }
        } catch (OrtException e) {
            throw new InvalidPackException(onnx + ": ONNX Runtime cannot open it: " + e.getMessage());
        }
        return new Model(manifest, onnx, pack);
    }

    public static String sha256(Path file) throws InvalidPackException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            DigestInputStream digest = (DigestInputStream) in;
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new InvalidPackException(file + ": cannot checksum: " + e.getMessage());
        }
    }

    /** Writes a model and its manifest (with the checksum filled in) into a pack directory. */
    public static Path write(Path directory, String fileName, byte[] onnx, ModelManifest manifest)
            throws IOException, InvalidPackException {
        Files.createDirectories(directory);
        Path file = directory.resolve(fileName + ".onnx");
        Files.write(file, onnx);
        ModelManifest withSum = manifest.withSha256(sha256(file));
        JSON.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(fileName + ".json").toFile(), withSum);
        return file;
    }
}
