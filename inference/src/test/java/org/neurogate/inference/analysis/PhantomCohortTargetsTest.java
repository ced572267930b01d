package org.neurogate.inference.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;
import org.neurogate.phantoms.PhantomCohort;

/**
 * The analyses' accuracy targets on a fixed 30-subject phantom cohort (seed 2026): ages 40-90, both
 * sexes, CN and MCI, a third with stroke lesions, a quarter with a midline shift, yaw and roll up to
 * +-15 degrees, sagittal, axial and coronal T1s. Each target fails below its figure.
 */
class PhantomCohortTargetsTest {

    static final int SUBJECTS = 30;
    static final long SEED = 2026;

    @TempDir
    static Path cohort;
    private static InferenceEngine engine;
    private static final List<CohortEvaluation.SubjectScore> SCORES = new ArrayList<>();
    private static CohortEvaluation.Summary summary;

    @BeforeAll
    static void analyseCohort() throws Exception {
        PhantomCohort.write(SUBJECTS, SEED, cohort);
        engine = new InferenceEngine(new InferenceSettings("cpu", Runtime.getRuntime().availableProcessors(), 1));
        StudyAnalyzer analyzer = AnalysisCli.analyzer(engine, Map.of("NEUROGATE_DATA_DIR", cohort.resolve("no-data").toString()),
                System.err);
        List<Path> subjects;
        try (Stream<Path> s = Files.list(cohort)) {
            subjects = s.filter(p -> Files.isRegularFile(p.resolve("truth.json"))).sorted().toList();
        }
        PrintStream log = System.out;
        for (Path subject : subjects) {
            SCORES.add(CohortEvaluation.evaluate(analyzer, subject, log));
        }
        summary = CohortEvaluation.summarise(SCORES);
        CohortEvaluation.print(summary, log);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void everySubjectWasAnalysed() {
        assertEquals(SUBJECTS, SCORES.size());
        assertTrue(SCORES.stream().filter(s -> s.truthLesions() > 0).count() >= 8, "enough lesion cases");
        assertTrue(SCORES.stream().filter(s -> "MCI".equals(s.diagnosis())).count() >= 12, "enough MCI cases");
    }

    @Test
    void strokeLesionsMatchTheTruth() {
        assertTrue(summary.lesionDice() >= 0.90, "mean lesion Dice " + summary.lesionDice());
        assertTrue(summary.lesionVolumeErrorPct() <= 10, "mean absolute volume error " + summary.lesionVolumeErrorPct() + " %");
        for (CohortEvaluation.SubjectScore s : SCORES) {
            if (s.truthLesions() > 0) {
                assertTrue(s.foundLesions() > 0, s.subject() + ": lesion missed");
            }
        }
    }

    @Test
    void noFalseLesionOnLesionFreePhantoms() {
        assertEquals(0, summary.falsePositiveLesionsOnLesionFree(), "false-positive lesions on lesion-free phantoms");
    }

    @Test
    void midSagittalPlaneAndMidlineShift() {
        assertTrue(summary.mspAngleErrorMaxDeg() <= 0.5, "largest MSP angle error " + summary.mspAngleErrorMaxDeg() + " deg");
        assertTrue(summary.shiftMaeMm() <= 0.5, "midline-shift MAE " + summary.shiftMaeMm() + " mm");
        assertTrue(SCORES.stream().noneMatch(s -> Double.isNaN(s.shiftErrorMm())), "a shift measured in every subject");
    }

    @Test
    void hippocampalVolumes() {
        assertTrue(summary.hippocampusErrorMeanPct() <= 5, "mean hippocampal volume error " + summary.hippocampusErrorMeanPct() + " %");
    }

    @Test
    void brainAge() {
        assertTrue(summary.brainAgeMaeYears() <= 2, "brain-age MAE " + summary.brainAgeMaeYears() + " years");
    }

    @Test
    void mciAgainstControls() {
        assertTrue(summary.mciAuc() >= 0.9, "MCI vs CN AUC " + summary.mciAuc());
    }
}
