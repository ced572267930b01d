package org.neurogate.inference.brainage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract of a brain-age model pack ({@code brain-age.json} in the pack's folder): which files,
 * in which space, fed how, averaged how. A site drops in another model of the same kind by writing one.
 *
 * @param task              "brain-age"
 * @param inputSpace        "mni152-1mm-affine": the skull-stripped T1 registered affinely to {@code template}
 *                          and resampled onto its grid
 * @param template          the registration target, whose grid is the model's
 * @param recipe            how the networks' inputs are made from the registered T1
 * @param inputs            the networks' input names
 * @param ensemble          the networks whose outputs are averaged
 * @param combine           "mean"
 * @param publishedMaeYears the authors' ensemble MAE on their test data, folded into the uncertainty
 * @param trainingAgesYears the youngest and oldest training subjects' ages
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BrainAgeManifest(String id, String version, String task, String inputSpace, PackFile template,
                               Recipe recipe, Inputs inputs, List<Member> ensemble, String combine,
                               Double publishedMaeYears, List<Double> trainingAgesYears, String licence,
                               @JsonProperty("intended_use") String intendedUse, String source, String validation) {

    public static final String FILE_NAME = "brain-age.json";
    public static final String TASK = "brain-age";
    public static final String INPUT_SPACE = "mni152-1mm-affine";
    public static final String PROJECTIONS_2D = "projections-2d";

    /** A file of the pack and its SHA-256, checked at load. */
    public record PackFile(String file, String sha256) {
    }

    /**
     * @param kind       "projections-2d" (the only recipe so far)
     * @param size       the square image side
     * @param medianFrom first slice of the median channel's window
     * @param medianTo   end (exclusive) of that window
     * @param greyMatter how the grey-matter channel is made: "hmrf-pve-3class" (FAST-like)
     */
    public record Recipe(String kind, int size, int medianFrom, int medianTo, String greyMatter) {
    }

    /** @param image the projections tensor's name; @param sex the sex input's name (0 female, 1 male) */
    public record Inputs(String image, String sex) {
    }

    /** One network: its file, the projection direction it reads ("axi", "cor", "sag") and its fold. */
    public record Member(String file, String sha256, String direction, int fold) {
    }

    /** The version and the SHA-256 of the template and of every network, in manifest order: the model's content. */
    public String contentIdentity() {
        StringBuilder identity = new StringBuilder(version + " " + template.sha256());
        ensemble.forEach(member -> identity.append(' ').append(member.sha256()));
        return identity.toString();
    }

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (String[] field : new String[][] {{"id", id}, {"version", version}, {"licence", licence},
            {"intended_use", intendedUse}}) {
            if (field[1] == null || field[1].isBlank()) {
                problems.add(field[0] + " is required");
            }
        }
        if (id != null && !id.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            problems.add("id '" + id + "' must be lower-case letters, digits, '.', '_' or '-'");
        }
        if (!TASK.equals(task)) {
            problems.add("task must be " + TASK + ", was " + task);
        }
        if (!INPUT_SPACE.equals(inputSpace)) {
            problems.add("inputSpace must be " + INPUT_SPACE + ", was " + inputSpace);
        }
        checkFile(problems, "template", template);
        if (recipe == null || !PROJECTIONS_2D.equals(recipe.kind())) {
            problems.add("recipe.kind must be " + PROJECTIONS_2D);
        } else if (recipe.size() < 1 || recipe.medianFrom() < 0 || recipe.medianTo() <= recipe.medianFrom()
                || !"hmrf-pve-3class".equals(recipe.greyMatter())) {
            problems.add("recipe needs a positive size, 0 <= medianFrom < medianTo and greyMatter hmrf-pve-3class");
        }
        if (inputs == null || inputs.image() == null || inputs.sex() == null) {
            problems.add("inputs.image and inputs.sex are required");
        }
        if (ensemble == null || ensemble.isEmpty()) {
            problems.add("the ensemble needs at least one network");
        } else {
            for (Member m : ensemble) {
                checkFile(problems, "ensemble member", m == null ? null : new PackFile(m.file(), m.sha256()));
                if (m != null && !List.of("axi", "cor", "sag").contains(m.direction())) {
                    problems.add("ensemble member " + m.file() + ": direction must be axi, cor or sag");
                }
            }
        }
        if (!"mean".equals(combine)) {
            problems.add("combine must be mean, was " + combine);
        }
        if (publishedMaeYears == null || !(publishedMaeYears > 0)) {
            problems.add("publishedMaeYears must be positive");
        }
        return problems;
    }

    private static void checkFile(List<String> problems, String what, PackFile f) {
        if (f == null || f.file() == null || !f.file().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            problems.add(what + " needs a plain file name within the pack");
        } else if (f.sha256() == null || !f.sha256().matches("[0-9a-f]{64}")) {
            problems.add(what + " " + f.file() + ": sha256 must be 64 lower-case hex digits");
        }
    }
}
