package org.neurogate.inference.brainage;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.neurogate.inference.onnx.InferenceEngine;

/**
 * The 2D-projection brain-age CNN as an ensemble: one network per direction and cross-validation fold
 * ({@code brainage2d_<axi|cor|sag>_fold<k>.onnx}), each fed its direction's projections and the sex.
 * A single direction is biased (axial high, sagittal low, by 5-17 y on real heads); only the mean of
 * all members is an age, and their spread is its first uncertainty and a QC gate.
 */
public final class ProjectionEnsemble {

    private static final Pattern MEMBER = Pattern.compile("brainage2d_(axi|cor|sag)_fold(\\d+)\\.onnx");

    /** One network of the ensemble. */
    public record Member(ProjectionRecipe.Direction direction, int fold, Path onnx) {
        public String name() {
            return direction.fileName + "_fold" + fold;
        }
    }

    /**
     * The ensemble's answer: mean and SD over members (years), each member's output and each
     * direction's mean.
     */
    public record Prediction(double meanYears, double sdYears, Map<String, Double> byMember,
                             Map<ProjectionRecipe.Direction, Double> byDirection) {
    }

    private final List<Member> members;
    private final String imageInput;
    private final String sexInput;

    /** @param imageInput the networks' projections input name; @param sexInput their sex input's */
    public ProjectionEnsemble(List<Member> members, String imageInput, String sexInput) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a brain-age ensemble needs at least one network");
        }
        this.members = List.copyOf(members);
        this.imageInput = imageInput;
        this.sexInput = sexInput;
    }

    /** Every member network in a folder, in direction and fold order. */
    public static ProjectionEnsemble inFolder(Path folder) throws IOException {
        List<Member> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Matcher m = MEMBER.matcher(file.getFileName().toString());
                if (m.matches()) {
                    found.add(new Member(ProjectionRecipe.Direction.valueOf(m.group(1).toUpperCase(Locale.ROOT)),
                            Integer.parseInt(m.group(2)), file));
                }
            }
        }
        found.sort(Comparator.comparing((Member x) -> x.direction().fileName).thenComparingInt(Member::fold));
        return new ProjectionEnsemble(found, "projections", "sex");
    }

    public List<Member> members() {
        return members;
    }

    /**
     * Runs every member on its direction's [6, 218, 218] projections.
     *
     * @param male the model's sex input: 1 for male, 0 for female
     */
    public Prediction predict(InferenceEngine engine, Map<ProjectionRecipe.Direction, float[]> projections, boolean male)
            throws OrtException {
        return predict(engine, projections, male, ProjectionRecipe.CONTRACT.size());
    }

    public Prediction predict(InferenceEngine engine, Map<ProjectionRecipe.Direction, float[]> projections, boolean male,
                              int size) throws OrtException {
        Map<String, Double> byMember = new LinkedHashMap<>();
        Map<ProjectionRecipe.Direction, double[]> directionSums = new EnumMap<>(ProjectionRecipe.Direction.class);
        for (Member member : members) {
            float[] image = projections.get(member.direction());
            if (image == null) {
                throw new IllegalArgumentException("no " + member.direction().fileName + " projections");
            }
            Map<String, InferenceEngine.Tensor> inputs = Map.of(
                    imageInput, new InferenceEngine.Tensor(image, new long[] {1, ProjectionRecipe.CHANNELS, size, size}),
                    sexInput, new InferenceEngine.Tensor(new float[] {male ? 1f : 0f}, new long[] {1}));
            double age = engine.run(member.onnx(), inputs, (values, shape) -> (double) values.get(0));
            byMember.put(member.name(), age);
            double[] sum = directionSums.computeIfAbsent(member.direction(), d -> new double[2]);
            sum[0] += age;
            sum[1]++;
        }
        Map<ProjectionRecipe.Direction, Double> byDirection = new EnumMap<>(ProjectionRecipe.Direction.class);
        directionSums.forEach((d, sum) -> byDirection.put(d, sum[0] / sum[1]));
        double mean = byMember.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double variance = byMember.values().stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / byMember.size();
        return new Prediction(mean, Math.sqrt(variance), byMember, byDirection);
    }
}
