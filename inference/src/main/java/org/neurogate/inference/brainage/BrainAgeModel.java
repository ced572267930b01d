package org.neurogate.inference.brainage;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neurogate.inference.models.ModelPack;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.registration.AffineRegistration;
import org.neurogate.inference.tissue.PartialVolumeTissue;
import org.neurogate.inference.volume.NiftiFile;
import org.neurogate.inference.volume.Volume;

/**
 * A loaded brain-age model pack: its manifest checked, every file's SHA-256 verified, every network
 * opened and its inputs found. {@link #estimate} runs the whole stage on a skull-stripped T1:
 * registration to the pack's template, the grey-matter map, the projections and the ensemble.
 */
public final class BrainAgeModel {

    /** The preprocessing, as reported beside the age. */
    public static final String PREPROCESSING = "affine (12-parameter, correlation ratio) to the pack's template; "
            + "HMRF-EM 3-class partial-volume grey matter; 2D projections";

    /**
     * @param predictedYears    the ensemble mean
     * @param memberSdYears     the SD across the ensemble's networks
     * @param uncertaintyYears  that SD combined with the published error: √(SD² + (MAE·√(π/2))²), the
     *                          MAE turned into the SD of a normal error
     * @param byMember          each network's age
     * @param byDirection       each direction's mean age (single directions are biased; never an age alone)
     * @param correlationRatio  the registration's final correlation ratio
     * @param greyMatterMl      the grey-matter map's volume, scaled back to the subject's space
     */
    public record Estimate(double predictedYears, double memberSdYears, double uncertaintyYears,
                           Map<String, Double> byMember, Map<ProjectionRecipe.Direction, Double> byDirection,
                           double correlationRatio, double greyMatterMl) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final BrainAgeManifest manifest;
    private final ProjectionEnsemble ensemble;
    private final ProjectionRecipe recipe;
    private volatile Volume template;

    private BrainAgeModel(Path directory, BrainAgeManifest manifest, ProjectionEnsemble ensemble) {
        this.directory = directory;
        this.manifest = manifest;
        this.ensemble = ensemble;
        this.recipe = new ProjectionRecipe(manifest.recipe().size(), manifest.recipe().medianFrom(),
                manifest.recipe().medianTo());
    }

    /** Whether a folder is a brain-age pack (has {@value BrainAgeManifest#FILE_NAME}). */
    public static boolean isPack(Path directory) {
        return Files.isRegularFile(directory.resolve(BrainAgeManifest.FILE_NAME));
    }

    public static BrainAgeModel load(Path directory, InferenceEngine engine) throws ModelPack.InvalidPackException {
        Path manifestFile = directory.resolve(BrainAgeManifest.FILE_NAME);
        BrainAgeManifest manifest;
        try {
            manifest = JSON.readValue(manifestFile.toFile(), BrainAgeManifest.class);
        } catch (IOException | RuntimeException e) {
            throw new ModelPack.InvalidPackException(manifestFile + ": unreadable manifest: " + e.getMessage());
        }
        List<String> problems = manifest.problems();
        if (!problems.isEmpty()) {
            throw new ModelPack.InvalidPackException(manifestFile + ": " + String.join("; ", problems));
        }
        verify(directory, manifest.template());
        List<ProjectionEnsemble.Member> members = new ArrayList<>();
        for (BrainAgeManifest.Member m : manifest.ensemble()) {
            Path onnx = verify(directory, new BrainAgeManifest.PackFile(m.file(), m.sha256()));
            try {
                OrtSession session = engine.session(onnx);
                for (String input : List.of(manifest.inputs().image(), manifest.inputs().sex())) {
                    if (!session.getInputNames().contains(input)) {
                        throw new ModelPack.InvalidPackException(onnx + ": has no input '" + input + "' (it has "
                                + session.getInputNames() + ")");
                    }
                }
            } catch (OrtException e) {
                throw new ModelPack.InvalidPackException(onnx + ": ONNX Runtime cannot open it: " + e.getMessage());
            }
            members.add(new ProjectionEnsemble.Member(
                    ProjectionRecipe.Direction.valueOf(m.direction().toUpperCase(Locale.ROOT)), m.fold(), onnx));
        }
        return new BrainAgeModel(directory, manifest,
                new ProjectionEnsemble(members, manifest.inputs().image(), manifest.inputs().sex()));
    }

    private static Path verify(Path directory, BrainAgeManifest.PackFile f) throws ModelPack.InvalidPackException {
        Path file = directory.resolve(f.file());
        if (!Files.isRegularFile(file)) {
            throw new ModelPack.InvalidPackException(directory + ": the manifest names " + f.file() + ", which is absent");
        }
        String actual = ModelPack.sha256(file);
        if (!actual.equals(f.sha256())) {
            throw new ModelPack.InvalidPackException(file + ": sha256 is " + actual + ", the manifest says " + f.sha256());
        }
        return file;
    }

    public Path directory() {
        return directory;
    }

    public BrainAgeManifest manifest() {
        return manifest;
    }

    public ProjectionEnsemble ensemble() {
        return ensemble;
    }

    /** The template, read once. */
    public Volume template() throws IOException {
        Volume t = template;
        if (t == null) {
            t = NiftiFile.read(directory.resolve(manifest.template().file()));
            template = t;
        }
        return t;
    }

    /**
     * The whole stage: {@link #toTemplate} then {@link #estimate(InferenceEngine, MniBrain, boolean)}.
     *
     * @param t1   a T1 (bias-corrected or not: the grey-matter model estimates its own bias field)
     * @param mask the brain mask on the T1's grid (above 0.5 is brain)
     * @param male the sex input
     */
    public Estimate estimate(InferenceEngine engine, Volume t1, Volume mask, boolean male) throws IOException, OrtException {
        return estimate(engine, toTemplate(t1, mask), male);
    }

    /** The subject's brain registered to the pack's template, with its grey-matter map: the model's input space. */
    public MniBrain toTemplate(Volume t1, Volume mask) throws IOException {
        return MniBrain.of(template(), t1, mask, new AffineRegistration(AffineRegistration.Settings.DEFAULT),
                new PartialVolumeTissue(PartialVolumeTissue.Settings.DEFAULT));
    }

    public Estimate estimate(InferenceEngine engine, MniBrain mni, boolean male) throws IOException, OrtException {
        ProjectionEnsemble.Prediction p = ensemble.predict(engine, mni.projections(recipe), male, recipe.size());
        double published = manifest.publishedMaeYears() * Math.sqrt(Math.PI / 2);
        double uncertainty = Math.sqrt(p.sdYears() * p.sdYears() + published * published);
        return new Estimate(p.meanYears(), p.sdYears(), uncertainty, p.byMember(), p.byDirection(),
                mni.registration().correlationRatio(), mni.greyMatterMl(template().voxelVolumeMm3()));
    }

    /** The recipe this pack's manifest states. */
    public ProjectionRecipe recipe() {
        return recipe;
    }
}
