package org.neurogate.inference.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurogate.inference.onnx.InferenceEngine;
import org.neurogate.inference.onnx.InferenceSettings;
import org.neurogate.inference.onnx.OnnxGraph;
import org.neurogate.inference.volume.Volume;

/** Mirror test-time augmentation: the reflection, the fusion rule, and a lopsided network made even. */
class MirrorAugmentationTest {

    private static final String LOCAL = "99NEUROGATE";
    private static final double[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    private static final double[] ORIGIN = {-10, -10, -10};

    @Test
    void theReflectionAboutAPlaneIsItsOwnInverse() {
        double s = Math.sqrt(0.5);
        var mirror = MirrorAugmentation.reflection(new double[] {s, s, 0}, 2);
        // (3, 1, 5): n.p - 2 = 2 sqrt(2) - 2 from the plane; it lands as far on the other side.
        double[] p = mirror.apply(3, 1, 5);
        double d = s * 3 + s * 1 - 2;
        assertArrayEquals(new double[] {3 - 2 * d * s, 1 - 2 * d * s, 5}, p, 1e-12);
        assertArrayEquals(new double[] {3, 1, 5}, mirror.apply(p[0], p[1], p[2]), 1e-12);
        assertEquals(-1, mirror.determinant(), 1e-12);
    }

    @Test
    void eachVoxelKeepsTheSurerPassWithSidesSwappedAndTiesToTheUnmirroredOne() {
        Volume grid = new Volume(new float[4], 4, 1, 1, new double[] {1, 1, 1}, IDENTITY, ORIGIN);
        Segmenter.Scored first = new Segmenter.Scored(grid.withVoxels(new float[] {1, 2, 3, 0}),
                new float[] {-0.1f, -0.9f, -0.5f, -0.2f});
        float[] mirroredLabels = {2, 1, 1, 3};
        float[] mirroredConfidence = {-0.5f, -0.3f, -0.5f, -0.1f};
        // Labels 1 and 2 are a left/right pair; 3 has no side.
        int[] counterparts = new ModelManifest.Mirror(List.of(List.of(1, 2))).counterparts(4);
        Segmenter.Scored fused = MirrorAugmentation.fuse(first, mirroredLabels, mirroredConfidence, counterparts);
        // Voxel 0: first surer. 1: the mirror's left is the right (2). 2: a tie keeps the first. 3: label 3, no side.
        assertArrayEquals(new float[] {1, 2, 3, 3}, fused.labels().voxels());
        assertArrayEquals(new float[] {-0.1f, -0.3f, -0.5f, -0.1f}, fused.confidence());
    }

    @Test
    void freeSurferSideNamesBecomeLabelPairsAndBadPairsAreRefused() {
        List<String> names = List.of("Unknown", "Left-Hippocampus", "ctx-lh-insula", "Brain-Stem", "Right-Hippocampus",
                "ctx-rh-insula", "Left-Lesion-Without-Partner");
        assertEquals(List.of(List.of(1, 4), List.of(2, 5)), MeshNetImporter.sidePairs(names));
        List<ModelManifest.Label> labels = List.of(new ModelManifest.Label(0, "bg", LOCAL, "0"),
                new ModelManifest.Label(1, "l", LOCAL, "1"), new ModelManifest.Label(2, "r", LOCAL, "2"));
        for (List<List<Integer>> bad : List.of(List.of(List.of(1, 1)), List.of(List.of(0, 2)), List.of(List.of(1, 3)),
                List.of(List.of(1, 2), List.of(2, 1)), List.of(List.of(1)))) {
            ModelManifest m = new ModelManifest("m", "1", "segmentation", List.of("T1"), "native", "none", "none",
                    "label-map", labels, "0".repeat(64), "test", "test only", null, null, null,
                    new ModelManifest.Mirror(bad));
            assertTrue(m.problems().stream().anyMatch(p -> p.startsWith("mirrorAugmentation.labelPairs")),
                    bad + ": " + m.problems());
        }
    }

    /**
     * A network that reads each voxel's right-hand neighbour labels a blob centred on the plane one
     * voxel off to one side. With mirror augmentation the blob comes out exactly as wide on each side.
     */
    @Test
    void aLopsidedModelGivesASymmetricBrainASymmetricLabelMap(@TempDir Path dir) throws Exception {
        int n = 21;
        float[] blob = new float[n * n * n];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    double r2 = (i - 10) * (i - 10) + (j - 10) * (j - 10) + (k - 10) * (k - 10);
                    blob[(k * n + j) * n + i] = (float) Math.exp(-r2 / (2 * 3.0 * 3.0));
                }
            }
        }
        Volume head = new Volume(blob, n, n, n, new double[] {1, 1, 1}, IDENTITY, ORIGIN);
        double[] normal = {1, 0, 0};
        double offset = head.voxelToPatient(10, 0, 0)[0];
        ModelPack.Model model = lopsidedModel(dir);
        try (InferenceEngine engine = new InferenceEngine(new InferenceSettings("cpu", 1, 1))) {
            Segmenter.Scored once = ModelRunner.labels(engine, model, head, true, null);
            int[] onceSides = sides(once.labels(), normal, offset);
            assertNotEquals(onceSides[0], onceSides[1], "the test model must be lopsided to prove anything");
            Segmenter.Scored fused = MirrorAugmentation.fused(engine, model, head, normal, offset, once, null);
            int[] fusedSides = sides(fused.labels(), normal, offset);
            assertEquals(fusedSides[0], fusedSides[1], "left / right labelled voxels once " + onceSides[0] + " / "
                    + onceSides[1] + ", fused " + fusedSides[0] + " / " + fusedSides[1]);
            assertTrue(fusedSides[0] > 40, "the blob is still found: " + fusedSides[0]);
            float[] l = fused.labels().voxels();
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < n; i++) {
                        assertEquals(l[(k * n + j) * n + i], l[(k * n + j) * n + (20 - i)],
                                "voxel (" + i + ", " + j + ", " + k + ") and its mirror image");
                    }
                }
            }
        }
    }

    /** Voxels labelled 1 on the left (n.p > offset) and on the right. */
    private static int[] sides(Volume labels, double[] normal, double offset) {
        int[] out = new int[2];
        for (int k = 0; k < labels.nz(); k++) {
            for (int j = 0; j < labels.ny(); j++) {
                for (int i = 0; i < labels.nx(); i++) {
                    if (labels.get(i, j, k) == 1) {
                        double[] p = labels.voxelToPatient(i, j, k);
                        double d = normal[0] * p[0] + normal[1] * p[1] + normal[2] * p[2] - offset;
                        out[0] += d > 0 ? 1 : 0;
                        out[1] += d < 0 ? 1 : 0;
                    }
                }
            }
        }
        return out;
    }

    /** Scores (0.5 - x[i+1], x[i+1] - 0.5): class 1 where the voxel's neighbour in +i is above 0.5. */
    private static ModelPack.Model lopsidedModel(Path dir) throws Exception {
        OnnxGraph g = new OnnxGraph("lopsided").input("t1", 1, 1, -1, -1, -1).output("scores", 1, 2, -1, -1, -1)
                .initializer("w", new float[] {0, 0, 1}, 1, 1, 1, 1, 3);
        String shifted = g.node("Conv", List.of("t1", "w"), g.temp("shifted"), "kernel_shape", new long[] {1, 1, 3},
                "pads", new long[] {0, 0, 1, 0, 0, 1});
        String foreground = g.node("Sub", List.of(shifted, g.constant(0.5f)), g.temp("foreground"));
        String background = g.node("Neg", List.of(foreground), g.temp("background"));
        g.node("Concat", List.of(background, foreground), "scores", "axis", 1L);
        Path onnx = dir.resolve("lopsided.onnx");
        Files.write(onnx, g.toBytes());
        ModelManifest manifest = new ModelManifest("lopsided", "1", "segmentation", List.of("T1"), "native", "none",
                "none", "label-map", List.of(new ModelManifest.Label(0, "background", LOCAL, "NG-0"),
                    new ModelManifest.Label(1, "blob", LOCAL, "NG-1")), ModelPack.sha256(onnx), "test", "test only",
                "built by the test", null, null, new ModelManifest.Mirror(List.of()));
        assertEquals(List.of(), manifest.problems());
        return new ModelPack.Model(manifest, onnx, dir);
    }
}
