package org.neurogate.inference.analysis;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.neurogate.inference.brainage.BrainAgeRegression;
import org.neurogate.inference.midline.MidSagittalPlane;
import org.neurogate.inference.models.BrainAgeFit;
import org.neurogate.inference.preprocess.Interpolation;
import org.neurogate.inference.preprocess.Resampler;
import org.neurogate.inference.stroke.LesionOverlap;
import org.neurogate.inference.volume.NiftiFile;
import org.neurogate.inference.volume.Volume;

/**
 * Runs the analyses over a phantom cohort and scores them against each subject's {@code truth.json}:
 * the metrics printed as a table and written to {@code <cohort>/evaluation.json}.
 */
public final class CohortEvaluation {

    /** One subject's errors; NaN where the subject does not test the metric. */
    public record SubjectScore(String subject, String diagnosis, double ageYears, double lesionDice, double lesionF1,
                               double lesionVolumeErrorPct, int truthLesions, int foundLesions, double mspAngleErrorDeg,
                               double shiftErrorMm, double brainAgeErrorYears, double hippocampusErrorPct,
                               double riskScore, double seconds, float[] brainAgeFeatures) {
    }

    /** The cohort's figures: means over the subjects each metric applies to. */
    public record Summary(int subjects, double lesionDice, double lesionF1, double lesionVolumeErrorPct,
                          int falsePositiveLesionsOnLesionFree, double mspAngleErrorMeanDeg, double mspAngleErrorMaxDeg,
                          double shiftMaeMm, double shiftMaxErrorMm, double brainAgeMaeYears, double hippocampusErrorMeanPct,
                          double hippocampusErrorMaxPct, double mciAuc, double secondsPerStudy) {
    }

    private CohortEvaluation() {
    }

    static boolean run(StudyAnalyzer analyzer, Path cohort, Path fitOut, PrintStream out) throws IOException, OrtException {
        List<Path> subjects;
        try (Stream<Path> s = Files.list(cohort)) {
            subjects = s.filter(p -> Files.isRegularFile(p.resolve("truth.json"))).sorted().toList();
        }
        if (subjects.isEmpty()) {
            throw new IOException("no subject with a truth.json under " + cohort);
        }
        List<SubjectScore> scores = new ArrayList<>();
        List<Double> ages = new ArrayList<>();
        for (Path subject : subjects) {
            SubjectScore score = evaluate(analyzer, subject, out);
            scores.add(score);
            ages.add(score.ageYears());
        }
        Summary summary = summarise(scores);
        print(summary, out);
        ObjectNode json = AnalysisCli.JSON.createObjectNode();
        json.set("summary", AnalysisCli.JSON.valueToTree(summary));
        ArrayNode rows = json.putArray("subjects");
        scores.forEach(s -> rows.add(AnalysisCli.JSON.valueToTree(s)));
        AnalysisCli.JSON.writeValue(cohort.resolve("evaluation.json").toFile(), json);
        out.println("evaluation: " + cohort.resolve("evaluation.json"));
        if (fitOut != null) {
            BrainAgeFit fit = BrainAgeRegression.fit(scores.stream().map(SubjectScore::brainAgeFeatures).toList(), ages,
                    "NeuroGate phantom cohort " + cohort.getFileName() + ", " + scores.size() + " subjects");
            AnalysisCli.JSON.copy().setPropertyNamingStrategy(null).writeValue(fitOut.toFile(), fit);
            out.printf(Locale.ROOT, "brain-age fit written to %s (training residual SD %.2f years)%n", fitOut,
                    fit.residualSdYears());
        }
        return true;
    }

    public static SubjectScore evaluate(StudyAnalyzer analyzer, Path subject, PrintStream out) throws IOException, OrtException {
        JsonNode truth = AnalysisCli.readJson(subject.resolve("truth.json"));
        Path result = subject.resolve("analysis");
        long start = System.nanoTime();
        Findings f = AnalysisCli.analyze(analyzer, subject.resolve("dicom"), result, out);
        double seconds = (System.nanoTime() - start) / 1e9;
        double dice = Double.NaN;
        double f1 = Double.NaN;
        double volumeError = Double.NaN;
        int truthLesions = truth.get("lesion_count").asInt();
        int found = f.lesion() == null ? 0 : f.lesion().count();
        if (f.lesion() != null && truthLesions > 0) {
            Volume ours = NiftiFile.read(result.resolve("lesion_mask.nii.gz"));
            Volume expected = Resampler.resample(NiftiFile.read(subject.resolve("truth/lesion_mask_dwi.nii.gz")),
                    ours.blank(), Interpolation.NEAREST);
            double[] overlap = LesionOverlap.score(ours, expected);
            dice = overlap[0];
            f1 = overlap[1];
            double truthMl = truth.get("lesion_volume_ml").asDouble();
            volumeError = 100 * Math.abs(f.lesion().totalVolumeMl() - truthMl) / truthMl;
        }
        double angle = Double.NaN;
        double shiftError = Double.NaN;
        double ageError = Double.NaN;
        double hippocampusError = Double.NaN;
        double risk = Double.NaN;
        float[] features = null;
        if (f.midline() != null) {
            JsonNode n = truth.get("msp_normal_lps");
            MidSagittalPlane ours = new MidSagittalPlane(f.midline().normalLps(), f.midline().offsetMm());
            angle = ours.angleTo(new double[] {n.get(0).asDouble(), n.get(1).asDouble(), n.get(2).asDouble()});
            if (f.midline().shiftMm() != null) {
                double expected = truth.get("midline_shift_mm").asDouble() * sign(truth.get("midline_shift_direction").asText());
                shiftError = Math.abs(f.midline().shiftMm() * sign(f.midline().shiftDirection()) - expected);
            }
        }
        if (f.brainAge() != null) {
            ageError = Math.abs(f.brainAge().predictedYears() - truth.get("age_years").asDouble());
        }
        if (f.mci() != null) {
            Findings.Mci m = f.mci();
            double left = truth.get("hippocampus_left_ml").asDouble();
            double right = truth.get("hippocampus_right_ml").asDouble();
            hippocampusError = 50 * (Math.abs(m.hippocampusLeftMl() - left) / left + Math.abs(m.hippocampusRightMl() - right) / right);
            risk = m.riskScore() == null ? Double.NaN : m.riskScore();
            features = StudyAnalyzer.brainAgeFeatures(m.greyMatterMl(), m.whiteMatterMl(), m.csfMl(), m.ventriclesMl(),
                    m.hippocampusLeftMl() + m.hippocampusRightMl());
        }
        SubjectScore s = new SubjectScore(subject.getFileName().toString(), truth.get("diagnosis").asText(),
                truth.get("age_years").asDouble(), dice, f1, volumeError, truthLesions, found, angle, shiftError, ageError,
                hippocampusError, risk, seconds, features);
        out.printf(Locale.ROOT, "%-10s %-3s age %5.1f  lesions %d/%d dice %5.3f  msp %5.2f deg  shift err %5.2f mm  "
                        + "age err %5.1f y  hippocampus err %5.1f %%  risk %5.1f  (%.1f s)%n", s.subject(), s.diagnosis(),
                s.ageYears(), found, truthLesions, dice, angle, shiftError, ageError, hippocampusError, risk, seconds);
        return s;
    }

    private static double sign(String direction) {
        return "left".equals(direction) ? 1 : "right".equals(direction) ? -1 : 0;
    }

    static Summary summarise(List<SubjectScore> scores) {
        int falsePositives = scores.stream().filter(s -> s.truthLesions() == 0).mapToInt(SubjectScore::foundLesions).sum();
        List<Double> mci = new ArrayList<>();
        List<Double> cn = new ArrayList<>();
        for (SubjectScore s : scores) {
            if (!Double.isNaN(s.riskScore())) {
                ("MCI".equals(s.diagnosis()) ? mci : cn).add(s.riskScore());
            }
        }
        return new Summary(scores.size(), mean(scores, SubjectScore::lesionDice), mean(scores, SubjectScore::lesionF1),
                mean(scores, SubjectScore::lesionVolumeErrorPct), falsePositives,
                mean(scores, SubjectScore::mspAngleErrorDeg), max(scores, SubjectScore::mspAngleErrorDeg),
                mean(scores, SubjectScore::shiftErrorMm), max(scores, SubjectScore::shiftErrorMm),
                mean(scores, SubjectScore::brainAgeErrorYears), mean(scores, SubjectScore::hippocampusErrorPct),
                max(scores, SubjectScore::hippocampusErrorPct), auc(mci, cn), mean(scores, SubjectScore::seconds));
    }

    /** Mann-Whitney AUC: the chance that a random MCI subject scores above a random control (ties half). */
    static double auc(List<Double> positives, List<Double> negatives) {
        if (positives.isEmpty() || negatives.isEmpty()) {
            return Double.NaN;
        }
        double wins = 0;
        for (double p : positives) {
            for (double n : negatives) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / (positives.size() * (double) negatives.size());
    }

    private static double mean(List<SubjectScore> scores, java.util.function.ToDoubleFunction<SubjectScore> metric) {
        return scores.stream().mapToDouble(metric).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    private static double max(List<SubjectScore> scores, java.util.function.ToDoubleFunction<SubjectScore> metric) {
        return scores.stream().mapToDouble(metric).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    static void print(Summary s, PrintStream out) {
        out.printf(Locale.ROOT, "%n== Evaluation over %d phantom subjects (mean %.1f s per study)%n", s.subjects(),
                s.secondsPerStudy());
        out.printf(Locale.ROOT, "%-12s %-40s %10s%n", "analysis", "metric", "value");
        out.printf(Locale.ROOT, "%-12s %-40s %10.3f%n", "lesion", "Dice (subjects with lesions)", s.lesionDice());
        out.printf(Locale.ROOT, "%-12s %-40s %10.3f%n", "lesion", "lesion-wise F1", s.lesionF1());
        out.printf(Locale.ROOT, "%-12s %-40s %10.2f%n", "lesion", "absolute volume difference %", s.lesionVolumeErrorPct());
        out.printf(Locale.ROOT, "%-12s %-40s %10d%n", "lesion", "false-positive lesions, lesion-free", s.falsePositiveLesionsOnLesionFree());
        out.printf(Locale.ROOT, "%-12s %-40s %10.3f%n", "midline", "MSP angle error, mean (deg)", s.mspAngleErrorMeanDeg());
        out.printf(Locale.ROOT, "%-12s %-40s %10.3f%n", "midline", "MSP angle error, max (deg)", s.mspAngleErrorMaxDeg());
        out.printf(Locale.ROOT, "%-12s %-40s %10.3f%n", "midline", "midline-shift MAE (mm)", s.shiftMaeMm());
        out.printf(Locale.ROOT, "%-12s %-40s %10.3f%n", "midline", "midline-shift max error (mm)", s.shiftMaxErrorMm());
        out.printf(Locale.ROOT, "%-12s %-40s %10.2f%n", "brain age", "MAE (years)", s.brainAgeMaeYears());
        out.printf(Locale.ROOT, "%-12s %-40s %10.2f%n", "hippocampus", "volume error, mean %", s.hippocampusErrorMeanPct());
        out.printf(Locale.ROOT, "%-12s %-40s %10.2f%n", "hippocampus", "volume error, max %", s.hippocampusErrorMaxPct());
        out.printf(Locale.ROOT, "%-12s %-40s %10.3f%n", "MCI", "MCI vs CN AUC (risk score)", s.mciAuc());
    }
}
