package org.neurogate.inference.brainage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.neurogate.inference.models.ModelPack;
import org.neurogate.inference.onnx.InferenceEngine;

/**
 * Imports a brain-age model as one pack: its networks and its template copied, each file's SHA-256
 * written into {@value BrainAgeManifest#FILE_NAME}, and the result loaded back before it counts.
 * Without a manifest of its own, the folder is read as the published 2D-projection CNN
 * ({@code brainage2d_<axi|cor|sag>_fold<k>.onnx} and {@code MNI152_T1_1mm_brain.nii.gz}) and the
 * manifest is written from that model's facts.
 */
public final class BrainAgeImporter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static final String TEMPLATE = "MNI152_T1_1mm_brain.nii.gz";

    private BrainAgeImporter() {
    }

    /**
     * @param source   the published folder
     * @param manifest a site's manifest naming the files (their sha256 may be left out), or null for
     *                 the 2D-projection CNN's layout
     * @param pack     the pack folder to write
     */
    public static BrainAgeModel importInto(Path source, Path manifest, Path pack, InferenceEngine engine)
            throws IOException, ModelPack.InvalidPackException {
        BrainAgeManifest draft = manifest != null ? JSON.readValue(manifest.toFile(), BrainAgeManifest.class)
                : projectionCnn(source);
        if (draft.template() == null || draft.ensemble() == null || draft.ensemble().isEmpty()) {
            throw new ModelPack.InvalidPackException((manifest != null ? manifest : source)
                    + ": names no template or no networks");
        }
        Files.createDirectories(pack);
        BrainAgeManifest.PackFile template = copy(source, draft.template().file(), draft.template().sha256(), pack);
        List<BrainAgeManifest.Member> members = new ArrayList<>();
        for (BrainAgeManifest.Member m : draft.ensemble()) {
            BrainAgeManifest.PackFile f = copy(source, m.file(), m.sha256(), pack);
            members.add(new BrainAgeManifest.Member(f.file(), f.sha256(), m.direction(), m.fold()));
        }
        BrainAgeManifest written = new BrainAgeManifest(draft.id(), draft.version(), draft.task(), draft.inputSpace(),
                template, draft.recipe(), draft.inputs(), members, draft.combine(), draft.publishedMaeYears(),
                draft.trainingAgesYears(), draft.licence(), draft.intendedUse(), draft.source(), draft.validation());
        List<String> problems = written.problems();
        if (!problems.isEmpty()) {
            throw new ModelPack.InvalidPackException(String.join("; ", problems));
        }
        JSON.writeValue(pack.resolve(BrainAgeManifest.FILE_NAME).toFile(), written);
        return BrainAgeModel.load(pack, engine);
    }

    private static BrainAgeManifest.PackFile copy(Path source, String name, String expected, Path pack)
            throws IOException, ModelPack.InvalidPackException {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new ModelPack.InvalidPackException("'" + name + "' is not a plain file name");
        }
        Path from = source.resolve(name);
        if (!Files.isRegularFile(from)) {
            throw new ModelPack.InvalidPackException(from + " is absent");
        }
        String actual = ModelPack.sha256(from);
        if (expected != null && !expected.equals(actual)) {
            throw new ModelPack.InvalidPackException(from + ": sha256 is " + actual + ", the manifest says " + expected);
        }
        Files.copy(from, pack.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        return new BrainAgeManifest.PackFile(name, actual);
    }

    /** The published 2D-projection CNN's manifest, from its FACTS.md and SOURCE.md. */
    static BrainAgeManifest projectionCnn(Path source) throws IOException {
        List<BrainAgeManifest.Member> members = new ArrayList<>();
        for (ProjectionEnsemble.Member m : ProjectionEnsemble.inFolder(source).members()) {
            members.add(new BrainAgeManifest.Member(m.onnx().getFileName().toString(), null, m.direction().fileName,
                    m.fold()));
        }
        ProjectionRecipe r = ProjectionRecipe.CONTRACT;
        return new BrainAgeManifest("brainage-2dproj", "ee34d93", BrainAgeManifest.TASK, BrainAgeManifest.INPUT_SPACE,
                new BrainAgeManifest.PackFile(TEMPLATE, null),
                new BrainAgeManifest.Recipe(BrainAgeManifest.PROJECTIONS_2D, r.size(), r.medianFrom(), r.medianTo(),
                        "hmrf-pve-3class"),
                new BrainAgeManifest.Inputs("projections", "sex"), members, "mean", 2.50, List.of(5.0, 89.0),
                "MIT (stated in the source's README; the repository has no LICENSE file)",
                "Research use only: brain age of adults from a 3D T1; not for diagnosis",
                "github.com/1leo23/A-Lightweight-2D-Projection-CNN-Framework-for-MRI-Based-Brain-Age-Prediction"
                        + " ee34d935a7e8cc6da7355c826b9ccf309c12a783, s=1 models, converted to ONNX",
                "authors: ensemble MAE 2.50 y on 7,649 healthy subjects aged 5-89 (8 data sets); NeuroGate's own"
                        + " figures on real scans are in the README");
    }
}
