package org.neurogate.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.inference.stroke.DiffusionLesions;
import org.neurogate.inference.analysis.Findings;
import org.neurogate.inference.analysis.StudyAnalyzer;
import org.neurogate.inference.analysis.StudyInput;
import org.neurogate.inference.models.ModelManifest;
import org.neurogate.inference.models.ModelPack;
import org.neurogate.inference.models.ReferencePack;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;
import org.neurogate.inference.onnx.OnnxGraph;
import org.neurogate.inference.roles.SeriesRole;
import org.neurogate.inference.volume.Volume;

/**
 * A site's own lesion and WMH models, plugged in as ONNX packs: a two-input (DWI b=1000 + ADC)
 * thresholding graph and a one-input FLAIR one, built here, whose masks are known voxel by voxel.
 * The analysis must report exactly those masks' volumes, name the models in the findings, and the
 * SR must carry the model as the algorithm of the measurement.
 */
class SiteLesionModelReportTest {

    private static final String LESION_MODEL = "site-dwi-adc-threshold";
    private static final String WMH_MODEL = "site-flair-threshold";
    private static final String LOCAL = "99NEUROGATE";

    @Test
    void aSiteModelsMasksAreWhatTheReportMeasures(@TempDir Path dir) throws Exception {
        ReportFixture.Study study = ReportFixture.get();
        StudyInput input = study.input();
        Volume trace = input.get(SeriesRole.DWI_B1000).volume();
        Volume adc = DiffusionLesions.adcOn(input.get(SeriesRole.ADC).volume(), trace);
        Volume flair = input.get(SeriesRole.FLAIR).volume();
        // Thresholds from this study: the brightest 1 % of the trace with an ADC below 650, the brightest
        // 0.5 % of the FLAIR.
        float traceLevel = (float) percentile(trace.voxels(), 0.99);
        float adcLevel = 650;
        float flairLevel = (float) percentile(flair.voxels(), 0.995);
        long expectedLesion = 0;
        for (int i = 0; i < trace.size(); i++) {
            expectedLesion += trace.voxels()[i] > traceLevel && adc.voxels()[i] < adcLevel ? 1 : 0;
        }
        long expectedWmh = 0;
        for (float f : flair.voxels()) {
            expectedWmh += f > flairLevel ? 1 : 0;
        }
        double expectedLesionMl = expectedLesion * trace.voxelVolumeMm3() / 1000;
        double expectedWmhMl = expectedWmh * flair.voxelVolumeMm3() / 1000;
        assertTrue(expectedLesionMl > 1 && expectedWmhMl > 0.1, "the models find something: " + expectedLesionMl
                + " mL lesion, " + expectedWmhMl + " mL WMH");

        Path sitePack = dir.resolve("site-lesion-pack");
        ModelPack.write(sitePack, LESION_MODEL, lesionGraph(traceLevel, adcLevel), manifest(LESION_MODEL,
                ModelManifest.LESION_SEGMENTATION, List.of("DWI_B1000", "ADC"),
                new ModelManifest.Label(1, "acute ischaemic lesion", "SCT", "432504007")));
        ModelPack.write(sitePack, WMH_MODEL, flairGraph(flairLevel), manifest(WMH_MODEL, ModelManifest.WMH_SEGMENTATION,
                List.of("FLAIR"), new ModelManifest.Label(1, "white-matter hyperintensity", LOCAL, "NG-WMH")));
        StudyAnalyzer.StudyAnalysis analysis;
        try (InferenceEngine engine = new InferenceEngine(new InferenceSettings("cpu", 2, 1))) {
            ModelPack reference = ModelPack.load(ReferencePack.materialise(dir.resolve("reference-pack")), engine);
            ModelPack site = ModelPack.load(sitePack, engine);
            analysis = new StudyAnalyzer(engine, List.of(reference, site)).analyze(input);
        }
        Findings f = analysis.findings();
        assertEquals(expectedLesionMl, f.lesion().totalVolumeMl(), 1e-9, "the lesion model's mask, exactly");
        assertEquals(LESION_MODEL, f.lesion().method().modelId());
        assertEquals(expectedWmhMl, f.whiteMatterLesions().volumeMl(), 1e-9, "the WMH model's mask, exactly");
        assertEquals(WMH_MODEL, f.whiteMatterLesions().method().modelId());
        assertTrue(f.models().stream().anyMatch(m -> m.modelId().equals(LESION_MODEL)), f.models().toString());
        // The core stays ADC < 620 inside the lesion, whatever drew it.
        long core = 0;
        for (int i = 0; i < trace.size(); i++) {
            core += trace.voxels()[i] > traceLevel && adc.voxels()[i] < DiffusionLesions.CORE_ADC ? 1 : 0;
        }
        assertEquals(core * trace.voxelVolumeMm3() / 1000, f.lesion().coreVolumeMl(), 1e-9, "core volume");

        StudyReport.Objects objects = StudyReport.build(analysis, study.sources(), study.header(), ReportFixture.SETTINGS,
                "job-site-model");
        List<Path> files = ReportFixture.write(java.nio.file.Files.createDirectories(dir.resolve("objects")), objects.all());
        Path sr = files.get(files.size() - 1);
        ReportFixture.assertNoDciodvfyErrors(sr);
        String dump = ReportFixture.run("dsrdump", "+Pl", sr.toString());
        for (String model : List.of(LESION_MODEL, WMH_MODEL)) {
            assertTrue(dump.contains("\"" + model + " (site-lesion-pack)\""), model + " is the algorithm in the SR:\n" + dump);
        }
        System.out.printf(Locale.ROOT, "site models: lesion %.2f mL (core %.2f), WMH %.2f mL, as their masks%n",
                f.lesion().totalVolumeMl(), f.lesion().coreVolumeMl(), f.whiteMatterLesions().volumeMl());
    }

    /** [1, 2, D, H, W] (trace, ADC) to [1, 1, D, H, W]: 1 where the trace is above one level and the ADC below another. */
    private static byte[] lesionGraph(float traceLevel, float adcLevel) {
        OnnxGraph g = new OnnxGraph("site-dwi-adc-threshold");
        g.input("channels", 1, 2, -1, -1, -1);
        g.int64Initializer("zero", new long[] {0});
        g.int64Initializer("one", new long[] {1});
        g.int64Initializer("two", new long[] {2});
        g.int64Initializer("channel_axis", new long[] {1});
        String dwi = g.node("Slice", List.of("channels", "zero", "one", "channel_axis"), g.temp("dwi"));
        String adc = g.node("Slice", List.of("channels", "one", "two", "channel_axis"), g.temp("adc"));
        String bright = g.node("Greater", List.of(dwi, g.constant(traceLevel)), g.temp("bright"));
        String restricted = g.node("Less", List.of(adc, g.constant(adcLevel)), g.temp("restricted"));
        String both = g.node("And", List.of(bright, restricted), g.temp("lesion"));
        g.node("Cast", List.of(both), "labels", "to", 1L);
        g.output("labels", 1, 1, -1, -1, -1);
        return g.toBytes();
    }

    private static byte[] flairGraph(float flairLevel) {
        OnnxGraph g = new OnnxGraph("site-flair-threshold");
        g.input("flair", 1, 1, -1, -1, -1);
        String bright = g.node("Greater", List.of("flair", g.constant(flairLevel)), g.temp("bright"));
        g.node("Cast", List.of(bright), "labels", "to", 1L);
        g.output("labels", 1, 1, -1, -1, -1);
        return g.toBytes();
    }

    private static ModelManifest manifest(String id, String task, List<String> roles, ModelManifest.Label finding) {
        return new ModelManifest(id, "1.0", task, roles, "native", "none", "none", "label-map",
                List.of(new ModelManifest.Label(0, "background", LOCAL, "NG-BACKGROUND"), finding), null,
                "Apache-2.0 (test model)", "test only", "thresholding graph built by the test", null);
    }

    private static double percentile(float[] values, double p) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) (sorted.length * p)];
    }
}
